"""The notification list to the Central Agency (GC III Art. 122-123): one row per event.

It goes to the other party through the Agency, so its columns are fixed here and hold only
identity, the event, its date and its place: never a will, a destination, a statement, an
assessment, a decision, a reason or a case state (`selectors.notification_events` does not even
read them). Headings in the reader's language and, if asked, the other party's.
"""

from collections.abc import Iterator, Sequence

from safepassage.exports.documents.labels import COLUMNS, EVENTS, HEALTH, PLACE_KIND, SEX
from safepassage.exports.pseudonyms import pseudonym_compute, pseudonym_key
from safepassage.exports.selectors import (
    NotificationEvent,
    birth_text,
    country_codes,
    month_text,
    true_names,
)

IDENTIFIED_COLUMNS = ("no", "event", "date", "pow_number", "surname", "first_names", "father",
                      "other_names", "birth", "birth_place", "power", "rank", "service_number",
                      "place", "health", "detaining_power")  # fmt: skip
PSEUDONYMISED_COLUMNS = ("no", "pseudonym", "event", "month", "birth_year", "sex", "power",
                         "health", "camp_kind", "detaining_power")  # fmt: skip


def header(*, identified: bool, second: str) -> list[str]:
    keys = IDENTIFIED_COLUMNS if identified else PSEUDONYMISED_COLUMNS
    return [COLUMNS[key].render(second) for key in keys]


class _Words:
    """The fixed vocabulary of one list, rendered once (not once per row)."""

    def __init__(self, second: str) -> None:
        self.second = second
        self.events = {k: v.render(second) for k, v in EVENTS.items()}
        self.health = {k: v.render(second) for k, v in HEALTH.items()}
        self.sex = {k: v.render(second) for k, v in SEX.items()}
        self.place_kind = {k: v.render(second) for k, v in PLACE_KIND.items()}
        self._key: bytes | None = None  # read once, and only for a pseudonymised list
        self._last: tuple[str, str] = ("", "")

    def pseudonym(self, registry_number: str) -> str:
        """A person's rows come together: compute his pseudonym once per person."""
        if self._key is None:
            self._key = pseudonym_key()
        if self._last[0] != registry_number:
            self._last = (registry_number, pseudonym_compute(self._key, registry_number))
        return self._last[1]


def _identified_row(number: int, event: NotificationEvent, words: _Words) -> list[object]:
    person = event.person
    names = true_names(person)
    first = names[0] if names else None
    return [
        number,
        words.events[event.kind],
        event.on,
        person.registry_number,
        first.family_name if first else "",
        first.given_name if first else "",
        first.patronymic if first else "",
        "; ".join(n.full_name for n in names[1:]),
        birth_text(person, identified=True, second=words.second),
        person.birth_place,
        country_codes(person.nationalities),
        person.rank,
        person.service_number,
        event.place,
        words.health[person.health_status],
        person.detaining_organisation.name,
    ]


def _pseudonymised_row(number: int, event: NotificationEvent, words: _Words) -> list[object]:
    person = event.person
    return [
        number,
        words.pseudonym(person.registry_number),
        words.events[event.kind],
        month_text(event.on),
        birth_text(person, identified=False, second=words.second),
        words.sex[person.sex],
        country_codes(person.nationalities),
        words.health[person.health_status],
        words.place_kind.get(event.place_kind, ""),
        person.detaining_organisation.name,
    ]


def rows(
    events: Iterator[NotificationEvent], *, identified: bool, second: str
) -> Iterator[Sequence[object]]:
    build = _identified_row if identified else _pseudonymised_row
    words = _Words(second)
    for number, event in enumerate(events, start=1):
        yield build(number, event, words)


def as_text(row: Sequence[object]) -> list[str]:
    """A row for the PDF table: dates as ISO text."""
    return [
        "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in row
    ]
