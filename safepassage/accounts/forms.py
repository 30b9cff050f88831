"""The login form, with the lockout in front of the password check."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepassage.accounts import lockout

LOCKED_MESSAGE = _(
    "Too many failed attempts. Logging in is paused for this name or this computer; "
    "try again in %(minutes)s minutes or ask your administrator."
)


class LockoutAuthenticationForm(AuthenticationForm):
    """Refuses while the username or the address is locked; counts each failure.

    The message is the same whether or not the account exists, and a locked attempt never
    reaches the password check (so it cannot confirm a guess either).
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = lockout.client_address(self.request)
        if lockout.locked_until(username=username, address=address):
            raise self._locked()
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout.login_failure_record(username=username, address=address)
            if lockout.locked_until(username=username, address=address):
                raise self._locked() from None
            raise
        if self.user_cache is not None:
            lockout.login_success_record(username=username)
        return cleaned

    def _locked(self) -> ValidationError:
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        return ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})
