"""Re-authentication before the most sensitive actions.

Scheduling or executing a transfer and an identified export ask for the password or a second
factor again unless the user gave one in the last `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds
(a fresh login counts). Browser sessions only: an API token is a machine's credential, created
by a user who passed both factors, and is checked on every request.
"""

import time

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest


def recently_authenticated(request: HttpRequest) -> bool:
    """Whether the user gave his password or a second factor within the timeout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    latest = max((r.get("at", 0) for r in records), default=0)
    return time.time() - latest < app_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_ensure(request: HttpRequest) -> None:
    """Raise allauth's `ReauthenticationRequired` (its middleware asks for the password or a
    code, then replays the request) unless the user authenticated recently."""
    if not recently_authenticated(request):
        raise ReauthenticationRequired()
