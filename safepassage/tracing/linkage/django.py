"""Registry persons as LinkRecords (the only part of the engine that knows the Django models)."""

from collections.abc import Iterator

from .records import LinkRecord


def _birth_date(person) -> str:
    value = person.birth_date
    if value is None:
        return ""
    precision = person.birth_date_precision
    if precision == "exact":
        return value.isoformat()
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"  # "year" and "approximate"


def person_link_records(persons) -> Iterator[LinkRecord]:
    for person in persons:
        nationality = ",".join(str(code) for code in person.nationalities)
        common = {
            "birth_date": _birth_date(person),
            "birth_place": person.birth_place,
            "nationality": nationality,
            "unit": person.unit,
            "service_number": person.service_number,
        }
        for name in person.names.all():
            given = " ".join(p for p in (name.given_name, name.patronymic) if p)
            yield LinkRecord(
                id=f"{person.pk}:{name.pk}",
                family_name=name.family_name,
                given_name=given,
                **common,
            )
