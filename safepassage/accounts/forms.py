"""The login and second-factor forms (django-allauth's), with the lockout in front of the
password and code checks; the administrators' forms for their organisation's members."""

from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.webauthn.forms import AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepassage.accounts import lockout
from safepassage.accounts.lockout import locked_error
from safepassage.accounts.models import Role


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


def _roles_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
        **kwargs,
    )


def _language_choices() -> list[tuple[str, str]]:
    # Each language by its own name, as the language switch shows them.
    return [("", _("His browser’s language")), *settings.LANGUAGES]


class MemberAddForm(forms.Form):
    """A new member of the administrator's organisation (accounts.services.member_add)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        error_messages={"required": _("Give a username.")},
        help_text=_("What he types to log in: letters, digits and @ . + - _ only."),
    )
    roles = _roles_field(help_text=_("What he does in the organisation; one at least."))
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)


class MemberRolesForm(forms.Form):
    """The roles of a member, as the page showed him (`basis`: accounts.services.user_basis)."""

    roles = _roles_field(help_text=_("His open sessions end when his roles change."))
    basis = forms.CharField(widget=forms.HiddenInput)


class MemberChangeForm(forms.Form):
    """A change of a member without fields of its own (deactivate, reactivate, reset his second
    factors), posted with the basis the page showed."""

    basis = forms.CharField(widget=forms.HiddenInput)
