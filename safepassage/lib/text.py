"""Text normalisation for search: case- and accent-insensitive, script-preserving."""

import functools
import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’ʼ`.,/_()]+")


def fold(text: str) -> str:
    """Casefold and strip accents while keeping Hangul syllables whole.

    NFKD splits accented letters (and Hangul syllables into jamo); dropping combining marks
    and recomposing with NFC removes the accents and rebuilds the syllables.
    """
    if text.isascii():
        return text.lower()  # nothing to strip; most registry and service numbers, many names
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def search_tokens(text: str) -> list[str]:
    """Folded words of a search query; hyphens, apostrophes and dots separate words."""
    return [token for token in _SEPARATORS.split(fold(text)) if token]


def search_key(*parts: str) -> str:
    """A searchable key for a name: its words, and the words joined ("chol su" → "cholsu")."""
    tokens = search_tokens(" ".join(p for p in parts if p))
    if not tokens:
        return ""
    return " ".join(tokens) + " " + "".join(tokens)


# ISO 15924 codes, as `registry.Script` stores them.
HANGUL, CYRILLIC, LATIN, OTHER = "Hang", "Cyrl", "Latn", "Zyyy"
_SCRIPT_NAMES = (("HANGUL", HANGUL), ("CYRILLIC", CYRILLIC), ("LATIN", LATIN))
_SCRIPTS = tuple(script for _prefix, script in _SCRIPT_NAMES)  # a tie goes to the first


@functools.cache
def _letter_script(ch: str) -> str | None:
    """The script of one letter (by its Unicode name), or None; remembered per character, as
    names repeat their letters (a million-row import asks for hundreds of thousands)."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for prefix, script in _SCRIPT_NAMES:
        if name.startswith(prefix):
            return script
    return None


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script of `text`: Hang, Cyrl, Latn or Zyyy (no letter of
    the three). A name mixing scripts (a Cyrillic "о" typed inside a Latin name) is given the
    script of most of its letters; a tie goes to Hangul, then Cyrillic ("Ким Kim" is Cyrillic)."""
    if text.isascii():
        return LATIN if any(ch.isalpha() for ch in text) else OTHER
    scripts = list(map(_letter_script, text))
    counts = [scripts.count(script) for script in _SCRIPTS]
    most = max(counts)
    return _SCRIPTS[counts.index(most)] if most else OTHER
