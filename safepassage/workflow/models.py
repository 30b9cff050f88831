"""The abstract transition row: one per state change, whatever the workflow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.lib.labels import ChoiceLabels


class Trigger(models.TextChoices):
    """Who takes a step: a person through the plain step form, a service that records its
    own fact (a decision, a transfer) in the same transaction, or the system when the facts
    behind a later step change."""

    PERSON = "person", _("Plain step taken by a person")
    SERVICE = "service", _("Step taken with its own record")
    SYSTEM = "system", _("Taken by the system when the facts changed")


class TransitionRecord(ChoiceLabels, models.Model):
    """One state change (from, to, actor, organisation, reason, trigger, time): histories,
    reports and work queues read these rows. Each concrete model adds the foreign key to its
    object and the choices of its states."""

    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
