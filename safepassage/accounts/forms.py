"""The login and second-factor forms (django-allauth's), with the lockout in front of the
password and code checks."""

from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.webauthn.forms import AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm
from django.core.exceptions import ValidationError

from safepassage.accounts import lockout
from safepassage.accounts.lockout import locked_error


class LockoutLoginForm(LoginForm):
    """Refuses while the username or the address is locked; counts each failure.

    The message is the same whether or not the account exists, and a locked attempt never
    reaches the password check (so it cannot confirm a guess either). The second factor comes
    after this form, on allauth's own page; a right password does not clear the count, only a
    completed login does (accounts.receivers).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No self-service reset: an administrator resets passwords (`safepassage user`).
        self.fields["password"].help_text = ""

    def clean(self):
        username = (self.data.get("login") or "").strip()
        address = lockout.client_address(self.request)
        if lockout.locked_until(username=username, address=address):
            raise self._locked()
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout.login_failure_record(username=username, address=address)
            if lockout.locked_until(username=username, address=address):
                raise locked_error() from None
            raise
        return cleaned

    def _locked(self) -> ValidationError:
        return locked_error()


def _second_factor_checked(user, check):
    """Run allauth's `check` of a code or a key unless the account or the client's address is
    locked; a failure that reaches the limit answers that it is locked.

    Checked before the code or the key is looked at, so a locked guess confirms nothing. Wrong
    codes are counted where allauth signals them (`authentication_failed`, accounts.receivers).
    """
    address = lockout.client_address(context.request)
    lockout.account_lock_ensure(user=user, address=address)
    try:
        return check()
    except ValidationError:
        lockout.account_lock_ensure(user=user, address=address)
        raise


class LockoutAuthenticateForm(AuthenticateForm):
    """The code (authenticator app or recovery code) that completes a login."""

    def clean_code(self) -> str:
        return _second_factor_checked(self.user, super().clean_code)


class LockoutReauthenticateForm(ReauthenticateForm):
    """The code that confirms a logged-in user before a sensitive action."""

    def clean_code(self) -> str:
        return _second_factor_checked(self.user, super().clean_code)


class LockoutAuthenticateWebAuthnForm(AuthenticateWebAuthnForm):
    """A security key completing a login: refused too while the account is locked."""

    def clean_credential(self):
        return _second_factor_checked(self.user, super().clean_credential)


class LockoutReauthenticateWebAuthnForm(ReauthenticateWebAuthnForm):
    def clean_credential(self):
        return _second_factor_checked(self.user, super().clean_credential)
