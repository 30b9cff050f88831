"""The bulk path of the name index (`index_key_rows`, a name's part computed once per distinct
name) writes the very rows `index_rows` defines, for every style a list is written in."""

from safepassage.names import split_full_name
from safepassage.names.index import index_key_rows, index_rows
from safepassage.tracing.benchgen import LEFT_STYLES, RIGHT_STYLES, Generator


def _written(count: int):
    gen = Generator(31)
    for number in range(count):
        person = gen.person()
        record = gen.write(person, gen.rng.choice(LEFT_STYLES + RIGHT_STYLES))
        family, given = record.family_name, record.given_name
        if not family and not given:
            family, given, _korean = split_full_name(record.full_name)
        yield (
            family or "-", given, "Иванович" if number % 5 == 0 else "", record.birth_date,
            record.nationality, record.unit, record.service_number,
        )  # fmt: skip
        if number % 3 == 0:  # his namesake, with other identity fields: the cached name part
            other = gen.write(gen.namesake(person), gen.rng.choice(LEFT_STYLES))
            yield (
                family or "-", given, "", other.birth_date, record.nationality, other.unit,
                other.service_number,
            )  # fmt: skip


def test_the_bulk_rows_are_the_rows_of_index_rows_in_their_order():
    for family, given, patronymic, born, nationality, unit, svc in _written(1500):
        expected = [
            (row.kind, row.system, row.key)
            for row in index_rows(
                family_name=family, given_name=given, patronymic=patronymic, birth_date=born,
                nationality=nationality, unit=unit, service_number=svc,
            )
        ]  # fmt: skip
        assert index_key_rows(family, given, patronymic, born, nationality, unit, svc) == expected


def test_a_name_seen_before_gets_the_rows_of_its_own_identity():
    first = index_key_rows("Kim", "Chol Su", "", "1999-04", "KP", "1st", "A-1")
    again = index_key_rows("Kim", "Chol Su", "", "1987", "KP", "", "")
    assert any(kind == "fam+dob" and key.endswith("|1999-04") for kind, _s, key in first)
    assert not any(key.endswith("|1999-04") for _k, _s, key in again)
    assert not any(kind == "svc" for kind, _s, _key in again)
