"""Finding English messages of the catalog left in a page rendered in another language."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from safepassage.lib.catalog import PERCENT, Entry, read_catalog

# Messages whose translation is rightly the English text itself (codes, acronyms, formats).
# test_catalogs.py holds every catalog to this list: anything else left identical is a miss.
SAME_IN_EVERY_LANGUAGE = {
    "ID",
    "BGN/PCGN",
    "YYYY-MM-DD",
    "—",  # an empty choice's label
    # Why the person search found him: the query, the name, the systems or the engine's words
    # (each translated), joined by signs every language reads alike.
    "%(query)s = %(name)s, %(systems)s",
    "%(query)s ≈ %(name)s: %(levels)s",
}

# Elements that show stored values as they are, not interface text: the audit log's changed
# fields (choice codes such as "ratio" or "unknown", ids, masked values).
DATA_CLASSES = {"changes"}

# Attributes whose text a person sees or hears (screen readers read aria-label and title).
_SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
# A label and its value, or steps of a sentence; not commas, which also separate identifiers.
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
_PIECES = re.compile(r"\s*(?:[·—–:|→]|\s-\s)\s*")
_LETTERS = re.compile(r"[A-Za-z]{2,}")


class _VisibleText(HTMLParser):
    """Text nodes and shown attribute values, outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self._hidden = 0
        self._data: list[str] = []  # open tags since an element of DATA_CLASSES began

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if self._data or DATA_CLASSES & set((values.get("class") or "").split()):
            if tag not in _VOID:
                self._data.append(tag)
            return
        # <code> holds identifiers (audit actions and field names, columns, paths): not prose.
        if tag in ("script", "style", "code"):
            self._hidden += 1
        for name, value in attrs:
            if value and (name in _SHOWN_ATTRIBUTES):
                self.segments.append(value)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.segments.append(values["value"])

    def handle_endtag(self, tag):
        if self._data:
            if tag in self._data:
                del self._data[len(self._data) - 1 - self._data[::-1].index(tag) :]
            return
        if tag in ("script", "style", "code") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._hidden and not self._data:
            self.segments.append(text)


def visible_segments(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.segments


class EnglishFinder:
    """Which English msgids of the catalog a page's visible text still contains.

    A one-word message counts only as a whole piece of text (a cell, a label, a button), so
    "Unit" is not found in a unit named "Unit 1124"; longer messages count anywhere, with their
    placeholders standing for any text.
    """

    def __init__(self, entries: list[Entry]):
        self.words: set[str] = set()
        self.patterns: list[tuple[str, str, re.Pattern]] = []
        for entry in entries:
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                if msgid in SAME_IN_EVERY_LANGUAGE or not _LETTERS.search(msgid):
                    continue
                parts = PERCENT.split(msgid) if "python-format" in entry.flags else [msgid]
                parts = [" ".join(p.split()) for p in parts]
                if len(parts) == 1 and " " not in parts[0].strip():
                    self.words.add(parts[0].strip().rstrip("."))
                    continue
                longest = max(parts, key=len).strip()
                if not _LETTERS.search(longest):
                    continue  # only placeholders and punctuation: nothing to recognise
                body = r"[^\n]+?".join(re.escape(p) for p in parts)
                pattern = re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")
                self.patterns.append((msgid, longest, pattern))

    def find(self, html: str) -> list[str]:
        segments = visible_segments(html)
        pieces = {p.rstrip(".") for s in segments for p in _PIECES.split(s) if p}
        found = sorted(self.words & pieces)
        text = "\n".join(segments)
        for msgid, longest, pattern in self.patterns:
            if longest in text and pattern.search(text):
                found.append(msgid)
        return found


def catalog_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def english_finder(language: str = "uk") -> EnglishFinder:
    return EnglishFinder(read_catalog(catalog_path(language)))
