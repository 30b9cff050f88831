"""allauth's and Django's authentication signals, turned into calls of the lockout.

Receivers only call services (docs: signals hold no rules): a wrong second-factor code counts
like a wrong password; a completed login clears the account's count.
"""

from allauth.mfa.signals import authentication_failed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from safepassage.accounts import lockout


@receiver(authentication_failed)
def _second_factor_failed(sender, request, user, **kwargs) -> None:
    # allauth sends this for a wrong code at login and at re-authentication alike.
    lockout.login_failure_record(username=user.username, address=lockout.client_address(request))


@receiver(user_logged_in)
def _login_completed(sender, request, user, **kwargs) -> None:
    # Django's login() runs once allauth's stages are all passed: password and second factor.
    lockout.login_completed_record(username=user.username)
