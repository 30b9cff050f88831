"""Reads of the audit log."""

from django.db.models import QuerySet

from safepassage.accounts.policy import Action, require
from safepassage.audit.models import AuditEvent


def audit_event_list(*, actor) -> QuerySet[AuditEvent]:
    """Audit events recorded by the actor's own organisation, newest first."""
    require(actor, Action.AUDIT_VIEW)
    return AuditEvent.objects.filter(organisation=actor.organisation).order_by("-seq")
