"""Family links of a prisoner (GC III Art. 70): his choice of what the capture card tells.

The card goes to the Central Agency always; to his family only if he chooses, and his
family's address prints on it only if he allows it. For a North Korean a card that reaches his
family can get them punished: he decides, in private, with the neutral verifier, and may change
his mind. Every choice is a row of its own (the latest governs) and is audited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class CaptureCardChoice(models.Model):
    """One choice he made about his capture card; the latest of a person governs."""

    SENSITIVE_FIELDS = ("note",)

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="capture_card_choices"
    )
    card_to_family = models.BooleanField(_("send a capture card to his family"), default=False)
    address_on_card = models.BooleanField(
        _("his family's address may be written on the card"), default=False
    )
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        get_latest_by = ["recorded_at", "id"]
        constraints = [
            # A card he does not send to his family carries no family address either.
            models.CheckConstraint(
                condition=models.Q(card_to_family=True) | models.Q(address_on_card=False),
                name="capture_card_address_only_on_a_card_to_the_family",
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log: no choice in it.
        return f"{self.person}: capture card choice #{self.pk}"


class Direction(models.TextChoices):
    FROM_HIM = "from_him", _("From him to his family")
    TO_HIM = "to_him", _("From his family to him")


class MessageState(models.TextChoices):
    WRITTEN = "written", _("Written")
    PASSED = "passed", _("Passed by the censor")
    CENSORED = "censored", _("Censored: passages struck")
    FORWARDED = "forwarded", _("Forwarded")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERABLE = "undeliverable", _("Undeliverable")


# Where a message waits for the detaining power's censor (GC III Art. 76), when its agreement
# allows censorship (`family.selectors.censorship_applies`).
AWAITING_CENSOR = (MessageState.WRITTEN,)
FORWARDED_OR_LATER = (MessageState.FORWARDED, MessageState.DELIVERED, MessageState.UNDELIVERABLE)
# Struck passages are replaced by this in the copy that is forwarded.
STRUCK = "[…]"


class CorrespondenceChoice(models.Model):
    """His choice of who may write to him and who may learn where he is held; the latest of a
    person governs. Names are one a line, compared without case or extra spaces."""

    SENSITIVE_FIELDS = ("may_write", "may_know_place", "note")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="correspondence_choices"
    )
    may_write = EncryptedTextField(_("who may write to him"), blank=True)
    may_know_place = EncryptedTextField(_("who may learn where he is held"), blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.person}: correspondence choice #{self.pk}"


class FamilyMessage(ChoiceLabels, models.Model):
    """A Red Cross message (GC III Art. 71) from him to his family or from them to him: short
    family news, in any script. The original stays, encrypted; what is forwarded is the
    censor's copy with the struck passages replaced (`forwarded_text`)."""

    SENSITIVE_FIELDS = ("text", "forwarded_text", "correspondent_name", "correspondent_contact")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="family_messages"
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    text = EncryptedTextField(_("family news"))
    forwarded_text = EncryptedTextField(_("the text forwarded"), blank=True)
    correspondent_name = EncryptedTextField(_("the family correspondent"))
    correspondent_contact = EncryptedTextField(_("the correspondent's contact"), blank=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies",
        verbose_name=_("in reply to"),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=MessageState.choices, default=MessageState.WRITTEN
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    censor_reason = EncryptedTextField(_("the censor's reason"), blank=True)
    place_disclosed = models.BooleanField(_("his place of detention is told"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-written_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=MessageState.values), name="family_message_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="family_message_direction_known",
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log: nothing of the message in it.
        return f"{self.person}: family message #{self.pk}"


class FamilyMessageTransition(TransitionRecord):
    """One step of a family message (`family.workflow`)."""

    message = models.ForeignKey(FamilyMessage, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=MessageState.choices)
    to_state = models.CharField(max_length=32, choices=MessageState.choices)

    def __str__(self) -> str:
        return f"{self.message_id}: {self.from_state} → {self.to_state}"
