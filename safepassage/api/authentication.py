"""Who is calling: a bearer API token (machines) or the browser session (with CSRF)."""

from allauth.account import app_settings as account_settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from safepassage.accounts import lockout
from safepassage.accounts.reauth import is_recent, recently_authenticated
from safepassage.api.models import ApiToken
from safepassage.api.problems import ProblemException
from safepassage.api.services import api_token_authenticate


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sp_<prefix>_<secret>`. A wrong, expired or revoked token is 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        # Wrong tokens count per address, like failed logins; a locked address is refused
        # whatever token it sends, before any secret is compared, so guessing stops.
        address = lockout.client_address(request._request)
        try:
            token = api_token_authenticate(raw, address=address)
        except lockout.AddressLocked:
            raise exceptions.AuthenticationFailed(
                _("Too many invalid API tokens from this address; try again later.")
            ) from None
        if token is None:
            lockout.api_failure_record(address=address)
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="safepassage"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login session; inactive users are anonymous, writes need the CSRF token."""


def recent_authentication_ensure(request: Request) -> None:
    """The most sensitive actions (scheduling or executing a transfer, executing an exchange
    batch, confirming a handover) need a password or second factor given within
    `REAUTHENTICATION_MINUTES`: by the browser session, or, for an API token, at the login of
    the session that created it. Otherwise a `reauthentication-required` problem."""
    if isinstance(request.auth, ApiToken):
        if not is_recent(request.auth.authenticated_at):
            minutes = max(1, account_settings.REAUTHENTICATION_TIMEOUT // 60)
            detail = gettext(
                "An API token may take this action only within %(minutes)s minutes of the "
                "login that created it. Log in to the web interface, create a new token and "
                "retry with it at once, or take the action in the web interface."
            ) % {"minutes": minutes}
            raise ProblemException("reauthentication-required", detail=detail)
        return
    if not (
        isinstance(request.successful_authenticator, SessionAuthentication)
        and recently_authenticated(request._request)
    ):
        raise ProblemException("reauthentication-required")
