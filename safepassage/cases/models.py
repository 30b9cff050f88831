from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOTIFIED = "notified", _("Notified to the Central Agency")
    AWAITING_INTERVIEW = "awaiting_interview", _("Awaiting interview")
    WILL_RECORDED = "will_recorded", _("Will recorded")
    WILL_VERIFIED = "will_verified", _("Will verified")
    LEGAL_ASSESSMENT = "legal_assessment", _("Legal assessment")
    DECIDED = "decided", _("Decision taken")
    ACCEPTED = "accepted", _("Accepted by receiving state")
    TRANSFER_SCHEDULED = "transfer_scheduled", _("Transfer scheduled")
    TRANSFERRED = "transferred", _("Transferred")
    CLOSED = "closed", _("Closed")
    DECEASED = "deceased", _("Deceased")
    RELEASED = "released", _("Released")
    ESCAPED = "escaped", _("Escaped")


class Case(ChoiceLabels, models.Model):
    """The workflow of one person. State changes only through `cases.workflow`'s table."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="case")
    state = models.CharField(
        _("state"), max_length=32, choices=CaseState.choices, default=CaseState.REGISTERED
    )
    legal_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("legal representation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_cases",
    )
    governing_will = models.ForeignKey(
        "WillExpression",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The latest verified, not withdrawn will expression."),
    )
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=CaseState.values), name="case_state_known"
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_state_display()})"


class CaseTransition(TransitionRecord):
    """One state change of a case: the case history, reports and work queues read these rows."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=CaseState.choices)
    to_state = models.CharField(max_length=32, choices=CaseState.choices)

    def __str__(self) -> str:
        return f"{self.case.person}: {self.from_state} → {self.to_state}"


class StepFacts(models.Model):
    """The facts of a step that cannot be taken back: his death (Art. 120: the death
    certificate's date, place, cause and who certified it), his release or escape (date, place,
    circumstances), the closure of his case, or the correction of such a step recorded in
    error (`corrects`). One row per such step, written with its transition and audited."""

    transition = models.OneToOneField(
        CaseTransition, on_delete=models.PROTECT, related_name="facts"
    )
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    cause = models.TextField(_("cause of death"), blank=True)
    certified_by = models.CharField(_("certified by"), max_length=300, blank=True)
    circumstances = models.TextField(_("circumstances"), blank=True)
    corrects = models.OneToOneField(
        CaseTransition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        help_text=_("The step recorded in error that this correction takes back."),
    )

    def __str__(self) -> str:
        return f"{self.transition}: facts"


class WillSource(models.TextChoices):
    PRIVATE_VERIFICATION_INTERVIEW = (
        "private_verification_interview",
        _("Private verification interview"),
    )
    OFFICIAL_INTERVIEW = "official_interview", _("Official interview")
    WRITTEN_STATEMENT = "written_statement", _("Written statement")
    PRESS_INTERVIEW = "press_interview", _("Press interview")


# The circumstances of an interview, as a will expression and a visit's interview both record
# them: what the interview's need-to-know (`will.interview`, `visit.interview`) covers.
INTERVIEW_CIRCUMSTANCES = (
    "setting", "present", "present_party", "interpreter", "interpreter_affiliation", "language",
)  # fmt: skip


class InterviewSetting(models.TextChoices):
    PRIVATE = "private", _("Private, without witnesses")
    WITNESSED = "witnessed", _("Others present")
    PUBLIC = "public", _("Public or recorded by media")


class InterpreterAffiliation(models.TextChoices):
    """Whose the interpreter is. GC III Art. 126: the verifier brings his own; an interpreter of
    a party to the conflict (the detaining power, his state of origin or its ally) makes the
    interview one the verifier cannot verify."""

    NONE = "", _("No interpreter, or not recorded")
    VERIFIER = "verifier", _("The neutral verifier's own staff")
    INDEPENDENT = "independent", _("Independent, engaged by the verifier")
    PARTY = "party", _("A party to the conflict (detaining power, state of origin or its ally)")
    OTHER = "other", _("Another organisation")


class Wish(models.TextChoices):
    RETURN_TO_ORIGIN = "return_to_origin", _("Return to country of origin")
    NAMED_STATES = "named_states", _("Go to named state(s)")
    THIRD_COUNTRY = "third_country", _("Any third country")
    UNDECIDED = "undecided", _("Undecided")


class WillExpression(ChoiceLabels, models.Model):
    """What the person said he wants, where, how and to whom. Kept forever; never edited.

    Only a private interview by a neutral verifier counts as verified (GC III Art. 126).
    """

    # Encrypted in the database and masked in the audit log; who was in the room is as
    # sensitive as what he said.
    SENSITIVE_FIELDS = ("statement", "present", "interpreter", "withdrawn_reason")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="will_expressions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    expressed_on = models.DateField(_("date expressed"))
    source = models.CharField(_("source"), max_length=40, choices=WillSource.choices)
    setting = models.CharField(_("setting"), max_length=16, choices=InterviewSetting.choices)
    present = EncryptedTextField(
        _("who else was present"), max_length=300, blank=True, multiline=False
    )
    # Someone in the room belongs to a party to the conflict (GC III Art. 126): never verified.
    present_party = models.BooleanField(
        _("someone present belongs to a party to the conflict"), default=False
    )
    interpreter = EncryptedTextField(_("interpreter"), max_length=200, blank=True, multiline=False)
    interpreter_affiliation = models.CharField(
        _("interpreter's organisation"),
        max_length=16,
        choices=InterpreterAffiliation.choices,
        default=InterpreterAffiliation.NONE,
        blank=True,
    )
    language = models.CharField(_("language of the interview"), max_length=50, blank=True)
    wish = models.CharField(_("wish"), max_length=32, choices=Wish.choices)
    # In the order he gave them: the first is his first choice.
    destinations_preferred = CountryField(
        _("destinations preferred"), multiple=True, multiple_sort=False, blank=True
    )
    destinations_refused = CountryField(_("destinations refused"), multiple=True, blank=True)
    certainty = models.PositiveSmallIntegerField(_("certainty (%)"))
    statement = EncryptedTextField(_("statement"), blank=True)
    verified = models.BooleanField(_("verified"), default=False, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(certainty__gte=0, certainty__lte=100),
                name="will_certainty_is_percentage",
            ),
            # Verified means a private verification interview without witnesses.
            models.CheckConstraint(
                condition=models.Q(verified=False)
                | models.Q(source="private_verification_interview", setting="private", present=""),
                name="will_verified_only_if_private_interview",
            ),
            # A party's interpreter in the room: what he said is not verified.
            models.CheckConstraint(
                condition=models.Q(verified=False) | ~models.Q(interpreter_affiliation="party"),
                name="will_verified_never_with_a_partys_interpreter",
            ),
            models.CheckConstraint(
                condition=models.Q(verified=False) | models.Q(present_party=False),
                name="will_verified_never_with_a_party_present",
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log, which is not encrypted: no wish, no date.
        return f"{self.person}: will expression #{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class RiskLevel(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("None")
    LOW = "low", _("Low")
    HIGH = "high", _("High")


class RiskAssessment(ChoiceLabels, models.Model):
    """A legal assessment of one state for one person, as destination and as transit state.

    Persecution risk: what he would face there. Onward-transfer risk: that the state would send
    him on to a state he refused or where he is at risk (indirect refoulement).
    The latest assessment of a state governs; older ones stay as history.
    """

    SENSITIVE_FIELDS = ("basis",)

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    country = CountryField(_("state assessed"))
    persecution_risk = models.CharField(
        _("persecution risk"), max_length=16, choices=RiskLevel.choices
    )
    onward_transfer_risk = models.CharField(
        _("onward-transfer risk"), max_length=16, choices=RiskLevel.choices
    )
    onward_destinations = CountryField(
        _("states he might be sent on to"), multiple=True, blank=True
    )
    basis = EncryptedTextField(_("basis"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)
    # Four eyes to lower a risk: an assessment that would lift a block found by an earlier one
    # takes effect only when a legal officer of the other kind of organisation concurs (the
    # neutral verifier for an NGO's assessment, an NGO for the verifier's).
    concurrence_required = models.BooleanField(default=False, editable=False)
    concurred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    concurring_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    concurred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(concurred_at__isnull=True)
                | models.Q(concurrence_required=True, concurred_by__isnull=False),
                name="assessment_concurrence_only_where_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.country}: {self.get_persecution_risk_display()}"

    @property
    def in_effect(self) -> bool:
        """Whether the guard reads it: not waiting for a second organisation's concurrence."""
        return not self.concurrence_required or self.concurred_at is not None

    @property
    def awaits_concurrence(self) -> bool:
        return self.concurrence_required and self.concurred_at is None


class DecisionKind(models.TextChoices):
    REPATRIATION = "repatriation", _("Repatriation to the country of origin")
    TRANSFER = "transfer", _("Transfer to a receiving state")
    NEUTRAL_INTERNMENT = "neutral_internment", _("Internment in a neutral country (Art. 111)")
    # A Mixed Medical Commission found him eligible and he consented (Art. 109-110): home,
    # outside any exchange's ratio, through the same guard as every repatriation.
    DIRECT_REPATRIATION = (
        "direct_repatriation",
        _("Direct repatriation of the seriously wounded or sick (Art. 109-110)"),
    )


# The decisions that send him home: no receiving state accepts them.
REPATRIATIONS = (DecisionKind.REPATRIATION, DecisionKind.DIRECT_REPATRIATION)


class Decision(ChoiceLabels, models.Model):
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=32, choices=DecisionKind.choices)
    destination = CountryField(_("destination"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} → {self.destination}"


class Acceptance(models.Model):
    """A receiving state's acceptance of the person under a decision."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="acceptance")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.decision} accepted by {self.organisation}"


class Declination(models.Model):
    """A receiving state's refusal to accept him under a decision: the case returns to the
    legal assessment for a new decision."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="declination")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.decision} declined by {self.organisation}"


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    REPATRIATION = "repatriation", _("Repatriation")
    EXCHANGE = "exchange", _("Exchange")


class TransferStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    EXECUTED = "executed", _("Executed")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(ChoiceLabels, models.Model):
    """Moving a person to a destination, through transit states in order.

    The database refuses a scheduled or executed transfer unless every state on its route has
    its `GuardClearance` row (triggers in migration 0005), beside the service-level guard.
    """

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="transfers"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    destination = CountryField(_("destination"))
    # In travel order.
    transit = CountryField(_("transit states"), multiple=True, multiple_sort=False, blank=True)
    scheduled_for = models.DateField(_("scheduled for"))
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.SCHEDULED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(auto_now_add=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TransferStatus.values),
                name="transfer_status_known",
            ),
            # At most one live transfer per person.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="scheduled"),
                name="transfer_one_scheduled_per_person",
            ),
        ]

    def __str__(self) -> str:
        route = " → ".join(self.route)
        return f"{self.person}: {route} ({self.get_status_display()})"

    @property
    def transit_codes(self) -> list[str]:
        return [c.code for c in self.transit]

    @property
    def route(self) -> list[str]:
        return [*self.transit_codes, self.destination.code]


class Handover(models.Model):
    """The facts of an executed transfer: when and how he was handed over, and why earlier than
    scheduled when it was."""

    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="handover")
    handed_over_on = models.DateField(_("date of the handover"))
    transport = models.CharField(_("transport"), max_length=300)
    early_reason = models.TextField(_("reason for the earlier date"), blank=True)

    def __str__(self) -> str:
        return f"{self.transfer}: handed over {self.handed_over_on}"


class ClearanceRole(models.TextChoices):
    DESTINATION = "destination", _("Destination")
    TRANSIT = "transit", _("Transit state")


class ClearanceBasis(models.TextChoices):
    ASSESSED = "assessed", _("Assessed: risks known and not high, no blocked onward state")
    OWN_CHOICE = "own_choice", _("His own state, which his verified will asks for")


class GuardClearance(ChoiceLabels, models.Model):
    """A state a route of this person may touch, in one role: the guard's positive clearance.

    Written only by `cases.services.guard_refresh`, in the same transaction as the records
    behind it, and sealed (`seal`, an HMAC under the deployment's secret key) so that a row
    made outside the refresh is detected by `safepassage guard verify`. The database triggers
    (migration 0005) refuse a scheduled or executed movement unless every state on its route
    has its row: a deleted row closes a route, it never opens one (ADR 0003).
    """

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="guard_clearances"
    )
    country = models.CharField(max_length=2)
    role = models.CharField(max_length=16, choices=ClearanceRole.choices)
    basis = models.CharField(max_length=16, choices=ClearanceBasis.choices)
    will_expression = models.ForeignKey(WillExpression, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        RiskAssessment, null=True, on_delete=models.PROTECT, related_name="+"
    )
    seal = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # One row per state, role and the facts behind it: the refresh inserts a row's
            # successor before it deletes the row.
            models.UniqueConstraint(
                fields=["person", "country", "role", "will_expression", "assessment"],
                name="guard_clearance_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=ClearanceRole.values), name="guard_clearance_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.country} ({self.role})"
