"""Visits of the neutral verifier to places of internment (GC III Art. 126): the team, the men
to see, the interviews held and the confidential report shared with the detaining power."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import InterpreterAffiliation, InterviewSetting
from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced to the detaining power")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    REPORT_SHARED = "report_shared", _("Report shared with the detaining power")


class Visit(ChoiceLabels, models.Model):
    """One visit of the verifier's team to one place, between two dates. Its state changes only
    through `visits.workflow`'s table."""

    # Encrypted in the database and masked in the audit log.
    SENSITIVE_FIELDS = ("report",)

    place = models.ForeignKey(
        "registry.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="visits"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("visiting organisation"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    state = models.CharField(
        _("state"), max_length=16, choices=VisitState.choices, default=VisitState.PLANNED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    # Confidential: for the detaining power's authorities alone, once shared.
    report = EncryptedTextField(_("confidential report"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=VisitState.values), name="visit_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="visit_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.place} {self.starts_on}–{self.ends_on}"


class VisitTransition(TransitionRecord):
    """One step of a visit: planned, announced, under way, completed, report shared."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=VisitState.choices)
    to_state = models.CharField(max_length=32, choices=VisitState.choices)

    def __str__(self) -> str:
        return f"{self.visit}: {self.from_state} → {self.to_state}"


class TeamRole(models.TextChoices):
    INTERVIEWER = "interviewer", _("Interviewer")
    INTERPRETER = "interpreter", _("Interpreter")
    DOCTOR = "doctor", _("Doctor")


class TeamMember(ChoiceLabels, models.Model):
    """One member of the visiting team: a user of the verifier, or a name (an interpreter
    engaged for the visit); for an interpreter, whose he is."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role in the team"), max_length=16, choices=TeamRole.choices)
    affiliation = models.CharField(
        _("interpreter's organisation"),
        max_length=16,
        choices=InterpreterAffiliation.choices,
        default=InterpreterAffiliation.NONE,
        blank=True,
    )

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, name=""), name="team_member_named"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=TeamRole.values), name="team_member_role_known"
            ),
            models.CheckConstraint(
                condition=models.Q(role="interpreter") | models.Q(affiliation=""),
                name="team_member_affiliation_only_for_interpreters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {self.get_role_display()} #{self.pk}"

    @property
    def display_name(self) -> str:
        if self.user_id is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.name


class SeeReason(models.TextChoices):
    AT_THE_PLACE = "at_the_place", _("Held at the place")
    AWAITING_INTERVIEW = "awaiting_interview", _("Awaiting a private interview")
    FOLLOW_UP_DUE = "follow_up_due", _("Due for a follow-up interview")
    LATER_STATEMENT = "later_statement", _("A later statement contradicts his will")


class PersonToSee(ChoiceLabels, models.Model):
    """A man the team asks to see on this visit, and why (`visits.services.visit_list_build`)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="to_see")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=24, choices=SeeReason.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="person_to_see_once"),
            models.CheckConstraint(
                condition=models.Q(reason__in=SeeReason.values), name="person_to_see_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {self.person}"


class InterviewOutcome(models.TextChoices):
    INTERVIEWED = "interviewed", _("Interviewed")
    DECLINED = "declined", _("Declined to be interviewed")
    NOT_FOUND = "not_found", _("Not found at the place")
    NOT_PRIVATE = "not_private", _("Refused: the interview could not be held in private")


class Interview(ChoiceLabels, models.Model):
    """A man seen on a visit: what came of it, where and with whom. An interview he gave links
    the will expression recorded from it; what he said stays with the verifier."""

    # Encrypted in the database and masked in the audit log: who was in the room.
    SENSITIVE_FIELDS = ("present", "interpreter")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="interviews")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=InterviewOutcome.choices)
    held_on = models.DateField(_("date"))
    setting = models.CharField(
        _("setting"), max_length=16, choices=InterviewSetting.choices, blank=True
    )
    present = EncryptedTextField(
        _("who else was present"), max_length=300, blank=True, multiline=False
    )
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
    will_expression = models.OneToOneField(
        "cases.WillExpression",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interview",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="interview_once_per_visit"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=InterviewOutcome.values),
                name="interview_outcome_known",
            ),
            # Only a man who was interviewed said anything that could be his will.
            models.CheckConstraint(
                condition=models.Q(will_expression__isnull=True) | models.Q(outcome="interviewed"),
                name="interview_will_only_when_interviewed",
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log, which is not encrypted: no outcome, no date.
        return f"{self.person}: interview #{self.pk}"
