from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels


class Document(models.TextChoices):
    CAPTURE_CARD = "capture_card", _("Capture card (GC III Annex IV)")
    NOTIFICATIONS = "notifications", _("Notification list to the Central Agency")
    CASE_SUMMARY = "case_summary", _("Case summary")


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being produced")
    READY = "ready", _("Ready")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Erased after its time")


class Export(ChoiceLabels, models.Model):
    """One export: who asked for which document, in what form, of how many persons.

    The register behind the audit events. A list produced in the background keeps its file here,
    sealed with the field keys, until it is downloaded or `EXPORT_RESULT_HOURS` pass; a
    document delivered at once (a capture card, a case summary) is never stored.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField(_("document"), max_length=32, choices=Document.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    identified = models.BooleanField(_("identified"), default=False)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The notification list's filters and languages (no personal data: dates and codes).
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    kinds = models.CharField(_("events"), max_length=200, blank=True)
    second_language = models.CharField(_("second language"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    persons = models.PositiveIntegerField(_("persons"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    # Base64 of the file, sealed; emptied once downloaded or expired.
    content = EncryptedTextField(blank=True)
    # What went wrong, in words that hold no personal data.
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__in=Document.values), name="export_document_known"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=Format.values), name="export_format_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="export_status_known"
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        # Printed into the audit log: no name, no filter values beyond the document's kind.
        mode = "identified" if self.identified else "pseudonymised"
        return f"export #{self.pk}: {self.document} ({mode}, {self.format})"

    @property
    def kind_codes(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]
