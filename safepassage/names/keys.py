"""Comparison keys of a whole name: origin, family-name order, patronymics, hyphens and spaces."""

import re
from dataclasses import dataclass
from functools import lru_cache

from safepassage.lib.text import HANGUL, LATIN, detect_script

from . import hangul, korean, slavic

KOREAN = "korean"
SLAVIC = "slavic"

_SPLIT = re.compile(r"[\s,]+")
_KOREAN_NATIONALITIES = {"KP", "KR", "PRK", "KOR"}


@dataclass(frozen=True)
class NameKeys:
    """What the matching engine compares. Keys are equal when two spellings are the same name.

    `family`/`given` are the comparison keys (script- and romanization-independent),
    `family_plain`/`given_plain` the spellings folded to lower-case Latin, `given_first` the key of
    the first given name, `tokens` the sorted keys (equal when only the order differs).
    """

    origin: str
    script: str
    family: str
    given: str
    given_first: str
    family_plain: str
    given_plain: str
    tokens: str


@lru_cache(maxsize=262144)
def _plain_word(word: str) -> str:
    return korean.fold_latin(word if detect_script(word) == LATIN else slavic.any_to_latin(word))


def _plain(words: list[str]) -> str:
    """The spelling, folded to a–z through ICU's generic transform, tagged with its script
    (so that "Ли" and "리" are not "the same spelling"). Word by word: each word is cached."""
    if not words:
        return ""
    return f"{_script(*words)}:" + "".join(_plain_word(w) for w in words)


def _script(*parts: str) -> str:
    """The script of the parts together (each part's is cached; mixed parts are counted)."""
    found = None
    for part in parts:
        if part:
            script = detect_script(part)
            if found is None:
                found = script
            elif script != found:
                return detect_script("".join(parts))
    return found if found is not None else detect_script("")


@lru_cache(maxsize=262144)
def _has_hangul(text: str) -> bool:
    return any(hangul.is_hangul_syllable(ch) for ch in text)


def _split_hangul_full(word: str) -> tuple[str, str]:
    """ "김철수" → ("김", "철수"); two-syllable family names (남궁, 황보) are recognised."""
    if len(word) >= 4 and korean.is_korean_family_name(word[:2]):
        return word[:2], word[2:]
    return word[:1], word[1:]


@lru_cache(maxsize=262144)
def split_full_name(full: str) -> tuple[str, str, bool]:
    """Split a full name of unknown order into (family, given, is_korean).

    Korean: the token that is a known Korean family name (first, as Korean writes, or last, as
    Western lists write). Slavic: patronymics are dropped, a known given name is the given name,
    the rest is the family name; with no clue the first token is taken as the family name when
    a patronymic follows (official Russian order), else the last (Western order).
    """
    tokens = [t for t in _SPLIT.split(full.strip()) if t]
    if not tokens:
        return "", "", False
    if len(tokens) == 1:
        word = tokens[0]
        if detect_script(word) == HANGUL and len(word) >= 2:
            family, given = _split_hangul_full(word)
            return family, given, True
        return word, "", korean.is_korean_family_name(word)
    first, last = korean.is_korean_family_name(tokens[0]), korean.is_korean_family_name(tokens[-1])
    if first and last:  # 은 석 장 / Un Sok Chang: the more common family name wins
        last = korean.family_name_rank(tokens[-1]) < korean.family_name_rank(tokens[0])
        first = not last
    if first:
        return tokens[0], " ".join(tokens[1:]), True
    if last:
        return tokens[-1], " ".join(tokens[:-1]), True
    had_patronymic = any(slavic.is_patronymic(t) for t in tokens[1:])
    tokens = [t for i, t in enumerate(tokens) if i == 0 or not slavic.is_patronymic(t)]
    if len(tokens) == 1:
        return tokens[0], "", False
    known = [i for i, t in enumerate(tokens) if slavic.is_known_given_name(t)]
    if len(known) == 1:
        given_index = known[0]
        family = " ".join(t for i, t in enumerate(tokens) if i != given_index)
        return family, tokens[given_index], False
    if had_patronymic:
        return tokens[0], " ".join(tokens[1:]), False
    return tokens[-1], " ".join(tokens[:-1]), False


@lru_cache(maxsize=262144)
def _korean_surname(name: str) -> bool:
    """A Korean family name, or one typo away from one unless it is a known Slavic given name
    (Иван is not a mistyped Хван)."""
    return bool(name) and (
        korean.is_korean_family_name(name)
        or (
            not slavic.is_known_given_name(name)
            and korean.near_korean_family_name(name) is not None
        )
    )


@lru_cache(maxsize=262144)
def normalise_order(family: str, given: str) -> tuple[str, str]:
    """Undo a family/given swap that the names themselves reveal: the given-name field holds a
    Korean family name (and the family field does not), or the family field holds a known
    Slavic given name (and the given field does not)."""
    if not family or not given:
        return family, given
    if korean.is_korean_family_name(given) and not _korean_surname(family):
        return given, family
    first_given = given.split()[0]
    if (
        " " not in family
        and slavic.is_known_given_name(family)
        and not slavic.is_known_given_name(first_given)
        and not _korean_surname(family)
    ):
        return given, family
    if (
        len(family.split()) == 2
        and slavic.is_patronymic(family.split()[1])
        and not slavic.is_patronymic(first_given)
    ):
        return given, family
    return family, given


@lru_cache(maxsize=262144)
def _is_korean(family: str, given: str, nationality: str) -> bool:
    if _has_hangul(family) or _has_hangul(given):
        return True
    slavic_given = slavic.is_known_given_name(given.split()[0] if given else "")
    if _korean_surname(family) and not slavic_given:
        return True
    if slavic_given:  # Ким Пётр, Цой Виктор: Koryo-saram carry Russian given names
        return False
    return bool(
        nationality and {n.strip().upper() for n in nationality.split(",")} & _KOREAN_NATIONALITIES
    )


@lru_cache(maxsize=1_000_000)
def name_keys(family: str = "", given: str = "", full: str = "", nationality: str = "") -> NameKeys:
    """The comparison keys of one written name; `full` is used when both parts are empty."""
    family, given = family.strip(), given.strip()
    if not family and not given and full.strip():
        family, given, _ = split_full_name(full)
    family, given = normalise_order(family, given)
    script = _script(family, given)
    family_words = [w for w in _SPLIT.split(family) if w]
    if _is_korean(family, given, nationality):
        origin = KOREAN
        family_key = korean.family_name_key(family) if family else ""
        given_key = korean.given_name_key(given) if given else ""
        given_first = given_key
        given_words = [w for w in _SPLIT.split(given) if w]
    else:
        origin = SLAVIC
        family_key = "".join(slavic.family_name_key(w) for w in family_words)
        given_words = [w for w in _SPLIT.split(given.replace("-", " ")) if w]
        given_words = [
            w for i, w in enumerate(given_words) if i == 0 or not slavic.is_patronymic(w)
        ]
        word_keys = [slavic.given_name_key(w) for w in given_words]
        given_key = "".join(word_keys)
        given_first = word_keys[0] if word_keys else ""
    tokens = " ".join(sorted(k for k in (family_key, given_key) if k))
    return NameKeys(
        origin=origin,
        script=script,
        family=family_key,
        given=given_key,
        given_first=given_first,
        family_plain=_plain(family_words),
        given_plain=_plain(given_words),
        tokens=tokens,
    )


def same_name(a: str, b: str) -> bool:
    """Whether two full names (order unknown) have the same comparison keys."""
    return name_keys(full=a).tokens == name_keys(full=b).tokens
