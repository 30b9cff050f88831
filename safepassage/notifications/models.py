"""In-app notifications: a case reached a work queue the user acts on.

A notification holds no words of its own: its page says the registry number, the state it
reached and the queue, in the reader's language, and links to the person's page (which asks the
access policy again)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import CaseState
from safepassage.lib.labels import ChoiceLabels


class Notification(ChoiceLabels, models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=32, choices=CaseState.choices)
    queue = models.CharField(_("work queue"), max_length=32)
    # A referral's answer overdue (`referrals.services.referral_reminders_send`): opening it
    # opens the referral, which a receiving state sees pseudonymised, never his page.
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell on every page counts these.
            models.Index(
                fields=["user"], condition=models.Q(read_at=None), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log: the number and the state, nothing more.
        return f"notification #{self.pk}: {self.person.registry_number} ({self.state})"
