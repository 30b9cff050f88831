"""The records the engine links, its answers, and the features it compares."""

from dataclasses import dataclass, field

from safepassage.names.features import (  # noqa: F401 - the engine's names for them
    DATE_COLUMNS,
    FEATURE_COLUMNS,
    NAME_COLUMNS,
    _nationality_key,
    _place_key,
    _service_number_key,
    _unit_key,
    date_features,
    name_features,
    parse_birth_date,
    record_features,
)


@dataclass(frozen=True)
class LinkRecord:
    """One way one person was written down, in any script. Only `id` is required.

    `full_name` is used when `family_name` and `given_name` are empty (order unknown);
    `birth_date` is "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `nationality` is comma-separated
    (ISO 3166 codes or names).
    """

    id: str
    family_name: str = ""
    given_name: str = ""
    full_name: str = ""
    birth_date: str = ""
    birth_place: str = ""
    nationality: str = ""
    unit: str = ""
    service_number: str = ""


@dataclass(frozen=True)
class FieldExplanation:
    """How one field of a candidate compared: the two values, the level reached, its weight."""

    field: str
    left: str
    right: str
    level: str
    weight: float  # log2 Bayes factor of this comparison level


@dataclass(frozen=True)
class Candidate:
    """A ranked candidate. `id` is the person (the part of the record id before the first ":"),
    `record_id` the record (name) that matched best."""

    id: str
    probability: float
    explanation: list[FieldExplanation] = field(default_factory=list)
    record_id: str = ""
    match_weight: float = 0.0


def features(record: LinkRecord) -> dict[str, str | None]:
    """The engine's view of a record: comparison keys, date parts, normalised identifiers."""
    return record_features(
        family_name=record.family_name,
        given_name=record.given_name,
        full_name=record.full_name,
        birth_date=record.birth_date,
        birth_place=record.birth_place,
        nationality=record.nationality,
        unit=record.unit,
        service_number=record.service_number,
    )


def person_of(record_id: str) -> str:
    """The person a record id belongs to: the part before the first ":".

    See person_link_records."""
    return record_id.split(":", 1)[0]
