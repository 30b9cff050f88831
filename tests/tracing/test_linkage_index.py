"""RegistryIndex: ranked candidates, each person once, with a per-field explanation."""

import pickle

from safepassage.tracing.linkage import Candidate, FieldExplanation, LinkRecord, RegistryIndex

REGISTRY = [
    LinkRecord("1:10", "리", "경철", birth_date="1998-03-11", unit="325"),
    LinkRecord("1:11", "Ri", "Kyong Chol", birth_date="1998-03-11", unit="325"),
    LinkRecord("2:20", "리", "경철", birth_date="1971-11-02"),  # a namesake
    LinkRecord("3:30", "Кузнецов", "Алексей", birth_date="2001-07", service_number="12-3456"),
    LinkRecord("4:40", "박", "철수", birth_date="1990-01-01"),
]


def test_it_ranks_the_right_person_first_and_the_namesake_after():
    index = RegistryIndex.build(REGISTRY)
    ranked = index.rank(LinkRecord("q", "Lee", "Gyeong-cheol", birth_date="1998-03-11"))
    assert [c.id for c in ranked[:2]] == ["1", "2"]
    assert ranked[0].probability > 0.98 > ranked[1].probability


def test_it_returns_each_person_once_with_the_best_matching_name():
    index = RegistryIndex.build(REGISTRY)
    ranked = index.rank(LinkRecord("q", "Ri", "Kyong Chol", birth_date="1998-03-11"))
    assert [c.id for c in ranked].count("1") == 1
    assert ranked[0].record_id == "1:11"  # same spelling beats same name in Hangul


def test_it_explains_every_field_with_its_level_and_weight():
    index = RegistryIndex.build(REGISTRY)
    top = index.rank(LinkRecord("q", "Ли", "Кён Чхоль", birth_date="1998-11-03"))[0]
    assert isinstance(top, Candidate)
    by_field = {e.field: e for e in top.explanation}
    assert all(isinstance(e, FieldExplanation) for e in top.explanation)
    assert set(by_field) == {
        "family_name", "given_name", "birth_date", "birth_place", "nationality", "unit",
        "service_number",
    }  # fmt: skip
    assert by_field["family_name"].level == "same name in another script or romanization"
    assert (by_field["family_name"].left, by_field["family_name"].right) == ("Ли", "리")
    assert by_field["given_name"].weight > 3
    assert by_field["birth_date"].level == "same date with day and month swapped"
    assert by_field["unit"].level == "not known on one side"
    assert by_field["unit"].weight == 0
    assert abs(sum(e.weight for e in top.explanation) - (top.match_weight + 13.79)) < 1


def test_it_finds_a_man_by_his_service_number_whatever_the_separators():
    index = RegistryIndex.build(REGISTRY)
    top = index.rank(LinkRecord("q", "Kuznietsov", "Oleksii", service_number="123456"))[0]
    assert top.id == "3"
    assert {e.field: e.level for e in top.explanation}["service_number"] == "same service number"


def test_it_honours_limit_and_threshold():
    index = RegistryIndex.build(REGISTRY)
    query = LinkRecord("q", "리", "경철")
    assert len(index.rank(query, limit=1)) == 1
    assert all(c.probability >= 0.5 for c in index.rank(query, threshold=0.5))
    assert index.rank(LinkRecord("q", "Smith", "John", birth_date="1950")) == []


def test_it_survives_pickling():
    index = RegistryIndex.build(REGISTRY)
    again = pickle.loads(pickle.dumps(index))  # noqa: S301 (our own object)
    query = LinkRecord("q", "Lee", "Gyeong-cheol", birth_date="1998-03-11")
    assert [c.id for c in again.rank(query)] == [c.id for c in index.rank(query)]


def test_it_translates_the_level_labels(settings):
    from django.utils import translation

    index = RegistryIndex.build(REGISTRY)
    with translation.override("en"):
        top = index.rank(LinkRecord("q", "리", "경철", birth_date="1998-03-11"))[0]
    assert {e.field: e.level for e in top.explanation}["birth_date"] == "same date"


def _field(candidate, field):
    return next(e for e in candidate.explanation if e.field == field)


def test_a_rare_name_weighs_more_than_a_common_one():
    """Term frequencies: sharing the name Kim says less than sharing a rare family name."""
    registry = [LinkRecord(f"{i}:{i}", "Kim", f"Other{i}") for i in range(40)] + [
        LinkRecord("100:100", "Kim", "Chol Su", birth_date="1990"),
        LinkRecord("101:101", "Tokko", "Chol Su", birth_date="1990"),
    ]
    index = RegistryIndex.build(registry)
    kim = index.rank(LinkRecord("q", "Kim", "Chol Su", birth_date="1990"), limit=1)[0]
    tokko = index.rank(LinkRecord("q", "Tokko", "Chol Su", birth_date="1990"), limit=1)[0]
    assert (kim.id, tokko.id) == ("100", "101")
    assert _field(tokko, "family_name").weight > _field(kim, "family_name").weight + 2


def test_korean_age_counting_and_a_swap_with_a_typo_are_explained_as_such():
    index = RegistryIndex.build(
        [LinkRecord("1:1", "Кузнецов", "Алексей", birth_date="1990-05-17"),
         LinkRecord("2:2", "박", "영남", birth_date="1985-02-03")]
    )  # fmt: skip
    swapped = index.rank(LinkRecord("q", "Alkesey", "Kuznetsov", birth_date="1990-05-17"))[0]
    assert swapped.id == "1"
    assert _field(swapped, "family_name").level == "the same names in another order, with a typo"
    older = index.rank(LinkRecord("q", "Pak", "Yong Nam", birth_date="1984-02-03"))[0]
    assert older.id == "2"
    assert _field(older, "birth_date").level == (
        "same day and month, one year apart (age counting)"
    )
    assert _field(older, "birth_date").weight > 0


def test_a_birth_year_two_or_three_off_weighs_against_him_but_does_not_veto_him():
    index = RegistryIndex.build([LinkRecord("1:1", "Кузнецов", "Алексей", birth_date="1995-03-14")])

    def year(text):
        return _field(index.rank(LinkRecord("q", "Кузнецов", "Алексей", birth_date=text))[0],
                      "birth_date")  # fmt: skip

    same, one, two, three, four = (year(y) for y in ("1995", "1996", "1997", "1992", "1999"))
    assert {two.level, three.level} == {"two or three years apart (an age guessed)"}
    assert four.level == "different"
    assert same.weight > 0 > two.weight > four.weight + 8
    assert abs(two.weight - one.weight) < 2  # about as weak as a year off by one


def test_a_reader_who_may_see_few_gets_his_persons_past_many_he_may_not_see():
    """Need-to-know applies before the limit, a window of the best persons at a time: the
    reader is never asked about every person the blocking keys found at once."""
    from safepassage.tracing.linkage.index import ALLOWED_WINDOW

    hidden = [
        LinkRecord(f"{i}:{i}", "Кузнецов", "Алексей", birth_date="1995-03-14") for i in range(450)
    ]
    index = RegistryIndex.build([*hidden, LinkRecord("999:999", "Кузнецов", "Алексей")])
    asked: list[int] = []

    def allowed(persons: set[str]) -> set[str]:
        asked.append(len(persons))
        return persons & {"999"}

    ranked = index.rank(
        LinkRecord("q", "Кузнецов", "Алексей", birth_date="1995-03-14"), limit=3, allowed=allowed
    )
    assert [c.id for c in ranked] == ["999"]
    assert asked and max(asked) <= ALLOWED_WINDOW and sum(asked) == 451
