"""The batch CSV contract (docs/linkage.md): reading with row- and field-exact errors, writing
all-or-nothing."""

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .records import LinkRecord, parse_birth_date

COLUMNS = (
    "id",
    "family_name",
    "given_name",
    "full_name",
    "birth_date",
    "birth_place",
    "nationality",
    "unit",
    "service_number",
)


class ContractError(ValueError):
    """Input that does not follow the CSV contract; the message names the file, row and field."""


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContractError(f"{path}: no such file") from None
    except OSError as error:
        raise ContractError(f"{path}: cannot read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContractError(
            f"{path}: row {line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); save the file as UTF-8"
        ) from None


def read_records(path: Path) -> list[LinkRecord]:
    """All records of a contract CSV, or ContractError for the first problem found.

    Rows are numbered as lines of the file (the header is row 1). Unknown columns are ignored.
    """
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ContractError(
            f"{path}: empty file; expected a header row with an id column"
        ) from None
    except csv.Error as error:
        raise ContractError(f"{path}: row 1: {error}") from None
    header = [h.strip() for h in header]
    if "id" not in header:
        raise ContractError(
            f"{path}: row 1: no id column; the header must name the columns ({','.join(COLUMNS)})"
        )
    repeated = sorted({h for h in header if h in COLUMNS and header.count(h) > 1})
    if repeated:
        raise ContractError(f"{path}: row 1: column {repeated[0]} appears more than once")
    picks = [header.index(name) if name in header else None for name in COLUMNS]
    width = len(header)
    date_at = COLUMNS.index("birth_date")
    records: list[LinkRecord] = []
    seen: dict[str, int] = {}
    dates: dict[str, str] = {}  # date as written → "" when valid, else the reason
    try:
        for fields in reader:
            row_number = reader.line_num
            if not fields or not "".join(fields).strip():
                continue
            count = len(fields)
            if count > width:
                raise ContractError(
                    f"{path}: row {row_number}: {count} fields but the header has {width}"
                )
            values = [
                fields[index].strip() if index is not None and index < count else ""
                for index in picks
            ]
            record_id = values[0]
            if not record_id:
                raise ContractError(
                    f"{path}: row {row_number}, field id: empty; every row needs an id"
                )
            first = seen.setdefault(record_id, row_number)
            if first != row_number:
                raise ContractError(
                    f"{path}: row {row_number}, field id: duplicate id {record_id!r} "
                    f"(first in row {first})"
                )
            birth_date = values[date_at]
            problem = dates.get(birth_date)
            if problem is None:
                problem = dates[birth_date] = _date_problem(birth_date)
            if problem:
                raise ContractError(
                    f"{path}: row {row_number}, field birth_date: {birth_date!r} is not a date "
                    f"({problem})"
                )
            records.append(LinkRecord(*values))
    except csv.Error as error:
        raise ContractError(f"{path}: row {reader.line_num}: {error}") from None
    return records


def _date_problem(text: str) -> str:
    try:
        parse_birth_date(text)
    except ValueError as error:
        return str(error)
    return ""


def write_rows(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> None:
    """Write a CSV atomically: a temporary file beside `path`, renamed when complete."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ContractError(f"{path}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(list(header))
            writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
