"""Referrals of a person to receiving states: where his verified will asks for a third country
(or names states), the neutral verifier asks one or more states whether they would take him.

A state reads a pseudonymised profile (`referrals.selectors.referral_profile`), never his
statement, and answers: accept, decline with a reason, or ask for more information. A referral
moves no one: an acceptance lets that state see him, so that a decision may name it and the
state accept him under it (`cases.services.acceptance_record`), the one path to a transfer.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class ReferralState(models.TextChoices):
    REFERRED = "referred", _("Referred, awaiting the state's answer")
    INFORMATION_REQUESTED = "information_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted by the state")
    DECLINED = "declined", _("Declined by the state")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A referral still waiting for, or holding, the state's consent: one per person and state.
LIVE_STATES = (ReferralState.REFERRED, ReferralState.INFORMATION_REQUESTED, ReferralState.ACCEPTED)
# Waiting for the state's answer: its due date counts.
AWAITING_STATES = (ReferralState.REFERRED,)


class Referral(ChoiceLabels, models.Model):
    """One person referred to one receiving state. Its state changes only through
    `referrals.workflow`'s table; the answers and questions are its transition rows."""

    # Encrypted in the database and masked in the audit log.
    SENSITIVE_FIELDS = ("family_links", "note")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="referrals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("receiving state"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    state = models.CharField(
        _("state"), max_length=32, choices=ReferralState.choices, default=ReferralState.REFERRED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    # What the state needs to decide beyond the registry: written for it by the referrer.
    family_links = EncryptedTextField(_("family links"), blank=True)
    note = EncryptedTextField(_("note to the state"), blank=True)
    reference = models.CharField(_("the state's reference"), max_length=200, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    reminded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["referred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReferralState.values), name="referral_state_known"
            ),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=models.Q(state__in=[s.value for s in LIVE_STATES]),
                name="referral_one_live_per_person_and_state",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        # Printed into the audit log, which is not encrypted: the number and the state's name.
        return f"referral #{self.pk} to {self.organisation}"


class ReferralTransition(TransitionRecord):
    """One step of a referral; its reason is the state's answer, question, or the referrer's
    reply."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=ReferralState.choices)
    to_state = models.CharField(max_length=32, choices=ReferralState.choices)

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_state} → {self.to_state}"
