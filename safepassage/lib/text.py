"""Text normalisation for search: case- and accent-insensitive, script-preserving."""

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


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script of `text`: Hang, Cyrl, Latn or Zyyy."""
    if text.isascii():
        return "Latn" if any(ch.isalpha() for ch in text) else "Zyyy"
    counts = {"Hang": 0, "Cyrl": 0, "Latn": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("HANGUL"):
            counts["Hang"] += 1
        elif name.startswith("CYRILLIC"):
            counts["Cyrl"] += 1
        elif name.startswith("LATIN"):
            counts["Latn"] += 1
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count else "Zyyy"
