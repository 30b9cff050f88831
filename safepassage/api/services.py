"""API tokens: create (the secret is returned once), revoke, and authenticate a presented token.

A token reads `sp_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of the secret
is stored and it is compared in constant time. A token lives at most `API_TOKEN_MAX_DAYS`; a
user creates one only right after giving his password or a second factor, and all his tokens
are revoked when his password or a second factor changes.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts import lockout
from safepassage.accounts.reauth import is_recent
from safepassage.api.models import ApiToken, IdempotencyRecord
from safepassage.audit.services import audit_record
from safepassage.lib.errors import DomainError, NotAllowed

TOKEN_PREFIX = "sp"  # noqa: S105 - the fixed start of every token, not a secret
DEFAULT_DAYS = 90
# Writing `last_used_at` on every request would turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_max_days() -> int:
    """The longest life of a token (the `API_TOKEN_MAX_DAYS` setting)."""
    return settings.API_TOKEN_MAX_DAYS


def api_token_default_days() -> int:
    return min(DEFAULT_DAYS, api_token_max_days())


def _days_checked(days: int | None) -> int:
    if days is None:
        return api_token_default_days()
    longest = api_token_max_days()
    if days < 1:
        raise DomainError(
            _("A token is valid from 1 to %(max)s days; choose a number in that range.")
            % {"max": longest}
        )
    if days > longest:
        raise DomainError(
            _(
                "A token may be valid for at most %(max)s days (the API_TOKEN_MAX_DAYS "
                "setting); choose %(max)s days or fewer."
            )
            % {"max": longest}
        )
    return days


def api_token_create(
    *,
    user,
    name: str,
    days: int | None = None,
    actor=None,
    authenticated_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days`; returns the row and the plain token, once.

    `actor` is the user himself (settings page), who must have given his password or a second
    factor recently (`authenticated_at`), or None for the console operator, whose access to the
    host is his authentication; a console token records no login and never takes the actions
    that need a recent one.
    """
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. the machine or script that uses it."))
    if len(name) > 100:
        raise DomainError(_("The name is too long: at most 100 characters."))
    days = _days_checked(days)
    if actor is not None and actor.pk != user.pk:
        raise NotAllowed(_("Each user creates his own API tokens."))
    if actor is not None and not is_recent(authenticated_at):
        raise NotAllowed(
            _("Confirm it is you (your password or a second factor) before creating a token.")
        )
    if not user.is_active:
        raise DomainError(_("User “%(user)s” is disabled.") % {"user": user.username})
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=_hash(secret),
            expires_at=timezone.now() + datetime.timedelta(days=days),
            authenticated_at=authenticated_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            changes={
                "user": [None, user.username],
                "name": [None, name],
                "prefix": [None, prefix],
                "expires_at": [None, token.expires_at.isoformat()],
                "login_confirmed_at": [
                    None,
                    authenticated_at.isoformat() if authenticated_at else None,
                ],
            },
        )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revoke a token at once; it answers 401 from the next request on. Revoking twice is fine."""
    if actor is not None and actor.pk != token.user_id:
        raise NotAllowed(_("Each user revokes only his own API tokens."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            changes={"user": [None, token.user.username], "revoked": [False, True]},
        )
    return token


class RevocationReason:
    """Why every token of a user was revoked at once (recorded in the audit event)."""

    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason code, not a password
    SECOND_FACTOR_CHANGED = "second_factor_changed"
    USER_DISABLED = "user_disabled"


def api_tokens_revoke_all(*, user, reason: str, actor=None) -> int:
    """Revoke every live token of `user` (his password or a factor changed: a token made under
    the old credentials must not outlive them; or his account was disabled). One audit event
    per token; returns how many."""
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True)
            .order_by("pk")
        )
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="api_token.revoke",
                obj=token,
                changes={
                    "user": [None, user.username],
                    "revoked": [False, True],
                    "reason": [None, reason],
                },
            )
    return len(tokens)


def api_token_authenticate(raw: str, *, address: str = "") -> ApiToken | None:
    """The live token `raw` stands for, or None (malformed, unknown, wrong, expired, revoked,
    or its user disabled). Never says which, so a guess learns nothing.

    With `address`, an address locked for API tokens (`lockout.api_failure_record`) raises
    `lockout.AddressLocked` before any secret is compared, whatever the token: read with the
    token in one query, or alone when there is no such token."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        _address_lock_ensure(address)
        return None
    found = ApiToken.objects.select_related("user__organisation").filter(prefix=parts[1])
    if address:
        found = found.annotate(address_locked=lockout.api_address_lock(address))
    token = found.first()
    if token is None:
        _address_lock_ensure(address)
        return None
    if address and token.address_locked:
        raise lockout.AddressLocked
    if not hmac.compare_digest(token.secret_hash, _hash(parts[2])):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.ends_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _address_lock_ensure(address: str) -> None:
    if address and lockout.locked_until(address=address, api=True):
        raise lockout.AddressLocked


def idempotency_expiry(now: datetime.datetime | None = None) -> datetime.datetime:
    """Idempotency records created before this no longer replay (`IDEMPOTENCY_HOURS`)."""
    return (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_HOURS)


def idempotency_records_prune() -> int:
    """Delete the idempotency records that no longer replay. Housekeeping of a retry aid, not
    of a record: no audit event (each write keeps its own)."""
    expired = IdempotencyRecord.objects.filter(created_at__lt=idempotency_expiry())
    deleted, _by_model = expired.delete()
    return deleted
