"""Which script a name is written in (ISO 15924 codes, as `registry.Script` stores them)."""

import unicodedata
from functools import lru_cache

HANGUL = "Hang"
CYRILLIC = "Cyrl"
LATIN = "Latn"
OTHER = "Zyyy"


def char_script(ch: str) -> str | None:
    """The script of one letter, or None for digits, spaces and punctuation."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if 0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return HANGUL
    if 0x0400 <= cp <= 0x052F or 0x1C80 <= cp <= 0x1C8F or 0xA640 <= cp <= 0xA69F:
        return CYRILLIC
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN"):
        return LATIN
    return OTHER


@lru_cache(maxsize=262144)
def detect_script(text: str) -> str:
    """The dominant script of `text`: Hangul, Cyrillic, Latin or Other ("Zyyy" also when empty).

    A name mixing scripts (a Cyrillic "о" typed inside a Latin name, say) is assigned the script
    of most of its letters.
    """
    counts: dict[str, int] = {}
    for ch in text:
        script = char_script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return OTHER
    return max(counts.items(), key=lambda kv: (kv[1], kv[0] == LATIN))[0]
