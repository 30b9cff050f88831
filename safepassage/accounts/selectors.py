"""Reads of organisations and their members."""

from django.db.models import QuerySet

from safepassage.access.policy import Action, require
from safepassage.accounts.models import User


def member_list(*, actor) -> QuerySet[User]:
    """The users of the actor's own organisation, with their roles."""
    require(actor, Action.MEMBERS_VIEW)
    return (
        User.objects.filter(organisation=actor.organisation)
        .prefetch_related("role_assignments")
        .order_by("username")
    )
