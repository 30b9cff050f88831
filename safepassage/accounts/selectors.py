"""Reads of organisations and their members."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

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


# The factors as the Sign-in security pages name them to their owner.
_FACTOR_NAMES = {
    Authenticator.Type.TOTP: _("Authenticator app"),
    Authenticator.Type.WEBAUTHN: _("Security key"),
    Authenticator.Type.RECOVERY_CODES: _("Recovery codes"),
}


def member_second_factors(*, user: User) -> list[str]:
    """The second factors `user` has enrolled, by name (one per security key), in order."""
    kinds = Authenticator.objects.filter(user=user).order_by("type").values_list("type", flat=True)
    return [str(_FACTOR_NAMES.get(kind, kind)) for kind in kinds]
