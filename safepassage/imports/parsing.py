"""Reading one imported row into registry fields: dates written five ways, nationalities, names,
and the checks a cell must pass. Pure functions; the registry's own rules (future dates, capture
before birth) stay in `registry.services.person_fields_validate` and are applied by the caller.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django_countries import countries

# The linkage CSV contract (docs/tracing.md): the default mapping, column = field.
CONTRACT_FIELDS = (
    "id", "family_name", "given_name", "full_name", "birth_date", "birth_place", "nationality",
    "unit", "service_number",
)  # fmt: skip
OPTIONAL_FIELDS = (
    "patronymic", "sex", "rank", "capture_date", "capture_place", "internment_place",
)  # fmt: skip
ALL_FIELDS = CONTRACT_FIELDS + OPTIONAL_FIELDS
NAME_FIELDS = ("family_name", "given_name", "full_name", "patronymic")
MAX_EXTERNAL_ID = 128


@dataclass(frozen=True)
class Problem:
    """What is wrong with a row (or the file), and what to do about it."""

    row: int | None
    field: str
    problem: str
    fix: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "problem": self.problem, "fix": self.fix}


class CellError(ValueError):
    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})\.?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_KOREAN = re.compile(r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일$")
_MONTH = re.compile(r"^(\d{4})[-./](\d{1,2})$")
_KOREAN_MONTH = re.compile(r"^(\d{4})\s*년\s*(\d{1,2})\s*월$")
_YEAR = re.compile(r"^(\d{4})(?:\s*년)?$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$")

DATE_FORMATS_HELP = "1999-01-31, 31.01.1999, 31/01/1999, 19990131, 1999년 1월 31일"


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise CellError(
            _("“%(text)s” has month %(month)s: there are twelve.") % {"text": text, "month": month},
            _("Check the order of day and month, or correct the date."),
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise CellError(
            _("%(text)s is not a date: that month has %(days)s days.")
            % {"text": text, "days": days},
            _("Correct the date, or give only the year and month if the day is unknown."),
        )
    return date(year, month, day)


def parse_date(text: str, *, day_first: bool = True) -> tuple[date | None, str]:
    """A date and its precision (exact, month, year) from any of the usual ways of writing it.

    Formats: ISO 1999-01-31; dotted 31.01.1999 and 1999.01.31; slashed 31/01/1999 (or month
    first when the source says so) and 1999/01/31; compact 19990131; Korean 1999년 1월 31일;
    and partial dates 1999-01 / 1999 (the day set to 1, the precision says what is known).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None, "exact"
    for pattern in (_ISO, _YEAR_FIRST, _COMPACT, _KOREAN):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return _checked_date(year, month, day, text), "exact"
    match = _DOTTED.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _checked_date(year, month, day, text), "exact"
    match = _SLASHED.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if day_first else (second, first)
        return _checked_date(year, month, day, text), "exact"
    for pattern in (_MONTH, _KOREAN_MONTH):
        match = pattern.match(text)
        if match:
            year, month = (int(g) for g in match.groups())
            return _checked_date(year, month, 1, text), "month"
    match = _YEAR.match(text)
    if match:
        return date(int(match.group(1)), 1, 1), "year"
    if _SHORT_YEAR.match(text):
        raise CellError(
            _("“%(text)s” has a two-digit year.") % {"text": text},
            _("Write the year with four digits (1999, not 99)."),
        )
    raise CellError(
        _("“%(text)s” is not a date.") % {"text": text[:40]},
        _("Write it as one of: %(formats)s.") % {"formats": DATE_FORMATS_HELP},
    )


# --- nationalities -------------------------------------------------------------------------

_ALIASES = {
    "north korea": "KP", "dprk": "KP", "south korea": "KR", "rok": "KR", "russia": "RU",
    "ukraine": "UA", "북한": "KP", "조선": "KP", "한국": "KR", "대한민국": "KR",
    "россия": "RU", "украина": "UA", "україна": "UA", "кндр": "KP", "кндр (северная корея)": "KP",
}  # fmt: skip


def parse_nationalities(text: str) -> list[str]:
    """ISO 3166 codes from codes (KP, PRK) or English names, separated by ; / | or commas."""
    codes = []
    for part in re.split(r"[;/|,]", text):
        part = part.strip()
        if not part:
            continue
        code = _ALIASES.get(part.casefold()) or countries.alpha2(part) or countries.by_name(part)
        if not code:
            raise CellError(
                _("“%(text)s” is not a country.") % {"text": part[:40]},
                _("Use the two-letter ISO code (KP, RU, UA) or the English name."),
            )
        if code not in codes:
            codes.append(code)
    return codes


# --- text cells ----------------------------------------------------------------------------

_FORMULA_START = frozenset("=+@\uff1d\uff0b\uff20")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"[^\W\d_]+")


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("HANGUL"):
        return "Hang"
    if name.startswith("CYRILLIC"):
        return "Cyrl"
    if name.startswith("LATIN"):
        return "Latn"
    return ""


def clean_cell(text: str, *, field: str, max_length: int) -> str:
    """The cell's text, NFC and trimmed, or `CellError` for formulas, control characters,
    over-long values and words that mix scripts (a Latin "K" inside a Cyrillic name)."""
    ascii_only = text.isascii()
    if not ascii_only:
        text = unicodedata.normalize("NFC", text)
    text = text.strip()
    if not text:
        return ""
    if text[0] in _FORMULA_START:
        raise CellError(
            _("the cell holds a spreadsheet formula (“%(start)s…”), not a value.")
            % {"start": text[:12]},
            _("Copy the column and paste it back as values only, then export again."),
        )
    if _CONTROL.search(text):
        raise CellError(
            _("the cell holds invisible control characters."),
            _("Retype the value, or clean the column in the spreadsheet."),
        )
    if len(text) > max_length:
        raise CellError(
            _("%(length)s characters; at most %(max)s fit.")
            % {"length": len(text), "max": max_length},
            _("Shorten the value; a long note belongs in the case file, not in this column."),
        )
    if field in NAME_FIELDS and not ascii_only:  # ASCII letters are all Latin
        for word in _WORD.findall(text):
            scripts = {_script_of(ch) for ch in word} - {""}
            if len(scripts) > 1:
                raise CellError(
                    _("“%(word)s” mixes %(scripts)s letters in one word.")
                    % {"word": word[:40], "scripts": " and ".join(sorted(scripts))},
                    _(
                        "Retype the word in one script (a Latin letter that looks Cyrillic is "
                        "a common slip)."
                    ),
                )
    return text


_HANGUL_NAME = re.compile(r"^[\uac00-\ud7a3]{2,5}$")


def split_full_name(full_name: str) -> tuple[str, str]:
    """(family, given) from a full name written family name first, as official lists do.

    A Hangul name without a space takes its first syllable as the family name (김철수 → 김, 철수).
    """
    full_name = full_name.strip()
    if " " in full_name:
        family, given = full_name.split(None, 1)
        return family, given
    if _HANGUL_NAME.match(full_name):
        return full_name[0], full_name[1:]
    return full_name, ""


_SEX = {
    "m": "male", "male": "male", "м": "male", "ч": "male", "남": "male", "муж": "male",
    "f": "female", "female": "female", "ж": "female", "여": "female", "жен": "female",
}  # fmt: skip


def parse_sex(text: str) -> str:
    if not text:
        return "unknown"
    value = _SEX.get(text.strip().casefold().rstrip("."))
    if value is None:
        raise CellError(
            _("“%(text)s” is not a sex this registry knows.") % {"text": text[:20]},
            _("Write M or F, or leave it empty."),
        )
    return value
