"""Tracing requests of the Central Tracing Agency, their candidates, and registry duplicates.

Every record is kept: a rejected candidate, a pair found to be different persons and a merge
stay as history. A request's status changes only through `tracing.workflow`'s table, each change
a `TracingTransition` row and an audit event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class RequesterKind(models.TextChoices):
    FAMILY = "family", _("Family member")
    ORGANISATION = "organisation", _("Organisation")


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open: searching")
    LINKED = "linked", _("Linked to a registered person")
    INFORMED = "informed", _("Requester informed")
    CLOSED = "closed", _("Closed")


class TracingRequest(ChoiceLabels, models.Model):
    """Someone asks the Central Tracing Agency where a man is: who asks, and what is known.

    What is known is kept as the requester wrote it (any script, a partial date of birth).
    """

    # Encrypted in the database and masked in the audit log: reaching the family is what an
    # adversary of a man who refuses return would want.
    SENSITIVE_FIELDS = ("requester_name", "requester_contact", "circumstances")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="tracing_requests",
    )
    requester_kind = models.CharField(_("who asks"), max_length=16, choices=RequesterKind.choices)
    requester_name = EncryptedTextField(_("requester's name"), max_length=200, multiline=False)
    requester_relationship = models.CharField(
        _("relationship to the person sought"),
        max_length=100,
        blank=True,
        help_text=_("e.g. mother, brother; or the organisation's role"),
    )
    requester_contact = EncryptedTextField(
        _("requester's contact details"),
        blank=True,
        help_text=_("Address, telephone, e-mail. Encrypted; only tracing staff see it."),
    )
    language = models.CharField(_("language of the request"), max_length=50, blank=True)
    # What is known about the person sought.
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    given_name = models.CharField(_("given names"), max_length=200, blank=True)
    full_name = models.CharField(
        _("full name (order unknown)"),
        max_length=300,
        blank=True,
        help_text=_("When the requester did not say which part is the family name."),
    )
    birth_date = models.CharField(
        _("date of birth"),
        max_length=10,
        blank=True,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, as far as known."),
    )
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    service_number = models.CharField(_("service number"), max_length=64, blank=True)
    last_seen_place = models.CharField(_("last seen at"), max_length=200, blank=True)
    last_seen_date = models.CharField(
        _("last seen on"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )
    circumstances = EncryptedTextField(_("circumstances"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    linked_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("linked person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    searched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TracingStatus.values),
                name="tracing_request_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(requester_kind__in=RequesterKind.values),
                name="tracing_request_requester_kind_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(family_name="", given_name="", full_name=""),
                name="tracing_request_has_a_name",
            ),
            # Linked or informed means a confirmed person.
            models.CheckConstraint(
                condition=~models.Q(status__in=["linked", "informed"], linked_person=None),
                name="tracing_request_linked_has_person",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        # Printed into the audit log, which is not encrypted: no requester, no name sought.
        return f"tracing request #{self.pk}"

    @property
    def name_sought(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name) if p) or self.full_name


class TracingTransition(TransitionRecord):
    """One status change of a request. Its reason stays empty: the reviewer's reason is the
    candidate's, the closing reason the audit event's, where retention reaches them."""

    request = models.ForeignKey(
        TracingRequest, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(max_length=16, choices=TracingStatus.choices)
    to_state = models.CharField(max_length=16, choices=TracingStatus.choices)

    def __str__(self) -> str:
        return f"{self.request}: {self.from_state} → {self.to_state}"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed: the person sought")
    REJECTED = "rejected", _("Rejected: not him")


# The line in a request's candidates: below it the engine thinks him less likely than this, and
# the list says to check before contacting anyone. Candidates below it are kept and shown too.
CANDIDATE_THRESHOLD = 0.05


class TracingCandidateQuerySet(models.QuerySet):
    def above_threshold(self) -> "TracingCandidateQuerySet":
        """Those at or above the line (`CANDIDATE_THRESHOLD`): the likely ones."""
        return self.filter(probability__gte=CANDIDATE_THRESHOLD)

    def below_threshold(self) -> "TracingCandidateQuerySet":
        return self.filter(probability__lt=CANDIDATE_THRESHOLD)


class TracingCandidate(ChoiceLabels, models.Model):
    """A registered person the engine proposed for a request, with its reasons; a reviewer's
    verdict on him. Kept when rejected, so a new search does not propose him again blindly."""

    request = models.ForeignKey(TracingRequest, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    # [{field, left, right, level, weight}], as `linkage.FieldExplanation`.
    explanation = models.JSONField(default=list)
    rank = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("verdict"),
        max_length=16,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
    )
    reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)

    objects = TracingCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="tracing_candidate_unique"),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="confirmed"),
                name="tracing_candidate_one_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="tracing_candidate_probability",
            ),
            models.CheckConstraint(
                condition=models.Q(status="proposed") | ~models.Q(reason=""),
                name="tracing_candidate_verdict_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"tracing request #{self.request_id}: candidate {self.person}"

    @property
    def above_threshold(self) -> bool:
        """At or above the line: the engine finds him at least `CANDIDATE_THRESHOLD` likely."""
        return self.probability >= CANDIDATE_THRESHOLD


class DisclosureItem(models.TextChoices):
    """What the requester may be told, one fact at a time (docs/tracing.md)."""

    ALIVE_REGISTERED = "alive_registered", _("He is alive and registered as a prisoner of war")
    DECEASED = "deceased", _("He has died")
    DETAINING_POWER = "detaining_power", _("Which state holds him")
    INTERNMENT_PLACE = "internment_place", _("Where he is interned")
    HEALTH = "health", _("His state of health")


class Consent(models.TextChoices):
    GIVEN = "given", _("He agreed that the requester be told")
    REFUSED = "refused", _("He refused that the requester be told anything")
    NOT_ASKED = "not_asked", _("Not asked yet")


class TracingDisclosure(ChoiceLabels, models.Model):
    """The recorded, explicit step of informing the requester: what was told, by whom, how."""

    SENSITIVE_FIELDS = ("message",)

    request = models.ForeignKey(
        TracingRequest, on_delete=models.PROTECT, related_name="disclosures"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("what was told"), default=list)
    consent = models.CharField(
        _("his consent"), max_length=16, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    channel = models.CharField(_("how"), max_length=100, blank=True)
    message = EncryptedTextField(_("message sent"), blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    informed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["informed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__in=Consent.values),
                name="tracing_disclosure_consent_known",
            ),
        ]

    def __str__(self) -> str:
        return f"tracing request #{self.request_id}: disclosure #{self.pk}"

    @property
    def item_labels(self) -> list[str]:
        return [str(DisclosureItem(i).label) for i in self.items if i in DisclosureItem.values]


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    SAME = "same", _("Same person: merged")
    DIFFERENT = "different", _("Different persons")
    STALE = "stale", _("No longer applicable")


class DuplicatePair(ChoiceLabels, models.Model):
    """Two registry records the engine thinks may be one man; a reviewer's verdict on them.

    `left` has the lower id. A pair found to be different persons is kept, so the next refresh
    does not propose it again.
    """

    left = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    explanation = models.JSONField(default=list)
    status = models.CharField(
        _("verdict"), max_length=16, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    survivor = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PairStatus.values),
                name="duplicate_pair_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="same", survivor=None),
                name="duplicate_pair_same_has_survivor",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"duplicate pair #{self.pk}"


class RefreshStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Comparing records")
    DONE = "done", _("Search finished")
    FAILED = "failed", _("Failed")


class DuplicateRefresh(ChoiceLabels, models.Model):
    """One search of a detaining power's own records for likely duplicates, run as a background
    job; its progress (records compared of all) is written as it goes so the page can show it.
    Numbers only: no name or record leaves the linkage here."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RefreshStatus.choices, default=RefreshStatus.PENDING
    )
    records_total = models.PositiveIntegerField(default=0)
    records_done = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job last wrote its progress: a search silent for long lost its worker.
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One search at a time per organisation: a second click joins the running one.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["pending", "running"]),
                name="duplicate_refresh_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"duplicate search #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (RefreshStatus.PENDING, RefreshStatus.RUNNING)

    @property
    def percent(self) -> int:
        if not self.records_total:
            return 0 if self.is_running else 100
        return min(100, self.records_done * 100 // self.records_total)
