"""The all-or-nothing writer of an import: valid rows in chunks, inside one transaction.

Values come from the registry's own functions; `bulk.Inserter` writes them without a model
instance per row (docs/imports.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.services import audit_record
from safepassage.cases.models import Case, CaseState
from safepassage.imports.bulk import Inserter, bulk_session, statistics_refresh
from safepassage.imports.models import ImportBatch, ImportedRecord
from safepassage.imports.parsing import Problem
from safepassage.imports.reading import (
    MEMO_LIMIT,
    ImportResult,
    Mapping,
    Progress,
    Reader,
    Row,
    valid_rows,
)
from safepassage.lib.errors import DomainError
from safepassage.lib.ids import ids_reserve
from safepassage.lib.spreadsheet import Table
from safepassage.lib.text import search_tokens
from safepassage.registry.models import NameKey, Person, PersonName, Place
from safepassage.registry.services import (
    NameInput,
    name_key_rows,
    person_name_values,
    place_for,
    registry_numbers_reserve,
)

if TYPE_CHECKING:
    from safepassage.imports.duplicates import Candidates

CHUNK = 2000
# From this many persons written, the import refreshes the planner's statistics of the imported
# records, which the next import of the source reads for its known ids (`bulk.statistics_refresh`:
# 0.07 s after a million rows). The registry's own tables are left to autovacuum: the person
# table's statistics cost 3 s per million rows (its text columns, the search text most).
STATISTICS_AFTER = 10_000


class _Rollback(Exception):
    """Raised inside the import transaction when a row was invalid: nothing is kept."""


NAME_MEMO_LIMIT = 300_000  # distinct names of a million-row list: a family × a given name

# The person columns an import fills; the rest take the model's defaults.
_PERSON_COLUMNS = (
    "sex", "birth_date", "birth_date_precision", "birth_place", "nationalities",
    "service_number", "rank", "unit", "capture_date", "capture_place", "internment_place",
    "place_id",
)  # fmt: skip


class Writer:
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
            ("id", "person_id", *self.name_columns),
        )
        self.keys = Inserter(
            NameKey,
            NameKey(person_id=0, name_id=0, kind="", key=""),
            ("person_id", "name_id", "kind", "system", "key"),
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
        self.known_places: dict[str, Place | None] = {}
        self.known_tokens: dict[str, list[str]] = {}

    def _name(self, key: tuple[str, str, str]) -> tuple[Any, ...]:
        """The name's columns, checked and normalised by the registry once per distinct name."""
        known = self.known_names.get(key)
        if known is None:
            if len(self.known_names) >= NAME_MEMO_LIMIT:
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

    def _places(self, rows: list[Row]) -> None:
        """Each row's place of internment, found or created by the registry (`place_for`) once
        per distinct name, before the rows are written (nothing may query during the copy)."""
        for row in rows:
            text = row.fields.get("internment_place")
            if not text:
                continue
            if text not in self.known_places:
                self.known_places[text] = place_for(
                    actor=self.actor, organisation=self.actor.organisation, name=text
                )
            place = self.known_places[text]
            if place is not None:
                row.fields["internment_place"] = place.name
                row.fields["place_id"] = place.pk

    def _tokens(self, text: str) -> list[str]:
        tokens = self.known_tokens.get(text)
        if tokens is None:
            if len(self.known_tokens) >= MEMO_LIMIT:
                self.known_tokens.clear()
            tokens = self.known_tokens[text] = search_tokens(text)
        return tokens

    def _search_text(self, number: str, row: Row) -> str:
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
            *tokens(fields.get("internment_place", "")), *tokens(fields.get("capture_place", "")),
        ]  # fmt: skip
        return " | ".join(
            [
                _key([*family, *given, *patronymic]) + " " + _key([*given, *family]),
                _key(tail),
            ]
        )

    def _persons(
        self, rows: list[Row], numbers: list[str], ids: list[int]
    ) -> Iterator[tuple[Any, ...]]:
        defaults = self.person_defaults
        for row, number, pk in zip(rows, numbers, ids, strict=True):
            fields = row.fields
            yield (
                pk, number, self._search_text(number, row),
                *[fields.get(n, default) for n, default in defaults],
            )  # fmt: skip

    def _keys(self, rows: list[Row], ids: list[int], names: list[tuple]) -> list[tuple]:
        """The name index of each new person (`registry.services.name_key_rows`)."""
        found = []
        columns = ("id", "person_id", *self.name_columns)
        for row, pk, name in zip(rows, ids, names, strict=True):
            fields = row.fields
            person = SimpleNamespace(
                pk=pk,
                birth_date=fields.get("birth_date"),
                birth_date_precision=fields.get("birth_date_precision", "exact"),
                nationalities=fields.get("nationalities") or [],
                unit=fields.get("unit", ""),
                service_number=fields.get("service_number", ""),
            )
            values = dict(zip(columns, name, strict=True))
            found.extend(name_key_rows(person, [SimpleNamespace(pk=values["id"], **values)]))
        return found

    def write(self, rows: list[Row], meanwhile: Callable[[], list[Row]]) -> list[Row]:
        """Write `rows`, and return what `meanwhile` returns, run while the database writes
        the persons and their search index: the import reads its next chunk then, instead of
        leaving the server idle (`Inserter.inserting`). `meanwhile` must not query the
        database."""
        numbers = registry_numbers_reserve(
            organisation=self.actor.organisation, year=self.year, count=len(rows)
        )
        ids = ids_reserve(Person, len(rows))
        self._places(rows)
        with self.persons.inserting(self._persons(rows, numbers, ids)):
            after = meanwhile()
        # After their persons: SQLite looks up every new person's pending references otherwise.
        name_ids = ids_reserve(PersonName, len(rows))
        names = [
            (name_pk, pk, *self._name(row.name))
            for row, pk, name_pk in zip(rows, ids, name_ids, strict=True)
        ]
        self.names.insert(names)
        self.keys.insert(self._keys(rows, ids, names))
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


# How the databases name the unique constraints a concurrent import of the same source trips.
_RACE_SIGNS = (
    "import_batch_file_once", "imported_record_external_id_once",  # PostgreSQL
    "imports_importbatch.", "imports_importedrecord.",  # SQLite
)  # fmt: skip


@dataclass(frozen=True)
class ImportPass:
    """One pass over a file: who imports it, its columns, and where its findings go."""

    actor: Any
    table: Table
    positions: dict[str, int]
    mapping: Mapping
    result: ImportResult
    progress: Progress | None


def rows_run(
    run: ImportPass, *, batch: ImportBatch | None, candidates: Candidates | None = None
) -> None:
    """Read every row; with a `batch`, write the valid ones while no row is invalid (the
    caller rolls back otherwise). `candidates` keep a dry run's rows for the duplicate check."""
    actor, table, positions, mapping, result, progress = (
        run.actor, run.table, run.positions, run.mapping, run.result, run.progress
    )  # fmt: skip
    rows = valid_rows(table, Reader(positions, mapping, len(table.header), result), result)
    if candidates is not None:
        rows = candidates.adding(rows)
    source_label = _("import: %(source)s") % {"source": mapping.source}
    writer = (
        Writer(actor=actor, batch=batch, source_label=source_label) if batch is not None else None
    )
    # A source that never imported anything has no ids to skip: no query per chunk.
    source_known = ImportedRecord.objects.filter(
        organisation=actor.organisation, source=mapping.source
    ).exists()

    def next_chunk() -> list[Row]:
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


def batch_write(run: ImportPass) -> None:
    """Read and write every row of the file in one transaction, kept only if every row is
    valid: the batch, its persons and its audit event commit together, or none of them."""
    actor, mapping, result = run.actor, run.mapping, run.result
    try:
        with bulk_session(), transaction.atomic():
            batch = ImportBatch.objects.create(
                organisation=actor.organisation,
                source=mapping.source,
                file_name=result.file_name[:255],
                fingerprint=result.fingerprint,
                created_by=actor,
            )
            rows_run(run, batch=batch)
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
