"""Spreadsheets in and out: CSV/XLSX writing safe against formula injection, and reading of the
files people really send (any of the usual encodings and delimiters, or XLSX), streamed.

No Django imports. Errors while reading are `TableError` with a row number and a message a
person can act on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO

# --- writing -------------------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection");
# the full-width forms are converted by some East Asian input setups.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# XML 1.0 forbids these in XLSX; in CSV they only confuse readers.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value: object) -> str:
    """The text of `value` for a spreadsheet cell, never evaluated as a formula.

    Text starting with = + - @, a tab or a carriage return gets a leading apostrophe, which
    spreadsheets show as text. Numbers stay as they are (``-5`` is a number, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = _ILLEGAL.sub("", str(value))
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return safe_cell(value)


def csv_rows(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """CSV encoded as UTF-8 with a BOM (so Excel reads Cyrillic and Hangul), line by line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A whole CSV document (UTF-8 with BOM, CRLF, every cell through `safe_cell`)."""
    return b"".join(csv_rows(header, rows))


def xlsx_bytes(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    title: str = "",
) -> bytes:
    """An XLSX workbook of one sheet: a bold header row, frozen; text cells through `safe_cell`.

    Written in openpyxl's streaming mode, so memory stays flat for long lists.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = safe_cell(title)
    workbook.properties.creator = "safepassage"
    # Sheet names may not hold []:*?/\ and are at most 31 characters.
    worksheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1")
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for value in header:
        cell = WriteOnlyCell(worksheet, value=safe_cell(value))
        cell.font = bold
        heading.append(cell)
    worksheet.append(heading)
    for row in rows:
        worksheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------


class TableError(Exception):
    """The file cannot be read as a table; `row` is the 1-based row (the header is row 1)."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.row = row


SAMPLE_SIZE = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def delimiter_name(delimiter: str) -> str:
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))


def _decodes(sample: bytes, encoding: str) -> str | None:
    """`sample` decoded strictly, ignoring a multi-byte character cut at its end; else None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u017d\u017e\u0178]")


def _script_score(text: str, pattern: re.Pattern[str]) -> float:
    """Share of non-ASCII characters that are letters of the expected script, with a penalty
    for the upper-case-inside-a-word pattern that mis-decoded bytes produce."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 0.0
    hits = sum(1 for ch in non_ascii if pattern.match(ch))
    score = hits / len(non_ascii)
    if pattern is _LATIN:
        # Cyrillic bytes read as CP1252 look like "Êîâàëåíêî": words of accented letters only.
        words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if re.search(r"[^\x00-\x7f]", w)]
        odd = sum(1 for w in words if sum(ord(c) > 127 for c in w) * 2 > len(w))
        if words:
            score -= odd / len(words)
        score *= 0.9
    if pattern is _CYRILLIC:
        # Mis-decoded Latin-1 or Hangul bytes give words that mix Latin and Cyrillic letters
        # ("Mьller") or change case inside a word ("ЖјГ¶").
        words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if _CYRILLIC.search(w)]
        odd = sum(
            1
            for w in words
            if re.search(r"[A-Za-z]", w) or (any(c.isupper() for c in w[1:]) and not w.isupper())
        )
        if words:
            score -= odd / len(words)
    return score


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text file from its first bytes: BOMs first, then strict decoding trials
    (UTF-8, then CP949 for Hangul and CP1251 for Cyrillic, scored by script), then
    charset-normalizer for anything else. Raises `TableError` for binary data."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not sample:
        return "utf-8"
    head = sample[:4096]
    zeros_even = head[0::2].count(0)
    zeros_odd = head[1::2].count(0)
    if head.count(0):
        # UTF-16 without a BOM: ASCII letters leave a zero in every other byte.
        half = max(1, len(head) // 2)
        if zeros_odd > 0.3 * half and zeros_even < 0.05 * half:
            return "utf-16-le"
        if zeros_even > 0.3 * half and zeros_odd < 0.05 * half:
            return "utf-16-be"
        raise TableError(
            "this file is not a text table (it contains binary data). Save it from the "
            "spreadsheet as CSV (UTF-8) or XLSX and try again."
        )
    if _decodes(sample, "utf-8") is not None:
        return "utf-8"
    candidates = []
    for encoding, pattern in (("cp949", _HANGUL), ("cp1251", _CYRILLIC), ("cp1252", _LATIN)):
        text = _decodes(sample, encoding)
        if text is not None:
            candidates.append((_script_score(text, pattern), encoding))
    candidates.sort(reverse=True)
    if candidates and candidates[0][0] >= 0.6:
        return candidates[0][1]
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise TableError(
            "the text encoding of this file cannot be recognised. Save it as CSV (UTF-8) "
            "and try again, or name the encoding (--encoding)."
        )
    return best.encoding


def detect_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines into the most, and consistent, columns."""
    best, best_key = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        header = counts[0]
        consistent = sum(1 for c in counts if c == header)
        key = (consistent if header > 1 else 0, header)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Table:
    """An open table: its format, encoding, delimiter, header and a stream of data rows."""

    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number, cells); the header is row 1
    encoding: str = ""
    delimiter: str = ""
    size: int = 0
    _closers: list[IO[bytes] | IO[str]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for handle in self._closers:
            handle.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def position(self) -> int:
        """Bytes read so far (CSV), for progress; 0 when unknown."""
        for handle in self._closers:
            buffer = getattr(handle, "buffer", handle)
            try:
                return buffer.tell()
            except (OSError, ValueError, AttributeError):
                return 0
        return 0


def _normalise_header(cells: Sequence[str]) -> list[str]:
    return [unicodedata.normalize("NFC", c).strip().lstrip("\ufeff") for c in cells]


class _Source:
    """A file on disk, or a file's bytes in memory (an upload, never copied to disk)."""

    def __init__(self, source: str | Path | bytes) -> None:
        self.data = bytes(source) if isinstance(source, bytes | bytearray) else None
        self.path = None if self.data is not None else Path(source)  # type: ignore[arg-type]

    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def open(self, mode: str = "rb", **kwargs) -> IO:
        if self.data is None:
            return self.path.open(mode, **kwargs)
        binary = io.BytesIO(self.data)
        return binary if mode == "rb" else io.TextIOWrapper(binary, **kwargs)


def open_table(source: str | Path | bytes, *, encoding: str = "") -> Table:
    """Open a CSV or XLSX file (a path, or the file's bytes) for streaming.

    Raises `TableError` when it cannot be read, and for an XLSX file that would unpack to more
    than `XLSX_MAX_UNCOMPRESSED` bytes or more than `XLSX_MAX_RATIO` times its size.
    """
    path = _Source(source)
    try:
        size = path.size()
        with path.open("rb") as probe:
            sample = probe.read(SAMPLE_SIZE)
    except OSError as error:
        raise TableError(f"the file cannot be opened: {error.strerror}.") from error
    if not sample.strip(b" \r\n\t\xef\xbb\xbf\xff\xfe\x00"):
        raise TableError("the file is empty: it has no header row and no data.", row=1)
    if _is_xlsx(sample):
        return _open_xlsx(path, size)
    if not encoding:
        encoding = detect_encoding(sample)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise TableError(f"unknown encoding {encoding!r}.") from error
    # The delimiter from the first lines; a decoding error there is reported at its row later.
    head_lines = sample.decode(encoding, errors="replace").splitlines(keepends=True)[:20]
    delimiter = detect_delimiter(head_lines)
    handle: IO[bytes] | IO[str]
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        handle = path.open("r", encoding=encoding, errors="strict", newline="")
        lines: Iterator[str] = iter(handle)
    else:
        # ASCII-compatible encodings: decode line by line, so a bad byte is reported at its
        # own row rather than at the start of the buffer that holds it.
        handle = path.open("rb")
        lines = _decoded_lines(handle, encoding)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration, UnicodeDecodeError) as error:
        handle.close()
        raise TableError("the header row cannot be read.", row=1) from error
    return Table(
        kind="csv",
        header=_normalise_header(header),
        rows=_csv_rows(reader, encoding),
        encoding=encoding,
        delimiter=delimiter,
        size=size,
        _closers=[handle],
    )


def _decoded_lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    decode = codecs.getdecoder(encoding)
    first = True
    for raw in handle:
        text = decode(raw, "strict")[0]
        if first:
            text = text.removeprefix("\ufeff")
            first = False
        yield text


def _csv_rows(reader: Iterator[list[str]], encoding: str) -> Iterator[tuple[int, list[str]]]:
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise TableError(
                f"from here on the file is not valid {encoding} (a damaged or mixed-encoding "
                "file). Save it again as CSV (UTF-8).",
                row=number + 1,
            ) from error
        except csv.Error as error:
            raise TableError(
                f"the row cannot be read ({error}); the file may be truncated or a quote "
                "left open.",
                row=number + 1,
            ) from error
        number += 1
        if not any(c.strip() for c in cells):
            continue
        yield number, cells


# An XLSX file is a zip archive. What a sheet holds compresses about 15-fold; a "zip bomb"
# (a small file that unpacks to gigabytes) reaches a thousandfold. Python's zipfile never
# unpacks a member beyond the size the archive declares for it (a lie ends in a CRC error), so
# the declared sizes bound what reading the file can cost.
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpack to little, whatever their ratio


def xlsx_bomb_check(
    handle: IO[bytes],
    *,
    max_uncompressed: int = XLSX_MAX_UNCOMPRESSED,
    max_ratio: int = XLSX_MAX_RATIO,
) -> None:
    """Raise `TableError` if the archive would unpack to too much, in total or for its size."""
    with zipfile.ZipFile(handle) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    mb = 1024 * 1024
    if total > max_uncompressed:
        raise TableError(
            f"this XLSX file would unpack to {total // mb} MB, more than the "
            f"{max_uncompressed // mb} MB allowed: refused (a damaged file or a zip bomb). "
            "Save the sheet as CSV, or split it into smaller files."
        )
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise TableError(
                f"this XLSX file's part {member.filename} unpacks {ratio}-fold "
                f"(more than {max_ratio}-fold is refused as a zip bomb). Save the sheet as "
                "CSV and try again."
            )
    if total > _RATIO_FLOOR and total > max_ratio * max(packed, 1):
        raise TableError(
            f"this XLSX file unpacks {total // max(packed, 1)}-fold (more than "
            f"{max_ratio}-fold is refused as a zip bomb). Save the sheet as CSV and try again."
        )


def _open_xlsx(path: _Source, size: int) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object: the content decides, not the name (an upload may be called anything).
    handle = path.open("rb")
    try:
        xlsx_bomb_check(handle)
        handle.seek(0)
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except TableError:
        handle.close()
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        handle.close()
        raise TableError(
            "this XLSX file is damaged or truncated. Open it in the spreadsheet and save it again.",
        ) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        workbook.close()
        handle.close()
        raise TableError("this XLSX file is damaged or truncated.", row=1) from error
    if header is None:
        workbook.close()
        handle.close()
        raise TableError("the first sheet is empty: it has no header row.", row=1)

    def stream() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for values in rows:
                number += 1
                cells = [_cell_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                yield number, cells
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise TableError("this XLSX file is damaged or truncated.", row=number) from error
        finally:
            workbook.close()

    return Table(
        kind="xlsx",
        header=_normalise_header([_cell_text(v) for v in header]),
        rows=stream(),
        size=size,
        _closers=[handle],
    )
