"""Who is calling: a bearer API token (machines) or the browser session (with CSRF)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from safepassage.accounts import lockout
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
        # before the token is even looked at, so guessing stops.
        address = lockout.client_address(request._request)
        if lockout.locked_until(address=address, api=True):
            raise exceptions.AuthenticationFailed(
                _("Too many invalid API tokens from this address; try again later.")
            )
        token = api_token_authenticate(raw)
        if token is None:
            lockout.api_failure_record(address=address)
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="safepassage"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login session; inactive users are anonymous, writes need the CSRF token."""
