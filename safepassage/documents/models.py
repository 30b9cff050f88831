"""Documents attached to a person: scans, photographs, records and letters, each kept in
versions whose bytes are encrypted with a key of their own (docs/documents.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField, Sealed
from safepassage.lib.crypto import key_id_of
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class DocumentKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    CAPTURE_CARD = "capture_card", _("Capture card")
    PHOTO = "photo", _("Photograph")
    MEDICAL_RECORD = "medical_record", _("Medical record")
    INTERVIEW_RECORD = "interview_record", _("Interview record")
    LEGAL_OPINION = "legal_opinion", _("Legal opinion")
    ACCEPTANCE = "acceptance", _("Acceptance letter")
    OTHER = "other", _("Other document")


class DocumentState(models.TextChoices):
    CURRENT = "current", _("Current")
    REMOVED = "removed", _("Removed")


class Document(ChoiceLabels, models.Model):
    """One paper about one person, in one or more versions. A removal is recorded (who, when,
    why); the bytes of a removed document, like a person's, are erased by retention."""

    # Encrypted in the database and masked in the audit log: a title can name a place or kin.
    SENSITIVE_FIELDS = ("title",)

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = EncryptedTextField(_("title"), multiline=False, max_length=200)
    dated = models.DateField(_("date of the document"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=64, blank=True)
    # What it belongs to, besides him: an interview of a visit, an assessment, a decision.
    interview = models.ForeignKey(
        "visits.Interview", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        "cases.RiskAssessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "cases.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    examination = models.ForeignKey(
        "medical.Examination", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.CURRENT
    )
    removed_reason = EncryptedTextField(_("reason for the removal"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    removed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("document")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="document_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DocumentState.values), name="document_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(state="current", removed_at__isnull=True)
                | models.Q(state="removed", removed_at__isnull=False),
                name="document_removal_recorded",
            ),
        ]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        # Never the title: this is what the audit log names it by.
        return f"document #{self.pk} ({self.kind})"


class DocumentVersion(models.Model):
    """One version's bytes: AES-256-GCM under a data key of its own, stored under a random
    name. The data key is kept wrapped by the field keys (`data_key`, an encrypted field), so
    `safepassage keys rotate` re-wraps it without touching the file."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # The object's name in the documents storage: random, saying nothing of him.
    stored_name = models.CharField(max_length=200, unique=True)
    # The data key (base64), sealed with the current field key for this row.
    data_key = EncryptedTextField()
    nonce = models.CharField(max_length=32)  # hex, 12 bytes
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when retention deleted the stored object: the row stays, the bytes are gone.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once"),
        ]

    def __str__(self) -> str:
        return f"document #{self.document_id} version {self.number}"

    @property
    def key_id(self) -> str:
        """The field key that wraps the data key (read from the stored value's header)."""
        raw = type(self).objects.filter(pk=self.pk).values_list("data_key", flat=True).first()
        return key_id_of(raw.token) if isinstance(raw, Sealed) else ""


class DocumentTransition(TransitionRecord):
    """The removal of a document (`documents.workflow`); its reason stays encrypted on the
    document, never in this row."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=DocumentState.choices)
    to_state = models.CharField(max_length=32, choices=DocumentState.choices)

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_state} → {self.to_state}"
