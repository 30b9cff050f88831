from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A machine's credential for one user: `sp_<prefix>_<secret>`.

    Only the SHA-256 of the secret is stored; the secret is shown once, when it is created.
    The prefix finds the row; the hash is compared in constant time. `authenticated_at` is the
    time of the password or second factor the user gave in the session that created it (None
    from the console): the most sensitive actions need it recent (api.authentication).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    authenticated_at = models.DateTimeField(_("login confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (sp_{self.prefix}_…)"

    @property
    def ends_at(self):
        """When it stops working: its expiry, or `API_TOKEN_MAX_DAYS` after it was made if that
        is sooner (a token made under a longer limit does not outlive a shorter one)."""
        longest = self.created_at + timedelta(days=settings.API_TOKEN_MAX_DAYS)
        return min(self.expires_at, longest)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.ends_at > timezone.now()


class IdempotencyRecord(models.Model):
    """What replays a creating POST when the same user retries the same key: the request's
    digest, the status answered and the resource written, never the answer's body.

    Written in the transaction that made the change, so a crash leaves neither; the unique
    constraint stops two concurrent duplicates from both writing. Expires after
    `IDEMPOTENCY_HOURS` (`safepassage.api.idempotency`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    # `app_label.model` of the resource written (blank for records older than this field).
    resource_type = models.CharField(max_length=100, blank=True)
    # Null only while the claiming transaction has not yet written.
    resource_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key} → {self.method} {self.path}"
