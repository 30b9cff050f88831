from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
