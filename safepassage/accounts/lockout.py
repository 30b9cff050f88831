"""Login lockout: failures counted per username and per address, in the database.

django-axes does not yet declare support for Django 6.1, hence this small equivalent. The
counters live in the database, not the per-process cache, so every worker sees the same count.
A username is locked whether or not such a user exists, so the lock reveals nothing.

Wrong passwords and wrong second-factor codes (at login and at re-authentication) count alike.
Only a completed login (password and second factor) clears the username's count: a right
password alone does not, or whoever knows it could guess codes without end.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from safepassage.accounts.models import LoginThrottle, User
from safepassage.audit.services import audit_record

Kind = LoginThrottle.Kind
LOCKED_MESSAGE = _(
    "Too many failed attempts. Logging in is paused for this name or this computer; "
    "try again in %(minutes)s minutes or ask your administrator."
)


def client_address(request: HttpRequest | None) -> str:
    """The peer address. Behind a proxy, the proxy must set REMOTE_ADDR (docs/security.md)."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


def _key(kind: str, value: str) -> str:
    normalised = value.strip().casefold() if kind == Kind.USERNAME else value.strip()
    return salted_hmac(
        "safepassage.accounts.lockout", f"{kind}:{normalised}", algorithm="sha256"
    ).hexdigest()


def _limit(kind: str) -> int:
    if kind == Kind.USERNAME:
        return settings.LOGIN_FAILURE_LIMIT
    return settings.LOGIN_FAILURE_LIMIT_PER_IP


def locked_until(*, username: str | None = None, address: str | None = None, api=False):
    """The later end of the username's and the address's lock, or None if neither is locked."""
    now = timezone.now()
    keys = []
    if username:
        keys.append((Kind.USERNAME, username))
    if address:
        keys.append((Kind.API_ADDRESS if api else Kind.ADDRESS, address))
    ends = [
        throttle.locked_until
        for kind, value in keys
        for throttle in LoginThrottle.objects.filter(
            kind=kind, key=_key(kind, value), locked_until__gt=now
        )
    ]
    return max(ends, default=None)


class AddressLocked(Exception):
    """The caller's address is locked for API tokens: refuse whatever token it sent."""


def api_address_lock(address: str) -> Exists:
    """Whether `address` is locked for API tokens now, as an expression to read in the same
    query as the token (`api.services.api_token_authenticate`): the check costs no query of
    its own on a good call, and stays on every call."""
    return Exists(
        LoginThrottle.objects.filter(
            kind=Kind.API_ADDRESS,
            key=_key(Kind.API_ADDRESS, address),
            locked_until__gt=timezone.now(),
        )
    )


def locked_error() -> ValidationError:
    """The answer to an attempt while locked: the same for every account, existing or not."""
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})


def account_lock_ensure(*, user: User, address: str) -> None:
    """Raise `locked_error()` while `user`'s name or `address` is locked, before any check of
    a password, a code or a key, so that a locked guess confirms nothing."""
    if locked_until(username=user.username, address=address):
        raise locked_error()


def _count(kind: str, value: str) -> bool:
    """Count one failure; True if this failure locked the key."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
        kind=kind, key=_key(kind, value), defaults={"window_started_at": now}
    )
    if throttle.locked_until and throttle.locked_until <= now:
        throttle.locked_until = None
        throttle.failures = 0
    if now - throttle.window_started_at > window:
        throttle.failures, throttle.window_started_at = 0, now
    throttle.failures += 1
    locked = throttle.locked_until is None and throttle.failures >= _limit(kind)
    if locked:
        throttle.locked_until = now + window
    throttle.save()
    return locked


def login_failure_record(*, username: str, address: str) -> None:
    """Count a failed login; lock and audit when a limit is reached."""
    with transaction.atomic():
        locked = []
        if username and _count(Kind.USERNAME, username):
            locked.append(Kind.USERNAME)
        if address and _count(Kind.ADDRESS, address):
            locked.append(Kind.ADDRESS)
        if locked:
            _audit_lock(username=username, address=address, locked=locked)


def api_failure_record(*, address: str) -> None:
    """Count a request with a wrong API token from `address`; lock the address at the limit."""
    if not address:
        return
    with transaction.atomic():
        if _count(Kind.API_ADDRESS, address):
            _audit_lock(username="", address=address, locked=[Kind.API_ADDRESS])


def login_completed_record(*, username: str) -> None:
    """A completed login (password and second factor) clears the username's count, not the
    address's: periodic logins of one account must not reset a guessing run from its address."""
    LoginThrottle.objects.filter(kind=Kind.USERNAME, key=_key(Kind.USERNAME, username)).delete()


def _audit_lock(*, username: str, address: str, locked: list[str]) -> None:
    # Only an existing account is named: an unknown "username" may be a mistyped password.
    user = User.objects.filter(username__iexact=username).first() if username else None
    kind = locked[0]
    value = username if kind == Kind.USERNAME else address
    throttle = LoginThrottle.objects.get(kind=kind, key=_key(kind, value))
    audit_record(
        actor=None,
        action="login.lockout",
        obj=user or throttle,
        changes={
            "locked": [None, sorted(str(kind) for kind in locked)],
            "username": [None, user.username if user else "(unknown)"],
            "address": [None, address],
            "until": [None, throttle.locked_until.isoformat()],
        },
    )
