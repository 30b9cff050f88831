"""The duplicate search as a background job (`django.tasks`; docs/adr/0002): asked for on the
web, run by the worker over one detaining power's records. Task arguments are ids only."""

import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, require
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.services import audit_record
from safepassage.lib.errors import DomainError
from safepassage.tracing import services
from safepassage.tracing.models import DuplicateRefresh, RefreshStatus

RUNNING_REFRESH = (RefreshStatus.PENDING, RefreshStatus.RUNNING)
# A search that wrote no progress for this long has lost its worker (a chunk takes seconds).
REFRESH_SILENT = datetime.timedelta(minutes=30)


def duplicate_refresh_request(*, actor) -> DuplicateRefresh:
    """Queue a search of the actor's own organisation's records for duplicates (a background
    job, `duplicate_refresh_job`); while one runs, a second request joins it."""
    require(actor, Action.DUPLICATE_REVIEW)
    organisation = actor.organisation
    if organisation.kind != OrganisationKind.DETAINING_POWER:
        raise DomainError(_("Only a detaining power's registry is searched for duplicates."))
    with transaction.atomic():
        running = (
            DuplicateRefresh.objects.select_for_update()
            .filter(organisation=organisation, status__in=RUNNING_REFRESH)
            .first()
        )
        abandoned = {}
        if running is not None:
            last = running.progressed_at or running.created_at
            if timezone.now() - last < REFRESH_SILENT:
                return running
            # Its worker died (no progress for REFRESH_SILENT): it no longer blocks a search.
            running.status, running.finished_at = RefreshStatus.FAILED, timezone.now()
            running.save(update_fields=["status", "finished_at"])
            abandoned = {"abandoned": [None, running.pk]}
        refresh = DuplicateRefresh.objects.create(organisation=organisation, requested_by=actor)
        audit_record(
            actor=actor,
            action="registry.duplicate_refresh",
            obj=refresh,
            changes={"status": [None, refresh.status], **abandoned},
        )
        transaction.on_commit(lambda: duplicate_refresh_job.enqueue(refresh_id=refresh.pk))
    return refresh


def duplicate_refresh_run(*, refresh_id: int) -> int:
    """The job: run `duplicate_queue_refresh` over the refresh's organisation, writing its
    progress to the row as it goes (outside any long transaction, so the page sees it)."""
    refresh = DuplicateRefresh.objects.select_related("organisation").get(pk=refresh_id)
    if refresh.status != RefreshStatus.PENDING:
        return refresh.added

    def progress(done: int, total: int) -> None:
        DuplicateRefresh.objects.filter(pk=refresh_id).update(
            status=RefreshStatus.RUNNING,
            records_done=done,
            records_total=total,
            progressed_at=timezone.now(),
        )

    try:
        added = services.duplicate_queue_refresh(
            organisation=refresh.organisation, progress=progress
        )
    except Exception:
        DuplicateRefresh.objects.filter(pk=refresh_id).update(
            status=RefreshStatus.FAILED, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        DuplicateRefresh.objects.filter(pk=refresh_id).update(
            status=RefreshStatus.DONE, added=added, finished_at=timezone.now()
        )
        refresh.refresh_from_db()
        audit_record(
            actor=refresh.requested_by,
            action="registry.duplicate_refresh_done",
            obj=refresh,
            changes={"status": [RefreshStatus.RUNNING, refresh.status], "added": [None, added]},
        )
    return added


@task()
def duplicate_refresh_job(*, refresh_id: int) -> int:
    """Search one detaining power's records for duplicates (`duplicate_refresh_run`)."""
    return duplicate_refresh_run(refresh_id=refresh_id)
