"""The notification list as a background job (`django.tasks`; docs/adr/0002): asked for on the
web, produced by the worker as the user who asked, kept sealed until he downloads it. Task
arguments are ids only."""

import base64

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safepassage.access.policy import Action
from safepassage.audit.services import audit_record
from safepassage.exports.models import Export, ExportStatus
from safepassage.exports.services import (
    NotificationRequest,
    export_audit_changes,
    export_require,
    exports_expire,
    notification_export_new,
    notifications_filename,
    notifications_write,
    via_check,
)
from safepassage.lib.errors import DomainError


def notifications_request(*, actor, request: NotificationRequest, via: str = "web") -> Export:
    """Queue the notification list as a background job (`export_run`): lists can be long.

    The request is recorded and audited now; the job checks the policy again when it runs.
    """
    via_check(via)
    export_require(actor, Action.EXPORT_NOTIFICATIONS, identified=request.identified)
    request.validate()
    exports_expire()
    with transaction.atomic():
        export = notification_export_new(actor, request, status=ExportStatus.PENDING)
        audit_record(
            actor=actor,
            action="export.request",
            obj=export,
            changes=export_audit_changes(export, via),
        )
        # Task arguments are ids only (docs/adr/0002).
        transaction.on_commit(lambda: export_run.enqueue(export.pk))
    return export


class _Buffer:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        return len(data)


def notifications_produce(*, export_id: int) -> Export:
    """Produce a queued list as the user who asked, sealed in its row until he downloads it.

    Run by the background job. A job run twice produces once. A refusal (his roles changed, the
    list is too long for a PDF) leaves the export failed with the reason, audited.
    """
    export = Export.objects.select_related("requested_by__organisation").get(pk=export_id)
    if export.status != ExportStatus.PENDING:
        return export
    actor = export.requested_by
    request = NotificationRequest.of(export)
    buffer = _Buffer()
    try:
        if not actor.is_active:
            raise PermissionDenied
        export_require(actor, Action.EXPORT_NOTIFICATIONS, identified=request.identified)
        with translation.override(export.language or settings.LANGUAGE_CODE):
            count = notifications_write(actor, request, buffer)
    except PermissionDenied:
        return _export_fail(export, _("Your organisation or role no longer allows this export."))
    except DomainError as error:
        return _export_fail(export, str(error))
    except Exception:
        _export_fail(export, _("The export failed; ask an administrator to look at the jobs."))
        raise
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.PENDING:
            return locked
        locked.content = base64.b64encode(b"".join(buffer.parts)).decode("ascii")
        locked.status = ExportStatus.READY
        locked.persons, locked.rows = count.persons, count.rows
        locked.filename = notifications_filename(request)
        locked.finished_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="export.notifications",
            obj=locked,
            changes=export_audit_changes(locked, "web"),
        )
    return locked


def _export_fail(export: Export, message: str) -> Export:
    with transaction.atomic():
        Export.objects.filter(pk=export.pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED, error=message[:300], finished_at=timezone.now()
        )
        audit_record(
            actor=export.requested_by,
            action="export.failed",
            obj=export,
            changes={"error": [None, message[:300]]},
        )
    export.refresh_from_db()
    return export


@task()
def export_run(export_id: int) -> None:
    """Produce a queued notification list (`notifications_produce`)."""
    notifications_produce(export_id=export_id)
