"""Field work at the centre: the packages issued for visits, the return bundles received, and the
review queue of records the centre changed while a team was out (docs/field.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.lib.labels import ChoiceLabels


class FieldPackage(models.Model):
    """A visit package issued to a team: the public half of its own signing key (which signs
    the team's return bundle) and each person's `version` when it was made."""

    package_id = models.UUIDField(unique=True)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, related_name="field_packages"
    )
    public_key = models.CharField(max_length=64)
    # {person id: [version, {field: value}]}: what the team took with it.
    persons = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"field package {self.package_id}"


class ReceivedBundle(models.Model):
    """A return bundle written into the centre; its id makes receiving it again a no-op."""

    bundle_id = models.UUIDField(unique=True)
    package = models.ForeignKey(FieldPackage, on_delete=models.PROTECT, related_name="bundles")
    wills = models.PositiveIntegerField(default=0)
    interviews = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"return bundle {self.bundle_id}"


class ConflictResolution(models.TextChoices):
    CENTRE_KEPT = "centre_kept", _("The centre's record stands")
    CORRECTION_ASKED = (
        "correction_asked",
        _("The field is right: the registrar is asked to correct it"),
    )


class FieldConflict(ChoiceLabels, models.Model):
    """A person the team saw whose record the centre changed since the package was made: the
    centre's values and the field's, side by side, until a verifier resolves it. Nothing of
    the record is overwritten from the field."""

    bundle = models.ForeignKey(
        ReceivedBundle, on_delete=models.PROTECT, related_name="conflict_rows"
    )
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    packaged_version = models.PositiveIntegerField()
    centre_version = models.PositiveIntegerField()
    # {field: value}: at packaging time, at the centre when the bundle came, in the field.
    packaged_values = models.JSONField(default=dict)
    centre_values = models.JSONField(default=dict)
    field_values = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(
        _("resolution"), max_length=24, choices=ConflictResolution.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolution="", resolved_at__isnull=True)
                | (~models.Q(resolution="") & models.Q(resolved_at__isnull=False)),
                name="field_conflict_resolved_with_its_time",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"])]

    def __str__(self) -> str:
        return f"{self.person}: field conflict #{self.pk}"
