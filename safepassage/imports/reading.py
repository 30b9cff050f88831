"""Reading an import: the file's columns resolved through a mapping, each row checked and read
into registry fields by the registry's own rules (`person_fields_validate`), and what was found
(`ImportResult`). Nothing here writes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from safepassage.imports.models import DateOrder, ImportBatch, ImportMapping
from safepassage.imports.parsing import (
    ALL_FIELDS,
    CONTRACT_FIELDS,
    MAX_EXTERNAL_ID,
    CellError,
    Problem,
    clean_cell,
    parse_date,
    parse_nationalities,
    parse_sex,
    split_full_name,
)
from safepassage.lib.errors import DomainError
from safepassage.lib.spreadsheet import Table, TableError, delimiter_name
from safepassage.registry.models import DatePrecision, Person
from safepassage.registry.services import person_fields_validate

DEFAULT_SOURCE = "default"
MAX_PROBLEMS_KEPT = 1000
PREVIEW_ROWS = 10

Progress = Callable[[int, int, int], None]  # rows done, bytes done, bytes total


@dataclass
class ImportResult:
    """What an import (or its dry run) found and did."""

    source: str
    file_name: str
    fingerprint: str = ""
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field → column used
    ignored_columns: list[str] = field(default_factory=list)
    rows_total: int = 0
    rows_valid: int = 0
    rows_already_imported: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    preview: list[dict[str, str]] = field(default_factory=list)
    batch: ImportBatch | None = None
    already_imported: ImportBatch | None = None
    dry_run: bool = False
    header: list[str] = field(default_factory=list)
    duplicates_checked: bool = False
    duplicates_note: str = ""
    # {row, id, name, match: registry number or "row N", probability}
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source, "file_name": self.file_name, "kind": self.kind,
            "encoding": self.encoding, "delimiter": delimiter_name(self.delimiter)
            if self.delimiter else "", "columns": self.columns,
            "ignored_columns": self.ignored_columns, "rows_total": self.rows_total,
            "rows_valid": self.rows_valid, "rows_already_imported": self.rows_already_imported,
            "created": self.created, "problem_count": self.problem_count,
            "preview": self.preview, "dry_run": self.dry_run, "header": self.header[:200],
            "duplicates_checked": self.duplicates_checked,
            "duplicates_note": self.duplicates_note, "duplicates": self.duplicates,
            "already_imported": self.already_imported.pk if self.already_imported else None,
            "batch": self.batch.pk if self.batch else None,
            "first_registry_number": self.batch.first_registry_number if self.batch else "",
            "last_registry_number": self.batch.last_registry_number if self.batch else "",
        }  # fmt: skip


# --- mappings ------------------------------------------------------------------------------


# --- mappings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    source: str
    columns: dict[str, str]  # field → column heading
    day_first: bool = True


def mapping_for(*, actor, name: str = "") -> Mapping:
    """The saved mapping of a source; "default" (or none) is the linkage CSV contract."""
    name = (name or DEFAULT_SOURCE).strip()
    saved = ImportMapping.objects.filter(organisation=actor.organisation, name=name).first()
    if saved is not None:
        return Mapping(
            source=saved.name,
            columns={f: c for f, c in saved.columns.items() if f in ALL_FIELDS and c},
            day_first=saved.date_order == DateOrder.DAY_FIRST,
        )
    if name != DEFAULT_SOURCE:
        raise DomainError(
            _("No saved mapping “%(name)s”. Save one first (safepassage import mapping save).")
            % {"name": name},
            field="mapping",
        )
    return Mapping(source=DEFAULT_SOURCE, columns={f: f for f in ALL_FIELDS})


# --- reading rows --------------------------------------------------------------------------


def file_fingerprint(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _max_length(name: str) -> int:
    return Person._meta.get_field(name).max_length or 200


_NAME_MAX = 200  # PersonName.family_name / given_name / patronymic
_LIMITS = {
    "id": MAX_EXTERNAL_ID, "family_name": _NAME_MAX, "given_name": _NAME_MAX,
    "full_name": 2 * _NAME_MAX, "patronymic": _NAME_MAX, "nationality": 200, "sex": 20,
    "birth_date": 40, "capture_date": 40,
    **{f: _max_length(f) for f in ("birth_place", "unit", "service_number", "rank")},
    "capture_place": _max_length("capture_place"),
    "internment_place": _max_length("internment_place"),
}  # fmt: skip


# Columns a list may not carry: what only another record sets (docs/imports.md).
REFUSED_COLUMNS = frozenset({"art110_category"})


@dataclass
class Row:
    number: int
    external_id: str
    fields: dict[str, Any]
    name: tuple[str, str, str]  # family, given, patronymic


def resolve_columns(
    header: list[str], mapping: Mapping, result: ImportResult
) -> dict[str, int] | None:
    """Column index per mapped field; records a file-level problem and returns None when the
    required columns are missing."""
    positions: dict[str, int] = {}
    lowered = {h.casefold(): i for i, h in reversed(list(enumerate(header)))}
    for name, column in mapping.columns.items():
        index = lowered.get(column.strip().casefold())
        if index is not None:
            positions[name] = index
            result.columns[name] = header[index]
    refused = [h for h in header if h.strip().casefold() in REFUSED_COLUMNS]
    if refused:
        result.add(
            Problem(
                row=1,
                field=refused[0],
                problem=_("the column %(column)s cannot be imported: a person's Art. 110 "
                          "category is set only by a Mixed Medical Commission's finding.")
                % {"column": refused[0]},
                fix=_("Remove the column; the commission records its examinations under "
                      "Medical commissions."),
            )
        )  # fmt: skip
        return None
    used = set(positions.values())
    result.ignored_columns = [h for i, h in enumerate(header) if i not in used and h]
    missing = []
    if "id" not in positions:
        missing.append(mapping.columns.get("id", "id"))
    if not {"family_name", "given_name", "full_name"} & set(positions):
        missing.append(
            " / ".join(
                mapping.columns.get(f, f) for f in ("family_name", "given_name", "full_name")
            )
        )
    if missing:
        result.add(
            Problem(
                row=1,
                field="header",
                problem=_("required columns are missing: %(columns)s (found: %(found)s).")
                % {
                    "columns": "; ".join(missing),
                    "found": ", ".join(h for h in header if h)[:300] or "—",
                },
                fix=_(
                    "Name the columns as in the contract (%(contract)s), or save a mapping for "
                    "this source and choose it."
                )
                % {"contract": ",".join(CONTRACT_FIELDS)},
            )
        )
        return None
    return positions


MEMO_LIMIT = 100_000  # distinct cells remembered per kind, here and by the writer
_UNASKED = object()
# Columns that are (nearly) unique per row: not worth remembering.
_UNIQUE = frozenset({"id", "service_number"})


class Reader:
    """Reads rows into registry fields, remembering what it has already read.

    Lists repeat themselves (family names, places, units, dates of birth, nationalities), so
    each distinct cell is cleaned and parsed once per import; every row still passes every
    check, and a problem is reported at every row that has it. The memories are bounded.
    """

    def __init__(self, positions: dict[str, int], mapping: Mapping, width: int, result):
        self.positions = sorted(positions.items(), key=lambda item: item[1])
        self.has_id = "id" in positions
        self.mapping, self.width, self.result = mapping, width, result
        self.cells: dict[tuple[str, str], str | CellError] = {}
        self.dates: dict[str, tuple[Any, str] | CellError] = {}
        self.nationalities: dict[str, list[str] | CellError] = {}
        self.sexes: dict[str, str | CellError] = {}
        self.verdicts: dict[tuple, DomainError | None] = {}

    @staticmethod
    def _memo(memory: dict, key, compute):
        try:
            return memory[key]
        except KeyError:
            pass
        if len(memory) >= MEMO_LIMIT:
            memory.clear()
        try:
            value = compute()
        except CellError as error:
            value = error
        memory[key] = value
        return value

    def _validate(self, values: dict[str, Any]) -> None:
        """The registry's rules (`person_fields_validate`), asked once per distinct verdict
        they can give: they read the names of the fields and the two dates, nothing else
        (a rule on another field must join the key below)."""
        key = (frozenset(values), values.get("birth_date"), values.get("capture_date"))
        verdict = self.verdicts.get(key, _UNASKED)
        if verdict is _UNASKED:
            if len(self.verdicts) >= MEMO_LIMIT:
                self.verdicts.clear()
            try:
                person_fields_validate(values)
                verdict = None
            except DomainError as error:
                verdict = error
            self.verdicts[key] = verdict
        if verdict is not None:
            raise DomainError(str(verdict), field=verdict.field)  # a fresh one per row

    def _clean(self, name: str, text: str) -> str | CellError:
        if name in _UNIQUE:
            try:
                return clean_cell(text, field=name, max_length=_LIMITS[name])
            except CellError as error:
                return error
        return self._memo(
            self.cells,
            (name, text),
            lambda: clean_cell(text, field=name, max_length=_LIMITS[name]),
        )

    def read(self, number: int, cells: list[str]) -> Row | None:
        result = self.result
        columns = result.columns
        problems: list[Problem] = []
        if len(cells) != self.width:
            problems.append(
                Problem(
                    number,
                    "row",
                    _("%(found)s cells where the header has %(width)s.")
                    % {"found": len(cells), "width": self.width},
                    _("Check for a delimiter inside a value (quote it) or a row cut short."),
                )
            )
        raw: dict[str, str] = {}
        count = len(cells)
        memory = self.cells
        for name, index in self.positions:
            text = cells[index] if index < count else ""
            cleaned = memory.get((name, text)) if name not in _UNIQUE else None
            if cleaned is None:
                cleaned = self._clean(name, text)
            if isinstance(cleaned, CellError):
                problems.append(Problem(number, columns[name], cleaned.problem, cleaned.fix))
                raw[name] = ""
            else:
                raw[name] = cleaned
        values: dict[str, Any] = {}
        for name in ("birth_date", "capture_date"):
            text = raw.get(name)
            if not text:
                continue
            parsed = self.dates.get(text) or self._memo(
                self.dates, text, lambda t=text: parse_date(t, day_first=self.mapping.day_first)
            )
            if isinstance(parsed, CellError):
                problems.append(Problem(number, columns[name], parsed.problem, parsed.fix))
                continue
            values[name], precision = parsed
            if name == "birth_date":
                values["birth_date_precision"] = precision
            elif precision != DatePrecision.EXACT:
                problems.append(
                    Problem(
                        number,
                        columns[name],
                        _("the date of capture needs the day."),
                        _("Give the full date of capture (GC III Art. 70 counts from it)."),
                    )
                )
        text = raw.get("nationality")
        if text:
            codes = self._memo(self.nationalities, text, lambda: parse_nationalities(text))
            if isinstance(codes, CellError):
                problems.append(Problem(number, columns["nationality"], codes.problem, codes.fix))
            else:
                values["nationalities"] = codes
        if "sex" in raw:
            sex = self._memo(self.sexes, raw["sex"], lambda: parse_sex(raw["sex"]))
            if isinstance(sex, CellError):
                problems.append(Problem(number, columns["sex"], sex.problem, sex.fix))
            else:
                values["sex"] = sex
        for name in (
            "birth_place", "unit", "service_number", "rank", "capture_place", "internment_place",
        ):  # fmt: skip
            if raw.get(name):
                values[name] = raw[name]
        family, given = raw.get("family_name", ""), raw.get("given_name", "")
        if not (family or given) and raw.get("full_name"):
            family, given = split_full_name(raw["full_name"])
        if not (family or given):
            problems.append(
                Problem(
                    number,
                    "family_name",
                    _("the row has no name."),
                    _("Give a family name, a given name or a full name, in any script."),
                )
            )
        external_id = raw.get("id", "")
        if not external_id and self.has_id:
            problems.append(
                Problem(
                    number,
                    columns.get("id", "id"),
                    _("the row has no id."),
                    _("Give every row the id the source uses, so a second import recognises it."),
                )
            )
        if not problems:
            try:
                self._validate(values)
            except DomainError as error:
                column = error.field or "row"
                problems.append(
                    Problem(
                        number, columns.get(column, column), str(error),
                        _("Correct the date in the file."),
                    )
                )  # fmt: skip
        if problems:
            for problem in problems:
                result.add(problem)
            return None
        return Row(number, external_id, values, (family, given, raw.get("patronymic", "")))


# --- the import ----------------------------------------------------------------------------


def fix_for_file() -> str:
    return _("Save the list from the spreadsheet as CSV (UTF-8) or XLSX and try again.")


def valid_rows(table: Table, reader: Reader, result: ImportResult) -> Iterator[Row]:
    """The valid rows of `table`, each checked by `reader`. Every problem goes to `result`,
    a row repeating an earlier row's id included; a file that cannot be read further ends the
    rows with its problem (never an exception, as the rows may be read during a `COPY`)."""
    seen: dict[str, int] = {}
    read = reader.read
    try:
        for number, cells in table.rows:
            result.rows_total += 1
            row = read(number, cells)
            if row is None:
                continue
            first = seen.setdefault(row.external_id, number)
            if first != number:
                result.add(
                    Problem(
                        number,
                        result.columns.get("id", "id"),
                        _("id “%(id)s” is already used by row %(row)s of this file.")
                        % {"id": row.external_id[:40], "row": first},
                        _("Give each person his own id, or remove the repeated row."),
                    )
                )
                continue
            result.rows_valid += 1
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(_preview(row))
            yield row
    except TableError as error:
        result.add(Problem(error.row, "file", str(error), fix_for_file()))


def _preview(row: Row) -> dict[str, str]:
    fields = row.fields
    return {
        "row": str(row.number),
        "id": row.external_id,
        "family_name": row.name[0],
        "given_name": row.name[1],
        "birth_date": str(fields.get("birth_date") or ""),
        "nationality": ", ".join(fields.get("nationalities") or []),
        "unit": fields.get("unit", ""),
    }
