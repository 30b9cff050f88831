"""The login form (django-allauth's), with the lockout in front of the password check."""

from allauth.account.forms import LoginForm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepassage.accounts import lockout

LOCKED_MESSAGE = _(
    "Too many failed attempts. Logging in is paused for this name or this computer; "
    "try again in %(minutes)s minutes or ask your administrator."
)


class LockoutLoginForm(LoginForm):
    """Refuses while the username or the address is locked; counts each failure.

    The message is the same whether or not the account exists, and a locked attempt never
    reaches the password check (so it cannot confirm a guess either). The second factor comes
    after this form, on allauth's own page.
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
                raise self._locked() from None
            raise
        if self.user is not None:
            lockout.login_success_record(username=username)
        return cleaned

    def _locked(self) -> ValidationError:
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        return ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})
