"""A changed password or second factor revokes the user's API tokens.

Receivers only call the service (api.services.api_tokens_revoke_all), which audits each token.
"""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver

from safepassage.accounts.signals import password_changed
from safepassage.api.services import RevocationReason, api_tokens_revoke_all


@receiver(password_changed)
def _password_changed(sender, user, **kwargs) -> None:
    api_tokens_revoke_all(user=user, reason=RevocationReason.PASSWORD_CHANGED)


@receiver(authenticator_added)
@receiver(authenticator_removed)
@receiver(authenticator_reset)
def _second_factor_changed(sender, request, user, **kwargs) -> None:
    actor = user if getattr(request, "user", None) == user else None
    api_tokens_revoke_all(user=user, reason=RevocationReason.SECOND_FACTOR_CHANGED, actor=actor)
