"""Imports of person lists (CSV, XLSX): check every row, then commit all or nothing.

`persons_import` is the one write path for the console command and the web upload. One pass
over the file, streamed: each row is read into registry fields through the registry's own
rules (`imports.reading`), and valid rows are written in chunks inside a single transaction
that is rolled back if any row is invalid (`imports.writing`). One audit event records the
batch (file fingerprint, counts, the range of registry numbers): per-row events would cost more
than the import itself on a million rows (docs/imports.md). A dry run may also flag likely
duplicates (`imports.duplicates`); the web upload runs both as jobs (`imports.jobs`).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, require
from safepassage.audit.services import audit_record
from safepassage.imports.duplicates import Candidates, duplicates_flag
from safepassage.imports.models import DateOrder, ImportBatch, ImportMapping
from safepassage.imports.parsing import ALL_FIELDS, Problem
from safepassage.imports.reading import (
    ImportResult,
    Progress,
    file_fingerprint,
    fix_for_file,
    mapping_for,
    resolve_columns,
)
from safepassage.imports.writing import ImportPass, batch_write, rows_run
from safepassage.lib.errors import DomainError
from safepassage.lib.spreadsheet import TableError, open_table


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
        result.add(Problem(error.row, "file", str(error), fix_for_file()))
        return result
    with table:
        result.kind, result.encoding, result.delimiter = table.kind, table.encoding, table.delimiter
        result.header = list(table.header)
        positions = resolve_columns(table.header, chosen, result)
        if positions is None:
            return result
        run = ImportPass(actor, table, positions, chosen, result, progress)
        if dry_run:
            found = Candidates() if duplicates else None
            rows_run(run, batch=None, candidates=found)
            if found is not None and result.ok:
                duplicates_flag(actor, found, result)
            return result
        batch_write(run)
    return result
