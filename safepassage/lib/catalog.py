"""Reading gettext catalogs (.po) and checking them, without Django or gettext tools.

Used by `scripts/i18n-status` and tests/i18n: a catalog is complete when no entry is
untranslated or fuzzy and every translation keeps the placeholders of its source (the check
`msgfmt --check-format` does for python-format, here also for brace and HTML-free plain text).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

# %(name)s, %s, %d, %%, and {name} / {0} (str.format and Django templates' {{ name }} are
# written as %(name)s by makemessages, so they are covered by the first).
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
_BRACE = re.compile(r"\{[A-Za-z_0-9]*\}")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_COUNTS = {"%(counter)s", "%(count)s", "%d", "%s"}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip()) if text.strip() else ""


def read_catalog(path: Path | str) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") and obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    key: tuple[str, int] | None = None
    start = 0

    def finish() -> None:
        nonlocal current, flags
        if current is not None and current.msgid:
            entries.append(current)
        current, flags = None, set()

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None or key is None:
                raise ValueError(f"{path}:{number}: a continuation line outside an entry")
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        word, _sep, rest = line.partition(" ")
        new_entry = word == "msgctxt" or (word == "msgid" and (current is None or current.msgid))
        if new_entry and current is not None and (word == "msgctxt" or current.msgstr):
            finish()
        if current is None:
            current, start = Entry(msgid="", flags=flags, line=number), number
        if word in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, word, _unquote(rest))
            key = (word, 0)
        elif word.startswith("msgstr"):
            index = int(word[7:-1]) if word.startswith("msgstr[") else 0
            current.msgstr[index] = _unquote(rest)
            key = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: cannot read {word!r}")
        current.line = start
    finish()
    return entries


def placeholders(text: str, flags: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The placeholders and HTML tags of a message, sorted (a translation may reorder them).

    Percent placeholders count where xgettext flagged the message python-format, braces where
    it flagged python-brace-format (elsewhere "%" and "{" are plain text).
    """
    found = _TAG.findall(text)
    if "python-format" in flags:
        found += [p for p in PERCENT.findall(text) if p != "%%"]
    if "python-brace-format" in flags:
        found += _BRACE.findall(text)
    return sorted(found)


def catalog_problems(entries: list[Entry]) -> list[str]:
    """One line per entry that is untranslated, fuzzy, or loses or adds a placeholder or tag."""
    problems = []
    for entry in entries:
        where = f"line {entry.line}: {entry.msgid[:60]!r}"
        if entry.fuzzy:
            problems.append(f"{where} is fuzzy")
        if not entry.translated:
            problems.append(f"{where} is not translated")
            continue
        source = placeholders(entry.msgid, entry.flags)
        plural = placeholders(entry.msgid_plural, entry.flags) if entry.msgid_plural else []
        for index, text in sorted(entry.msgstr.items()):
            found = placeholders(text, entry.flags)
            if not entry.msgid_plural:
                if found != source:
                    problems.append(f"{where} has {found}, not {source}")
                continue
            # A plural form must keep the plural msgid's placeholders; it may leave out the
            # count itself (a Korean form or a Ukrainian "one" form often does).
            allowed = set(plural) | set(source)
            missing = set(plural) - set(found)
            if not set(found) <= allowed or not missing <= _COUNTS:
                problems.append(f"{where} msgstr[{index}] has {found}, not {plural}")
    return problems
