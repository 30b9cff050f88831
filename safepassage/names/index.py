"""The rows of the registry's name index: what one written name is found under.

Pure: `index_rows` turns a name and the identity fields the blocking keys use into
`(kind, system, key)` rows; `registry.services` writes them in the transaction that writes the
name (`registry.models.NameKey`), and the registry search and the tracing engine look the same
keys up for a query (`query_spellings`, `block_lookups`). Kinds:

- `spelling`: the whole name, family name first, folded (case, accents, hyphens and spaces
  gone) as written and in every romanization and script the tables produce: Hangul in the
  DPRK system (syllables apart and joined), Revised Romanization, McCune–Reischauer and
  Kontsevich Cyrillic, its Southern form by the initial sound law (리 → 이) as written and in
  Revised Romanization; Russian and Ukrainian Cyrillic in ICAO 9303, BGN/PCGN and the Ukrainian
  national system (each language's systems on its own forms). `system` names the one that
  produced it (`registry.models.Romanization`, plus `kontsevich` and `initial_sound`).
- the engine's blocking keys (`BLOCKS`: the phonetic name keys alone and with the date of
  birth, the unit or the first letters of the given name; the service number), and the four
  columns whose term frequencies the engine weighs (`fam`, `giv`, `fam_plain`, `giv_plain`).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from safepassage.lib.text import CYRILLIC, HANGUL, detect_script

from . import hangul, slavic
from .features import (
    _service_number_key,
    _unit_key,
    date_features,
    name_features,
    record_features,
)
from .korean import fold_latin

SPELLING = "spelling"
KONTSEVICH = "kontsevich"
INITIAL_SOUND = "initial_sound"
AS_WRITTEN = "as_written"

# The engine's blocking keys for a query (the interactive search): each is looked up as one
# key; a key shared by more than `MAX_BLOCK` names (a common name alone) is not scanned.
BLOCKS: tuple[tuple[str, ...], ...] = (
    ("tokens",),
    ("fam_plain", "giv_plain"),
    ("giv", "dob_y"),
    ("fam", "dob"),
    ("fam", "giv2", "dob_y"),
    ("fam", "giv1"),
    ("fam", "unit"),
    ("giv", "unit"),
    ("svc",),
)
# Looked up with family and given name swapped too (the engine's swapped blocking).
SWAPPED_BLOCKS = {("fam", "dob"), ("giv", "dob_y")}
# Columns whose term frequencies weigh the name levels: indexed alone, and counted.
TF_COLUMNS = ("fam", "giv", "fam_plain", "giv_plain")
MAX_BLOCK = 2000
KEY_LENGTH = 255


@dataclass(frozen=True)
class IndexRow:
    kind: str
    system: str
    key: str


def kind_of(columns: tuple[str, ...]) -> str:
    return "+".join(columns)


def _joined(values) -> str:
    return "|".join(values)[:KEY_LENGTH]


def block_key(row: dict, columns: tuple[str, ...]) -> str | None:
    values = [row[c] for c in columns]
    if any(v is None for v in values):
        return None
    return _joined(values)


def block_lookups(row: dict) -> list[tuple[str, str]]:
    """(kind, key) pairs a query's features are looked up under, swapped names included."""
    swapped = {**row, "fam": row["giv"], "giv": row["fam"]}
    found: list[tuple[str, str]] = []
    for columns in BLOCKS:
        for source in (row, swapped) if columns in SWAPPED_BLOCKS else (row,):
            key = block_key(source, columns)
            if key is not None and (kind_of(columns), key) not in found:
                found.append((kind_of(columns), key))
    return found


_CYRILLIC_LETTER = re.compile(r"[^а-яіїєґ]")


def spelling_key(text: str) -> str:
    """A spelling folded for look-up, tagged with its script: Hangul syllables as they are,
    Cyrillic lower-cased with ё as е, anything else folded to a–z."""
    script = detect_script(text)
    if script == HANGUL:
        body = "".join(ch for ch in text if hangul.is_hangul_syllable(ch))
        return f"h:{body}"[:KEY_LENGTH] if body else ""
    if script == CYRILLIC:
        folded = unicodedata.normalize("NFC", text.casefold()).replace("ё", "е")
        body = _CYRILLIC_LETTER.sub("", folded)
        return f"c:{body}"[:KEY_LENGTH] if body else ""
    body = fold_latin(text)
    return f"l:{body}"[:KEY_LENGTH] if body else ""


def _hangul_spellings(family: str, given: str) -> list[tuple[str, str]]:
    given_word = "".join(given.split())
    found = []
    for system in ("dprk", "revised", "mccune_reischauer", KONTSEVICH):
        written = hangul.romanize_word(family, system) + hangul.romanize_word(given_word, system)
        found.append((system, written))
        if system == "dprk" and len(given_word) > 1:  # "Kyong Chol": syllables apart
            apart = "".join(hangul.romanize_word(ch, system) for ch in given_word)
            found.append((system, hangul.romanize_word(family, system) + apart))
    southern = hangul.apply_initial_sound_law(family)
    if southern != family:
        found.append((INITIAL_SOUND, southern + given_word))
        found.append(
            (
                INITIAL_SOUND,
                hangul.romanize_word(southern, "revised")
                + hangul.romanize_word(given_word, "revised"),
            )
        )
    return found


def _cyrillic_spellings(family: str, given: str) -> list[tuple[str, str]]:
    text = f"{family} {given}"
    letters = set(text.casefold())
    ukrainian, russian = bool(letters & set("іїєґ'’")), bool(letters & set("ыэъё"))
    found = [("icao", slavic.icao(text))]
    if not ukrainian:
        found.append(("bgn_pcgn", slavic.bgn_pcgn(text, "ru")))
    if not russian:
        found.append(("ukrainian_national", slavic.ukrainian_national(text)))
        found.append(("bgn_pcgn", slavic.bgn_pcgn(text, "uk")))
    return found


@lru_cache(maxsize=262144)
def spellings(family: str, given: str) -> tuple[tuple[str, str], ...]:
    """(system, key) of every spelling of the name the tables produce, as written first; a key
    that two systems write is there for each."""
    family, given = family.strip(), given.strip()
    found = [(AS_WRITTEN, f"{family}{given}")]
    script = detect_script(f"{family}{given}")
    if script == HANGUL:
        found += _hangul_spellings(family, given)
    elif script == CYRILLIC:
        found += _cyrillic_spellings(family, given)
    seen: list[tuple[str, str]] = []
    for system, text in found:
        key = spelling_key(text)
        if key and (system, key) not in seen:
            seen.append((system, key))
    return tuple(seen)


def index_rows(
    *,
    family_name: str,
    given_name: str,
    patronymic: str = "",
    birth_date: str = "",
    nationality: str = "",
    unit: str = "",
    service_number: str = "",
) -> list[IndexRow]:
    """Every row of the name index for one written name of a person."""
    given = " ".join(p for p in (given_name, patronymic) if p)
    row = record_features(
        family_name=family_name,
        given_name=given,
        birth_date=birth_date,
        nationality=nationality,
        unit=unit,
        service_number=service_number,
    )
    rows = [IndexRow(SPELLING, system, key) for system, key in spellings(family_name, given_name)]
    for columns in BLOCKS:
        key = block_key(row, columns)
        if key is not None:
            rows.append(IndexRow(kind_of(columns), "", key))
    for column in TF_COLUMNS:
        if row[column] is not None:
            rows.append(IndexRow(column, "", row[column][:KEY_LENGTH]))
    return rows


# The name-dependent part of a name's rows, computed once per distinct name (a registry
# repeats its names: Kim Chol Su is many men): its spellings, and its name features.
_NAME_CACHE = 1 << 20
_NAME_FIELDS = ("fam", "giv", "giv1", "giv2", "fam_plain", "giv_plain", "tokens")
_BLOCK_KINDS = tuple((columns, kind_of(columns)) for columns in BLOCKS)


@lru_cache(maxsize=_NAME_CACHE)
def _name_part(
    family_name: str, given_name: str, patronymic: str, nationality: str
) -> tuple[tuple[tuple[str, str, str], ...], tuple[str | None, ...]]:
    given = " ".join(p for p in (given_name, patronymic) if p)
    spelled = tuple((SPELLING, system, key) for system, key in spellings(family_name, given_name))
    return spelled, name_features(family_name, given, "", nationality)


def index_key_rows(
    family_name: str,
    given_name: str,
    patronymic: str,
    birth_date: str,
    nationality: str,
    unit: str,
    service_number: str,
) -> list[tuple[str, str, str]]:
    """`index_rows` as (kind, system, key) tuples, the same rows in the same order, the name's
    part computed once per distinct name: what the bulk rebuild writes a million of."""
    spelled, name = _name_part(family_name, given_name, patronymic, nationality)
    row = dict(zip(_NAME_FIELDS, name, strict=True))
    row["dob"], row["dob_y"], row["dob_m"], row["dob_d"] = date_features(birth_date)
    row["unit"], row["svc"] = _unit_key(unit), _service_number_key(service_number)
    rows = list(spelled)
    for columns, kind in _BLOCK_KINDS:
        key = block_key(row, columns)
        if key is not None:
            rows.append((kind, "", key))
    for column in TF_COLUMNS:
        if row[column] is not None:
            rows.append((column, "", row[column][:KEY_LENGTH]))
    return rows


_TOKENS = re.compile(r"[\s,]+")


def query_spellings(query: str) -> list[str]:
    """The spelling keys a free-text query is looked up under: its words joined in every
    rotation (the family name first or last), with and without patronymics."""
    words = [w for w in _TOKENS.split(query.strip()) if w]
    if not words:
        return []
    variants = [words]
    without = [w for i, w in enumerate(words) if i == 0 or not slavic.is_patronymic(w)]
    if without != words:
        variants.append(without)
    keys: list[str] = []
    for variant in variants:
        for start in range(len(variant)):
            key = spelling_key("".join(variant[start:] + variant[:start]))
            if key and key not in keys:
                keys.append(key)
    return keys
