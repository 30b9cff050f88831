"""Imports of person lists (CSV, XLSX): check every row, then commit all or nothing.

`persons_import` is the one write path for the console command and the web upload. One pass
over the file, streamed: each row is read into registry fields through the registry's own
rules (`person_fields_validate`, `person_name_build`, `person_search_text`,
`registry_numbers_reserve`), and valid rows are written in chunks inside a single transaction
that is rolled back if any row is invalid. One audit event records the batch (file fingerprint,
counts, the range of registry numbers): per-row events would cost more than the import itself
on a million rows (docs/imports.md).
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action, require
from safepassage.access.visibility import live_persons_visible_to
from safepassage.audit.services import audit_record
from safepassage.cases.models import Case, CaseState
from safepassage.imports.bulk import Inserter, bulk_session, ids_reserve, statistics_refresh
from safepassage.imports.models import (
    DateOrder,
    ImportBatch,
    ImportedRecord,
    ImportJob,
    ImportMapping,
    JobStatus,
)
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
from safepassage.imports.progress import JobProgress, progress_clear
from safepassage.imports.uploads import parts_discard, parts_prune, parts_store, upload_opened
from safepassage.lib.errors import DomainError
from safepassage.lib.spreadsheet import Table, TableError, delimiter_name, open_table
from safepassage.lib.text import search_tokens
from safepassage.registry.models import DatePrecision, Person, PersonName
from safepassage.registry.services import (
    NameInput,
    person_fields_validate,
    person_name_values,
    registry_numbers_reserve,
)

DEFAULT_SOURCE = "default"
CHUNK = 2000
# From this many persons written, the import refreshes the planner's statistics of the imported
# records, which the next import of the source reads for its known ids (`bulk.statistics_refresh`:
# 0.07 s after a million rows). The registry's own tables are left to autovacuum: the person
# table's statistics cost 3 s per million rows (its text columns, the search text most).
STATISTICS_AFTER = 10_000
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


class _Rollback(Exception):
    """Raised inside the import transaction when a row was invalid: nothing is kept."""


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


def import_mapping_save(
    *, actor, name: str, columns: dict[str, str], date_order: str = DateOrder.DAY_FIRST
) -> ImportMapping:
    """Save (or replace) how one source's columns map to registry fields."""
    require(actor, Action.PERSON_REGISTER)
    unknown = set(columns) - set(ALL_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields %(fields)s; the fields are: %(known)s.")
            % {"fields": ", ".join(sorted(unknown)), "known": ", ".join(ALL_FIELDS)},
            field="columns",
        )
    if date_order not in DateOrder.values:
        raise DomainError(_("The date order is dmy or mdy."), field="date_order")
    with transaction.atomic():
        mapping, created = ImportMapping.objects.update_or_create(
            organisation=actor.organisation,
            name=name,
            defaults={"columns": dict(columns), "date_order": date_order},
        )
        audit_record(
            actor=actor,
            action="import.mapping_save",
            obj=mapping,
            changes={"columns": [None, dict(columns)], "date_order": [None, date_order]},
        )
    return mapping


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
}  # fmt: skip


@dataclass
class _Row:
    number: int
    external_id: str
    fields: dict[str, Any]
    name: tuple[str, str, str]  # family, given, patronymic


def _resolve_columns(
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


_MEMO_LIMIT = 100_000
_UNASKED = object()
_NAME_MEMO_LIMIT = 300_000  # distinct names of a million-row list: a family × a given name
# Columns that are (nearly) unique per row: not worth remembering.
_UNIQUE = frozenset({"id", "service_number"})


class _Reader:
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
        if len(memory) >= _MEMO_LIMIT:
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
            if len(self.verdicts) >= _MEMO_LIMIT:
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

    def read(self, number: int, cells: list[str]) -> _Row | None:
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
        for name in ("birth_place", "unit", "service_number", "rank", "capture_place"):
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
        return _Row(number, external_id, values, (family, given, raw.get("patronymic", "")))


# --- the import ----------------------------------------------------------------------------

# The person columns an import fills; the rest take the model's defaults.
_PERSON_COLUMNS = (
    "sex", "birth_date", "birth_date_precision", "birth_place", "nationalities",
    "service_number", "rank", "unit", "capture_date", "capture_place",
)  # fmt: skip


class _Writer:
    """Writes valid rows in chunks: persons, their first name, their case, their external id.

    Values come from the registry's own functions (`registry_numbers_reserve`,
    `person_search_text`, `person_name_values`), computed once per distinct name;
    `bulk.Inserter` only spares the per-row model instances that make the ORM's bulk_create
    too slow for a million rows.
    """

    def __init__(self, *, actor, batch: ImportBatch, source_label: str):
        self.actor, self.batch, self.source_label = actor, batch, source_label
        organisation = actor.organisation
        self.year = timezone.localdate().year
        prototype = Person(registry_number="", detaining_organisation=organisation)
        self.person_defaults = [(n, getattr(prototype, n)) for n in _PERSON_COLUMNS]
        self.persons = Inserter(
            Person,
            prototype,
            ("id", "registry_number", "search_text", *_PERSON_COLUMNS),
            convert=("birth_date", "nationalities", "capture_date"),
        )
        self.name_columns = tuple(person_name_values(NameInput(family_name="x")))
        self.names = Inserter(
            PersonName,
            PersonName(person_id=0, script="Zyyy", position=0),
            ("person_id", *self.name_columns),
        )
        self.cases = Inserter(Case, Case(person_id=0, state=CaseState.REGISTERED), ("person_id",))
        self.records = Inserter(
            ImportedRecord,
            ImportedRecord(
                organisation=organisation, source=batch.source, batch=batch, person_id=0
            ),
            ("person_id", "external_id"),
        )
        self.known_names: dict[tuple[str, str, str], tuple[Any, ...]] = {}
        self.known_tokens: dict[str, list[str]] = {}

    def _name(self, key: tuple[str, str, str]) -> tuple[Any, ...]:
        """The name's columns, checked and normalised by the registry once per distinct name."""
        known = self.known_names.get(key)
        if known is None:
            if len(self.known_names) >= _NAME_MEMO_LIMIT:
                self.known_names.clear()
            values = person_name_values(
                NameInput(
                    family_name=key[0], given_name=key[1], patronymic=key[2],
                    source=self.source_label,
                )
            )  # fmt: skip
            known = tuple(values[c] for c in self.name_columns)
            self.known_names[key] = known
        return known

    def _tokens(self, text: str) -> list[str]:
        tokens = self.known_tokens.get(text)
        if tokens is None:
            if len(self.known_tokens) >= _MEMO_LIMIT:
                self.known_tokens.clear()
            tokens = self.known_tokens[text] = search_tokens(text)
        return tokens

    def _search_text(self, number: str, row: _Row) -> str:
        """`person_search_text` of the person and his name, from each part's search tokens
        (`search_tokens`, remembered per distinct part: names, places and units repeat).

        The same text as the registry's function, which folds the parts joined by spaces: a
        space separates tokens and nothing folds across it. tests/imports check the two agree.
        """
        tokens = self._tokens
        family, given, patronymic = (tokens(part) for part in row.name)
        fields = row.fields
        tail = [
            *search_tokens(number), *search_tokens(fields.get("service_number", "")),
            *tokens(fields.get("unit", "")), *tokens(fields.get("birth_place", "")),
            *tokens(fields.get("capture_place", "")),
        ]  # fmt: skip
        return " | ".join(
            [
                _key([*family, *given, *patronymic]) + " " + _key([*given, *family]),
                _key(tail),
            ]
        )

    def _persons(
        self, rows: list[_Row], numbers: list[str], ids: list[int]
    ) -> Iterator[tuple[Any, ...]]:
        defaults = self.person_defaults
        for row, number, pk in zip(rows, numbers, ids, strict=True):
            fields = row.fields
            yield (
                pk, number, self._search_text(number, row),
                *[fields.get(n, default) for n, default in defaults],
            )  # fmt: skip

    def write(self, rows: list[_Row], meanwhile: Callable[[], list[_Row]]) -> list[_Row]:
        """Write `rows`, and return what `meanwhile` returns, run while the database writes
        the persons and their search index: the import reads its next chunk then, instead of
        leaving the server idle (`Inserter.inserting`). `meanwhile` must not query the
        database."""
        numbers = registry_numbers_reserve(
            organisation=self.actor.organisation, year=self.year, count=len(rows)
        )
        ids = ids_reserve(Person, len(rows))
        with self.persons.inserting(self._persons(rows, numbers, ids)):
            after = meanwhile()
        # After their persons: SQLite looks up every new person's pending references otherwise.
        self.names.insert([(pk, *self._name(row.name)) for row, pk in zip(rows, ids, strict=True)])
        self.cases.insert([(pk,) for pk in ids])
        self.records.insert([(pk, row.external_id) for row, pk in zip(rows, ids, strict=True)])
        if not self.batch.first_registry_number:
            self.batch.first_registry_number = numbers[0]
        self.batch.last_registry_number = numbers[-1]
        return after


def _key(tokens: list[str]) -> str:
    """`search_key` of parts whose tokens are `tokens`: the words, then the words joined."""
    return " ".join(tokens) + " " + "".join(tokens) if tokens else ""


def _known_ids(actor, source: str, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), 900):
        known.update(
            ImportedRecord.objects.filter(
                organisation=actor.organisation,
                source=source,
                external_id__in=ids[start : start + 900],
            ).values_list("external_id", flat=True)
        )
    return known


def persons_import(
    *,
    actor,
    path: str | Path,
    file_name: str = "",
    mapping: str = "",
    dry_run: bool = False,
    encoding: str = "",
    progress: Progress | None = None,
    duplicates: bool = False,
) -> ImportResult:
    """Import the persons of a CSV or XLSX file, all or nothing.

    Every row is checked; the result lists each problem with its row, field and what to do.
    With any problem, or with `dry_run`, nothing is written. Rows whose id this source already
    imported are skipped, and the same file twice creates nothing new. A dry run with
    `duplicates` also flags rows that look like a person already registered, or like another
    row of the file, through the tracing engine (for files and registries of bounded size).
    """
    require(actor, Action.PERSON_REGISTER)
    path = Path(path)
    chosen = mapping_for(actor=actor, name=mapping)
    result = ImportResult(source=chosen.source, file_name=file_name or path.name, dry_run=dry_run)
    try:
        result.fingerprint = file_fingerprint(path)
    except OSError as error:
        raise DomainError(
            _("The file cannot be read: %(why)s") % {"why": error.strerror}
        ) from error
    earlier = ImportBatch.objects.filter(
        organisation=actor.organisation, source=chosen.source, fingerprint=result.fingerprint
    ).first()
    if earlier is not None:
        result.already_imported = earlier
        return result
    try:
        table = open_table(path, encoding=encoding)
    except TableError as error:
        result.add(Problem(error.row, "file", str(error), _fix_for_file()))
        return result
    with table:
        result.kind, result.encoding, result.delimiter = table.kind, table.encoding, table.delimiter
        result.header = list(table.header)
        positions = _resolve_columns(table.header, chosen, result)
        if positions is None:
            return result
        if dry_run:
            found = _Candidates() if duplicates else None
            _run(actor, table, positions, chosen, result, progress, batch=None, candidates=found)
            if found is not None and result.ok:
                _duplicates_flag(actor, found, result)
            return result
        try:
            with bulk_session(), transaction.atomic():
                batch = ImportBatch.objects.create(
                    organisation=actor.organisation,
                    source=chosen.source,
                    file_name=result.file_name[:255],
                    fingerprint=result.fingerprint,
                    created_by=actor,
                )
                _run(actor, table, positions, chosen, result, progress, batch=batch)
                if not result.ok:
                    raise _Rollback
                if result.created >= STATISTICS_AFTER:
                    statistics_refresh((ImportedRecord,))
                batch.rows_total = result.rows_total
                batch.created_count = result.created
                batch.skipped_count = result.rows_already_imported
                batch.save()
                audit_record(
                    actor=actor,
                    action="import.commit",
                    obj=batch,
                    changes={
                        "source": [None, batch.source],
                        "file_name": [None, batch.file_name],
                        "fingerprint": [None, batch.fingerprint],
                        "encoding": [None, result.encoding],
                        "rows_total": [None, batch.rows_total],
                        "created": [None, batch.created_count],
                        "already_imported": [None, batch.skipped_count],
                        "registry_numbers": [
                            None,
                            [batch.first_registry_number, batch.last_registry_number],
                        ],
                    },
                )
                result.batch = batch
        except _Rollback:
            result.created = 0
            result.batch = None
        except IntegrityError as error:
            if not any(name in str(error) for name in _RACE_SIGNS):
                raise
            # A concurrent import of the same file or ids won the race: nothing of ours is kept.
            raise DomainError(
                _("Another import of this source committed first; run this one again.")
            ) from error
    return result


# How the databases name the unique constraints a concurrent import of the same source trips.
_RACE_SIGNS = (
    "import_batch_file_once", "imported_record_external_id_once",  # PostgreSQL
    "imports_importbatch.", "imports_importedrecord.",  # SQLite
)  # fmt: skip


def _fix_for_file() -> str:
    return _("Save the list from the spreadsheet as CSV (UTF-8) or XLSX and try again.")


def _run(
    actor,
    table: Table,
    positions: dict[str, int],
    mapping: Mapping,
    result: ImportResult,
    progress: Progress | None,
    *,
    batch: ImportBatch | None,
    candidates: _Candidates | None = None,
) -> None:
    rows = _valid_rows(table, _Reader(positions, mapping, len(table.header), result), result)
    if candidates is not None:
        rows = candidates.adding(rows)
    source_label = _("import: %(source)s") % {"source": mapping.source}
    writer = (
        _Writer(actor=actor, batch=batch, source_label=source_label) if batch is not None else None
    )
    # A source that never imported anything has no ids to skip: no query per chunk.
    source_known = ImportedRecord.objects.filter(
        organisation=actor.organisation, source=mapping.source
    ).exists()

    def next_chunk() -> list[_Row]:
        return list(itertools.islice(rows, CHUNK))

    chunk = next_chunk()
    while chunk:
        fresh = chunk
        if source_known:
            known = _known_ids(actor, mapping.source, [r.external_id for r in chunk])
            fresh = [r for r in chunk if r.external_id not in known]
        result.rows_already_imported += len(chunk) - len(fresh)
        if writer is not None and result.ok and fresh:
            chunk = writer.write(fresh, next_chunk)
            result.created += len(fresh)
        else:
            chunk = next_chunk()
        if progress is not None:
            progress(result.rows_total, table.position(), table.size)
    if result.rows_total == 0 and result.ok:
        result.add(
            Problem(
                2,
                "file",
                _("the file has a header but no data rows."),
                _("Check that the right sheet or file was exported."),
            )
        )
    if progress is not None:
        progress(result.rows_total, table.size, table.size)


def _valid_rows(table: Table, reader: _Reader, result: ImportResult) -> Iterator[_Row]:
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
        result.add(Problem(error.row, "file", str(error), _fix_for_file()))


# --- likely duplicates (the tracing engine) -------------------------------------------------

# Beyond these, ranking every row would take longer than the check itself: the duplicates
# queue (`tracing`) finds them after the import instead.
DUPLICATE_CHECK_ROWS = 10_000
DUPLICATE_CHECK_REGISTRY = 100_000


class _Candidates:
    """The valid rows of a dry run, kept for the duplicate check while there are few."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.too_many = False

    def adding(self, rows: Iterator[_Row]) -> Iterator[_Row]:
        """`rows`, each kept on its way through."""
        for row in rows:
            if len(self.rows) >= DUPLICATE_CHECK_ROWS:
                self.too_many = True
                self.rows = []
            elif not self.too_many:
                self.rows.append(row)
            yield row


def _birth_text(fields: dict[str, Any]) -> str:
    born = fields.get("birth_date")
    if born is None:
        return ""
    precision = fields.get("birth_date_precision", DatePrecision.EXACT)
    if precision == DatePrecision.MONTH:
        return born.strftime("%Y-%m")
    if precision == DatePrecision.EXACT:
        return born.isoformat()
    return str(born.year)


def _duplicates_flag(actor, candidates: _Candidates, result: ImportResult) -> None:
    """Flag rows that the tracing engine ranks as likely the same man as a registered person
    (among those the actor may see) or as another row of the file. Nothing is refused: the
    registrar decides, and the duplicates queue can merge later."""
    if candidates.too_many:
        result.duplicates_note = _(
            "Not checked for likely duplicates: more than %(rows)s rows. The duplicates queue "
            "will find them once imported."
        ) % {"rows": f"{DUPLICATE_CHECK_ROWS:,}"}
        return
    registry = live_persons_visible_to(actor)
    if registry.count() > DUPLICATE_CHECK_REGISTRY:
        result.duplicates_note = _(
            "Not checked for likely duplicates: the registry is too large to compare here. The "
            "duplicates queue will find them once imported."
        )
        return
    from safepassage.tracing import linkage
    from safepassage.tracing.services import DUPLICATE_THRESHOLD

    index = linkage.RegistryIndex.build(
        linkage.person_link_records(registry.prefetch_related("names"))
    )
    queries = []
    for row in candidates.rows:
        fields = row.fields
        record = linkage.LinkRecord(
            id=f"row{row.number}:0",
            family_name=row.name[0],
            given_name=row.name[1],
            birth_date=_birth_text(fields),
            birth_place=fields.get("birth_place", ""),
            nationality=",".join(fields.get("nationalities") or []),
            unit=fields.get("unit", ""),
            service_number=fields.get("service_number", ""),
        )
        index.add(record)
        queries.append((row, record))
    numbers = dict(registry.values_list("pk", "registry_number"))
    for row, record in queries:
        for candidate in index.rank(record, limit=3, threshold=DUPLICATE_THRESHOLD):
            if candidate.id == f"row{row.number}":
                continue
            if candidate.id.startswith("row"):
                other = int(candidate.id[3:])
                if other > row.number:
                    continue  # flagged once, at the later row
                match = _("row %(row)s of this file") % {"row": other}
            else:
                match = numbers.get(int(candidate.id), "")
            result.duplicates.append(
                {
                    "row": row.number,
                    "id": row.external_id,
                    "name": " ".join(part for part in row.name if part),
                    "match": match,
                    "probability": round(float(candidate.probability), 2),
                }
            )
            break
    result.duplicates_checked = True


def _preview(row: _Row) -> dict[str, str]:
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


# --- upload jobs (the web) -----------------------------------------------------------------


def import_job_create(*, actor, upload, mapping: str = "", encoding: str = "") -> ImportJob:
    """Keep an uploaded list (sealed) and queue its check; returns the job."""
    require(actor, Action.PERSON_REGISTER)
    chosen = mapping_for(actor=actor, name=mapping)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise DomainError(_("Unknown encoding."), field="encoding") from error
    parts_prune()
    with transaction.atomic():
        job = ImportJob.objects.create(
            organisation=actor.organisation,
            created_by=actor,
            source=chosen.source,
            file_name=(upload.name or "upload")[:255],
            encoding=encoding,
        )
        size = parts_store(job=job, pieces=upload.pieces())
        job.bytes_total = size
        job.save(update_fields=["bytes_total"])
        audit_record(
            actor=actor,
            action="import.upload",
            obj=job,
            changes={
                "file_name": [None, job.file_name],
                "source": [None, job.source],
                "bytes": [None, size],
            },
        )
        _enqueue("import_check", job)
    return job


def _enqueue(name: str, job: ImportJob) -> None:
    """Queue a job's task in the caller's transaction: only its id goes to the task table."""
    from safepassage.imports import tasks

    getattr(tasks, name).enqueue(job_id=job.pk)


def _job_finish(job: ImportJob, **values: Any) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    job.save(update_fields=[*values, "updated_at"])


_GONE = gettext_lazy(
    "The uploaded file is no longer kept (uploads are kept for a day). Upload it again."
)
_NOT_ALLOWED = gettext_lazy("Your account may no longer import persons.")
_UNEXPECTED = gettext_lazy(
    "The import stopped on an unexpected error; nothing was written. Try again; if it happens "
    "again, give your administrator the job number."
)


def import_job_check(*, job_id: int) -> str:
    """The background check (a dry run) of an upload: its report, preview and duplicates."""
    job = ImportJob.objects.select_related("created_by__organisation").get(pk=job_id)
    if job.status not in {JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.FAILED}:
        return job.status  # already checked: a rerun changes nothing
    if job.status == JobStatus.FAILED and job.fingerprint:
        return job.status  # its import failed, not its check
    _job_finish(job, status=JobStatus.VALIDATING, rows_done=0, bytes_done=0, error="")
    try:
        with upload_opened(job) as path:
            if path is None:
                _job_finish(job, status=JobStatus.FAILED, error=str(_GONE))
                return job.status
            result = persons_import(
                actor=job.created_by,
                path=path,
                file_name=job.file_name,
                mapping=job.source,
                dry_run=True,
                encoding=job.encoding,
                progress=JobProgress(job, in_transaction=False),
                duplicates=True,
            )
    except PermissionDenied:
        _job_finish(job, status=JobStatus.FAILED, error=str(_NOT_ALLOWED))
        return job.status
    except DomainError as error:
        _job_finish(job, status=JobStatus.FAILED, error=str(error))
        return job.status
    except Exception:
        _job_finish(job, status=JobStatus.FAILED, error=str(_UNEXPECTED))
        raise
    _job_finish(
        job,
        status=JobStatus.VALID if result.ok else JobStatus.INVALID,
        fingerprint=result.fingerprint,
        summary=result.summary(),
        problems=[p.as_dict() for p in result.problems],
        rows_done=result.rows_total,
        bytes_done=job.bytes_total,
    )
    if result.already_imported is not None:
        parts_discard(job=job)  # nothing will be imported from it
    # A refused file is kept (sealed) for a day: checked again with another mapping, it may pass.
    return job.status


def import_job_commit_request(*, actor, job: ImportJob) -> ImportJob:
    """Queue the import of a checked upload; only its uploader may."""
    require(actor, Action.PERSON_REGISTER)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != actor.pk:
            raise PermissionDenied
        if not job.may_commit:
            raise DomainError(_("This upload cannot be imported in its present state."))
        _job_finish(job, status=JobStatus.COMMITTING, rows_done=0, bytes_done=0, error="")
        _enqueue("import_commit", job)
    return job


def import_job_commit(*, job_id: int) -> str:
    """The background import of a checked upload, all or nothing: the persons, the batch, its
    audit event and the job's own status commit together, or none of them."""
    job = ImportJob.objects.select_related("created_by__organisation").get(pk=job_id)
    if job.status not in {JobStatus.COMMITTING, JobStatus.FAILED} or not job.fingerprint:
        return job.status
    progress_clear(job.pk)
    try:
        with upload_opened(job) as path:
            if path is None:
                _job_finish(job, status=JobStatus.FAILED, error=str(_GONE))
                return job.status
            with transaction.atomic():
                result = persons_import(
                    actor=job.created_by,
                    path=path,
                    file_name=job.file_name,
                    mapping=job.source,
                    encoding=job.encoding,
                    progress=JobProgress(job, in_transaction=True),
                )
                batch = result.batch or result.already_imported
                _job_finish(
                    job,
                    status=JobStatus.COMMITTED if result.ok else JobStatus.INVALID,
                    summary=result.summary(),
                    problems=[p.as_dict() for p in result.problems],
                    batch=batch,
                    rows_done=result.rows_total,
                    bytes_done=job.bytes_total,
                )
                parts_discard(job=job)
    except PermissionDenied:
        _job_finish(job, status=JobStatus.FAILED, error=str(_NOT_ALLOWED))
    except DomainError as error:
        _job_finish(job, status=JobStatus.FAILED, error=str(error))
    except Exception:
        _job_finish(job, status=JobStatus.FAILED, error=str(_UNEXPECTED))
        raise
    finally:
        progress_clear(job.pk)
    return job.status


def import_job_discard(*, actor, job: ImportJob) -> None:
    """Forget an upload that will not be imported: its stored file goes at once."""
    require(actor, Action.PERSON_REGISTER)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != actor.pk:
            raise PermissionDenied
        if job.is_running:
            raise DomainError(_("This upload is being worked on; wait until it stops."))
        if job.status == JobStatus.COMMITTED:
            raise DomainError(_("This upload was imported; there is nothing to discard."))
        parts_discard(job=job)
        _job_finish(job, status=JobStatus.DISCARDED)
        audit_record(actor=actor, action="import.discard", obj=job)


def import_job_recheck(*, actor, job: ImportJob, mapping: str) -> ImportJob:
    """Check a kept upload again with another mapping (its uploader only)."""
    require(actor, Action.PERSON_REGISTER)
    chosen = mapping_for(actor=actor, name=mapping)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != actor.pk:
            raise PermissionDenied
        if job.status not in {JobStatus.VALID, JobStatus.INVALID, JobStatus.FAILED}:
            raise DomainError(_("This upload cannot be checked again in its present state."))
        if not job.parts.exists():
            raise DomainError(str(_GONE))
        _job_finish(
            job, status=JobStatus.QUEUED, source=chosen.source, summary={}, problems=[],
            fingerprint="", rows_done=0, bytes_done=0, error="",
        )  # fmt: skip
        _enqueue("import_check", job)
    return job
