"""The web upload's jobs: keep an uploaded list sealed, check it, import it on confirmation.

The checks and the import run as background tasks (`django.tasks`; docs/adr/0002), defined at
the end. Arguments are ids only: the file waits sealed in the database (`imports.uploads`),
never in the task table.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.tasks import Task, task
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action, require
from safepassage.audit.services import audit_record
from safepassage.imports import services
from safepassage.imports.models import ImportJob, JobStatus
from safepassage.imports.progress import JobProgress, progress_clear
from safepassage.imports.reading import mapping_for
from safepassage.imports.uploads import parts_discard, parts_prune, parts_store, upload_opened
from safepassage.lib.errors import DomainError


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
        _enqueue(import_check, job)
    return job


def _enqueue(job_task: Task, job: ImportJob) -> None:
    """Queue a job's task in the caller's transaction: only its id goes to the task table."""
    job_task.enqueue(job_id=job.pk)


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
    with _failures_recorded(job):
        _check(job)
    return job.status


def _check(job: ImportJob) -> None:
    with _upload_file(job) as path:
        result = _persons_import(job, path, in_transaction=False, dry_run=True, duplicates=True)
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


@contextmanager
def _upload_file(job: ImportJob) -> Iterator[Path]:
    """The job's file, opened for the time of the block; gone (kept a day), the job fails."""
    with upload_opened(job) as path:
        if path is None:
            raise DomainError(str(_GONE))
        yield path


def _persons_import(job: ImportJob, path: Path, *, in_transaction: bool, **options: Any):
    """`persons_import` of the job's file, as its uploader, its progress written to the job."""
    return services.persons_import(
        actor=job.created_by,
        path=path,
        file_name=job.file_name,
        mapping=job.source,
        encoding=job.encoding,
        progress=JobProgress(job, in_transaction=in_transaction),
        **options,
    )


@contextmanager
def _failures_recorded(job: ImportJob) -> Iterator[None]:
    """A refusal fails the job saying why; an unexpected error fails it without its words (they
    may quote data) and is raised again, for the worker to report."""
    try:
        yield
    except PermissionDenied:
        _job_finish(job, status=JobStatus.FAILED, error=str(_NOT_ALLOWED))
    except DomainError as error:
        _job_finish(job, status=JobStatus.FAILED, error=str(error))
    except Exception:
        _job_finish(job, status=JobStatus.FAILED, error=str(_UNEXPECTED))
        raise


def _own_job_locked(actor, job: ImportJob) -> ImportJob:
    """The job, locked; only its uploader may act on it."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    return job


def import_job_commit_request(*, actor, job: ImportJob) -> ImportJob:
    """Queue the import of a checked upload; only its uploader may."""
    require(actor, Action.PERSON_REGISTER)
    with transaction.atomic():
        job = _own_job_locked(actor, job)
        if not job.may_commit:
            raise DomainError(_("This upload cannot be imported in its present state."))
        _job_finish(job, status=JobStatus.COMMITTING, rows_done=0, bytes_done=0, error="")
        _enqueue(import_commit, job)
    return job


def import_job_commit(*, job_id: int) -> str:
    """The background import of a checked upload, all or nothing: the persons, the batch, its
    audit event and the job's own status commit together, or none of them."""
    job = ImportJob.objects.select_related("created_by__organisation").get(pk=job_id)
    if job.status not in {JobStatus.COMMITTING, JobStatus.FAILED} or not job.fingerprint:
        return job.status
    progress_clear(job.pk)
    try:
        with _failures_recorded(job):
            _commit(job)
    finally:
        progress_clear(job.pk)
    return job.status


def _commit(job: ImportJob) -> None:
    with _upload_file(job) as path, transaction.atomic():
        result = _persons_import(job, path, in_transaction=True)
        _job_finish(
            job,
            status=JobStatus.COMMITTED if result.ok else JobStatus.INVALID,
            summary=result.summary(),
            problems=[p.as_dict() for p in result.problems],
            batch=result.batch or result.already_imported,
            rows_done=result.rows_total,
            bytes_done=job.bytes_total,
        )
        parts_discard(job=job)


def import_job_discard(*, actor, job: ImportJob) -> None:
    """Forget an upload that will not be imported: its stored file goes at once."""
    require(actor, Action.PERSON_REGISTER)
    with transaction.atomic():
        job = _own_job_locked(actor, job)
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
        job = _own_job_locked(actor, job)
        if job.status not in {JobStatus.VALID, JobStatus.INVALID, JobStatus.FAILED}:
            raise DomainError(_("This upload cannot be checked again in its present state."))
        if not job.parts.exists():
            raise DomainError(str(_GONE))
        _job_finish(
            job, status=JobStatus.QUEUED, source=chosen.source, summary={}, problems=[],
            fingerprint="", rows_done=0, bytes_done=0, error="",
        )  # fmt: skip
        _enqueue(import_check, job)
    return job


@task()
def import_check(*, job_id: int) -> str:
    return import_job_check(job_id=job_id)


@task()
def import_commit(*, job_id: int) -> str:
    return import_job_commit(job_id=job_id)
