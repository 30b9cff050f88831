"""A changed password or second factor, or a disabled account, revokes the user's API tokens.

Receivers only call the service (api.services.api_tokens_revoke_all), which audits each token.
"""

from allauth.core import context
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver

from safepassage.accounts.signals import password_changed, second_factors_reset, user_disabled
from safepassage.api.services import RevocationReason, api_tokens_revoke_all


def _actor(user, request=None):
    """The user himself when his own request made the change; else None (the console)."""
    request = request or context.request
    return user if getattr(request, "user", None) == user else None


@receiver(password_changed)
def _password_changed(sender, user, **kwargs) -> None:
    reason = RevocationReason.PASSWORD_CHANGED
    api_tokens_revoke_all(user=user, reason=reason, actor=_actor(user))


@receiver(authenticator_added)
@receiver(authenticator_removed)
@receiver(authenticator_reset)
def _second_factor_changed(sender, request, user, **kwargs) -> None:
    reason = RevocationReason.SECOND_FACTOR_CHANGED
    api_tokens_revoke_all(user=user, reason=reason, actor=_actor(user, request))


@receiver(user_disabled)
def _user_disabled(sender, user, actor, **kwargs) -> None:
    api_tokens_revoke_all(user=user, reason=RevocationReason.USER_DISABLED, actor=actor)


@receiver(second_factors_reset)
def _second_factors_reset(sender, user, actor, **kwargs) -> None:
    reason = RevocationReason.SECOND_FACTOR_CHANGED
    api_tokens_revoke_all(user=user, reason=reason, actor=actor)
