from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField


class AuditEvent(models.Model):
    """One appended fact: who did what to which record, with sensitive values masked.

    Rows are only ever inserted (database triggers refuse UPDATE and DELETE). Events form a
    hash chain in `seq` order (1, 2, 3, … without gaps): each carries its predecessor's hash
    and `hash = sha256(prev_hash || canonical content)`; see `safepassage.lib.chain`.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    # Set before the hash is computed, so not auto_now_add (which would overwrite it on save).
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    person = models.ForeignKey(
        "registry.Person", null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    changes = models.JSONField(_("changed fields"), default=dict)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_seq_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"


class PersonKey(models.Model):
    """The key that seals what audit events record about one person (crypto-shredding).

    Identifying values in an event's `changes` (names, identity fields, free-text reasons) are
    stored sealed under it, and the chain hashes the sealed text. Retention deletes the row:
    every value sealed under it becomes unreadable, in the table and in later backups, while every
    event stays exactly as appended and `audit verify` still holds. The key itself is sealed with
    the field encryption keys, so a copy of the database alone opens nothing.
    """

    person = models.OneToOneField(
        "registry.Person", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    key = EncryptedTextField(multiline=False)  # base64 of 32 random bytes
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"audit key of person #{self.person_id}"
