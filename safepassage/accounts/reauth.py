"""Re-authentication before the most sensitive actions.

Scheduling or executing a transfer, executing an exchange batch, confirming a handover, an
identified export and creating an API token ask for the password or a second factor again
unless the user gave one in the last `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds (a fresh login
counts). An API token carries the time of the one given in the session that created it, and
may take these actions only while that is recent (api.authentication).
"""

import datetime
import time

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest


def last_authenticated_at(request: HttpRequest) -> datetime.datetime | None:
    """When the session's user last gave his password or a second factor, if ever."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    records = get_authentication_records(request, user)
    latest = max((r.get("at", 0) for r in records), default=0)
    if not latest:
        return None
    return datetime.datetime.fromtimestamp(latest, tz=datetime.UTC)


def is_recent(at: datetime.datetime | None) -> bool:
    """Whether a password or second factor given at `at` is within the timeout."""
    return at is not None and time.time() - at.timestamp() < app_settings.REAUTHENTICATION_TIMEOUT


def recently_authenticated(request: HttpRequest) -> bool:
    """Whether the user gave his password or a second factor within the timeout."""
    return is_recent(last_authenticated_at(request))


def reauthentication_ensure(request: HttpRequest) -> None:
    """Raise allauth's `ReauthenticationRequired` (its middleware asks for the password or a
    code, then replays the request) unless the user authenticated recently."""
    if not recently_authenticated(request):
        raise ReauthenticationRequired()
