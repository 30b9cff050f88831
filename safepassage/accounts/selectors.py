"""Reads of organisations and their members."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.http import Http404

from safepassage.access.policy import Action, require
from safepassage.accounts.models import User


def member_list(*, actor) -> QuerySet[User]:
    """The users of the actor's own organisation, with their roles and second factors."""
    require(actor, Action.MEMBERS_VIEW)
    return (
        User.objects.filter(organisation=actor.organisation)
        .prefetch_related("role_assignments", "authenticator_set")
        .order_by("username")
    )


def member_for(*, actor, pk: int) -> User:
    """A member of the actor's own organisation for him to manage: 403 unless he may manage
    members, 404 for anyone else's account (another organisation's accounts are not his to
    know of)."""
    require(actor, Action.MEMBERS_MANAGE)
    user = (
        User.objects.filter(organisation=actor.organisation, pk=pk)
        .prefetch_related("role_assignments")
        .first()
    )
    if user is None:
        raise Http404
    return user


def member_second_factors(*, user: User) -> list[str]:
    """The kinds of second factor `user` has enrolled (their display names), in order."""
    labels = dict(Authenticator.Type.choices)
    kinds = Authenticator.objects.filter(user=user).order_by("type").values_list("type", flat=True)
    return [str(labels.get(kind, kind)) for kind in kinds]
