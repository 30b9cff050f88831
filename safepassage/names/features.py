"""What a written record becomes for comparison: name keys, date parts, normalised places,
nationalities, units and service numbers. Pure: the registry's name index and the linkage
engine compute the same features from the same functions."""

import re
import unicodedata
from datetime import date
from functools import lru_cache

from .keys import name_keys
from .slavic import skeleton as slavic_skeleton
from .slavic import to_latin

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_birth_date(text: str) -> tuple[str, str | None, str | None] | None:
    """("1990", "05", "17") for "1990-05-17"; None for empty. Raises ValueError when invalid."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if not 1850 <= int(year) <= 2100:
        raise ValueError("year out of range 1850–2100")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError("month must be 01–12")
    if day is not None:
        date(int(year), int(month), int(day))  # raises ValueError for 2001-02-30
    return year, month, day


FEATURE_COLUMNS = (
    "fam",
    "giv",
    "giv1",
    "giv2",
    "fam_plain",
    "giv_plain",
    "tokens",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "place",
    "nat",
    "unit",
    "svc",
)


@lru_cache(maxsize=200_000)
def _place_key(text: str) -> str | None:
    key = slavic_skeleton(to_latin(text)) if text.strip() else ""
    return key or None


_NAT_ALIASES = {
    "PRK": "KP", "KOR": "KR", "RUS": "RU", "UKR": "UA", "NORTHKOREA": "KP", "SOUTHKOREA": "KR",
    "DPRK": "KP", "ROK": "KR", "RUSSIA": "RU", "UKRAINE": "UA", "КНДР": "KP", "РОССИЯ": "RU",
    "УКРАИНА": "UA", "УКРАЇНА": "UA",
}  # fmt: skip


@lru_cache(maxsize=10_000)
def _nationality_key(text: str) -> str | None:
    parts = set()
    for part in text.split(","):
        token = re.sub(r"[\s\-]", "", part).upper()
        if token:
            parts.add(_NAT_ALIASES.get(token, token))
    return ",".join(sorted(parts)) or None


@lru_cache(maxsize=200_000)
def _unit_key(text: str) -> str | None:
    latin = unicodedata.normalize("NFKD", to_latin_keep_digits(text).casefold())
    return "".join(ch for ch in latin if ch.isascii() and ch.isalnum()) or None


def to_latin_keep_digits(text: str) -> str:
    return " ".join(to_latin(w) if not w.isdigit() else w for w in re.findall(r"\d+|\D+", text))


@lru_cache(maxsize=200_000)
def _service_number_key(text: str) -> str | None:
    return "".join(ch for ch in text.upper() if ch.isalnum()) or None


NAME_COLUMNS = ("fam", "giv", "giv1", "giv2", "fam_plain", "giv_plain", "tokens")
DATE_COLUMNS = ("dob", "dob_y", "dob_m", "dob_d")


def name_features(family: str, given: str, full: str, nationality: str) -> tuple[str | None, ...]:
    """The NAME_COLUMNS of one written name."""
    keys = name_keys(family, given, full, nationality)
    return (
        keys.family or None,
        keys.given or None,
        keys.given_first or None,
        keys.given[:2] or None,  # for blocking: a typo rarely hits the first letters
        keys.family_plain or None,
        keys.given_plain or None,
        keys.tokens or None,
    )


@lru_cache(maxsize=200_000)
def date_features(text: str) -> tuple[str | None, ...]:
    """The DATE_COLUMNS of a birth date as written (all None when empty or invalid)."""
    try:
        parsed = parse_birth_date(text)
    except ValueError:
        parsed = None
    if not parsed:
        return (None, None, None, None)
    return (text.strip(), *parsed)


def record_features(
    *,
    family_name: str = "",
    given_name: str = "",
    full_name: str = "",
    birth_date: str = "",
    birth_place: str = "",
    nationality: str = "",
    unit: str = "",
    service_number: str = "",
) -> dict[str, str | None]:
    """The engine's view of a record: comparison keys, date parts, normalised identifiers."""
    values = (
        *name_features(family_name, given_name, full_name, nationality),
        *date_features(birth_date),
        _place_key(birth_place),
        _nationality_key(nationality),
        _unit_key(unit),
        _service_number_key(service_number),
    )
    return dict(zip(FEATURE_COLUMNS, values, strict=True))
