"""After a transfer: the receiving state's reception (arrival and its own steps) and the neutral
verifier's follow-up contacts. Non-refoulement is also about what happens next: a report that
he was sent on, or is at risk of it, is evidence for every later assessment of that state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord

# The steps a receiving state takes after arrival, unless it configured its own
# (`ReceptionStepTemplate`): in the Republic of Korea the protection decision, the settlement
# programme (Hanawon) and residence.
DEFAULT_STEPS = ("Protection decision", "Settlement programme", "Residence")
# Follow-up contacts, in months after the handover.
DEFAULT_MONTHS = (1, 3, 6, 12)


class ReceptionStepTemplate(models.Model):
    """One step of a receiving state's own list, in order."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="reception_steps"
    )
    label = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "position", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.label}"


class Reception(models.Model):
    """His arrival in the receiving state after an executed transfer."""

    transfer = models.OneToOneField(
        "cases.Transfer", on_delete=models.PROTECT, related_name="reception"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    arrived_on = models.DateField(_("arrived on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person}: reception #{self.pk}"


class ReceptionStep(models.Model):
    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="steps")
    label = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.reception}: step #{self.pk}"


class ContactState(models.TextChoices):
    DUE = "due", _("Due")
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")


class ContactOutcome(models.TextChoices):
    NONE = "", _("—")
    SAFE = "safe", _("Safe")
    CONCERNS = "concerns", _("Concerns reported")
    ONWARD_REMOVAL = "onward_removal", _("Onward removal reported")


# A report that feeds the onward-risk assessment of the receiving state and raises the alert.
ALERTING = (ContactOutcome.CONCERNS, ContactOutcome.ONWARD_REMOVAL)


class FollowUpContact(ChoiceLabels, models.Model):
    """One follow-up contact the verifier scheduled after the transfer, and what came of it."""

    SENSITIVE_FIELDS = ("note",)

    transfer = models.ForeignKey(
        "cases.Transfer", on_delete=models.PROTECT, related_name="followup_contacts"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="followup_contacts"
    )
    country = CountryField(_("receiving state"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=16, choices=ContactState.choices, default=ContactState.DUE
    )
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ContactOutcome.choices, blank=True, default=""
    )
    sent_on_to = CountryField(_("sent on to"), blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ContactState.values), name="followup_state_known"
            ),
            # Only a man who was reached reported how he is.
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(state="reached"),
                name="followup_outcome_only_when_reached",
            ),
        ]
        indexes = [models.Index(fields=["country", "outcome"])]

    def __str__(self) -> str:
        return f"{self.person}: follow-up #{self.pk}"


class ContactTransition(TransitionRecord):
    """The step that recorded a follow-up contact: reached or not (`followup.workflow`)."""

    contact = models.ForeignKey(
        FollowUpContact, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(max_length=32, choices=ContactState.choices)
    to_state = models.CharField(max_length=32, choices=ContactState.choices)

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.from_state} → {self.to_state}"
