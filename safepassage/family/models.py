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
