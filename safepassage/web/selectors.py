"""Reads for the organisation pages (audit log, members).

They belong beside their apps (`audit/selectors.py`, `accounts/selectors.py`); they live here
until those modules exist, so the web UI does not edit other apps' packages.
"""

from django.db.models import QuerySet

from safepassage.accounts.models import User
from safepassage.accounts.policy import Action, require
from safepassage.audit.models import AuditEvent


def audit_event_list(*, actor) -> QuerySet[AuditEvent]:
    """Audit events recorded by the actor's own organisation, newest first."""
    require(actor, Action.AUDIT_VIEW)
    return AuditEvent.objects.filter(organisation=actor.organisation).order_by("-id")


def member_list(*, actor) -> QuerySet[User]:
    """The users of the actor's own organisation, with their roles."""
    require(actor, Action.MEMBERS_VIEW)
    return (
        User.objects.filter(organisation=actor.organisation)
        .prefetch_related("role_assignments")
        .order_by("username")
    )
