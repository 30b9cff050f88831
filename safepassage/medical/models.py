"""The seriously wounded and sick (GC III Art. 109-117, Annexes I-II): Mixed Medical
Commissions, who presented a man to one, its examinations and findings, and his consent.

A person's Art. 110 category (`registry.Person.art110_category`) is the latest finding of a
commission: only `medical.services.examination_record` writes it, and a database trigger
refuses any other change (migration 0002). His consent (Art. 109(3)) is a will expression of
his, recorded through `cases.services.will_expression_record` in a private interview: verified
only as every will is (`cases.services.is_verified` and its check constraints).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels
from safepassage.registry.models import Art110Category


class Commission(models.Model):
    """A Mixed Medical Commission (Art. 112, Annex II): two doctors of a neutral country and
    one of the detaining power, appointed for a period, visiting places of internment."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("appointed through"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    places = models.ManyToManyField(
        "registry.Place", verbose_name=_("places visited"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="commission_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommissionMember(ChoiceLabels, models.Model):
    """One doctor of a commission: his country, whether neutral, and his account if he has one
    (a member's account reads and records the commission's findings)."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    neutral = models.BooleanField(_("of a neutral country"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission_memberships",
    )

    class Meta:
        ordering = ["-neutral", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user"],
                condition=models.Q(user__isnull=False),
                name="commission_member_account_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PresentedBy(models.TextChoices):
    """Art. 113: who may present a prisoner to a Mixed Medical Commission."""

    OWN_DOCTOR = "own_doctor", _("A doctor of his own nationality")
    REPRESENTATIVE = "representative", _("The prisoners' representative")
    HIMSELF = "himself", _("He himself")
    CAMP_DOCTOR = "camp_doctor", _("The camp doctor of the detaining power")


class Presentation(ChoiceLabels, models.Model):
    """He was presented to a commission (Art. 113): the work queue "to be presented to the
    commission" holds him until a commission examines him."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="medical_presentations"
    )
    presented_by = models.CharField(_("presented by"), max_length=16, choices=PresentedBy.choices)
    presenter_name = models.CharField(_("name of who presented him"), max_length=200, blank=True)
    presented_on = models.DateField(_("presented on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["presented_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(presented_by__in=PresentedBy.values),
                name="presentation_presented_by_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: presentation #{self.pk}"


class Ground(models.TextChoices):
    """The ground of a finding (Art. 110, Annex I)."""

    NONE = "", _("—")
    INCURABLE = "incurable", _("Incurable, mental or physical fitness seriously diminished")
    NOT_RECOVERING_WITHIN_YEAR = (
        "not_recovering_within_year",
        _("Not likely to recover within one year"),
    )
    PERMANENTLY_DIMINISHED = "permanently_diminished", _("Recovered, but permanently diminished")
    RECOVERY_HELPED = (
        "recovery_helped",
        _("Recovery within one year likely with treatment in a neutral country"),
    )
    HEALTH_THREATENED = (
        "health_threatened",
        _("Continued captivity seriously threatens his health"),
    )


DIRECT_GROUNDS = ("incurable", "not_recovering_within_year", "permanently_diminished")
NEUTRAL_GROUNDS = ("recovery_helped", "health_threatened")
# The findings that need his verified will on them before anything moves (Art. 109(3)).
NEEDS_CONSENT = (Art110Category.DIRECT_REPATRIATION, Art110Category.NEUTRAL_ACCOMMODATION)


class Examination(ChoiceLabels, models.Model):
    """A commission's examination of one person and its finding (Annex I category)."""

    SENSITIVE_FIELDS = ("findings",)

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="medical_examinations"
    )
    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="examinations"
    )
    presentation = models.OneToOneField(
        Presentation, null=True, blank=True, on_delete=models.PROTECT, related_name="examination"
    )
    examined_on = models.DateField(_("examined on"))
    examined_by = models.ManyToManyField(
        CommissionMember, verbose_name=_("examined by"), related_name="examinations"
    )
    findings = EncryptedTextField(_("findings"))
    category = models.CharField(
        _("finding (Annex I)"),
        max_length=32,
        choices=[c for c in Art110Category.choices if c[0]],
    )
    ground = models.CharField(
        _("ground"), max_length=32, choices=Ground.choices, blank=True, default=""
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["examined_on", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=[c for c in Art110Category.values if c]),
                name="examination_category_known",
            ),
            models.CheckConstraint(
                condition=models.Q(category="direct_repatriation", ground__in=DIRECT_GROUNDS)
                | models.Q(category="neutral_accommodation", ground__in=NEUTRAL_GROUNDS)
                | models.Q(category="neither", ground=""),
                name="examination_ground_fits_category",
            ),
        ]

    def __str__(self) -> str:
        # Printed into the audit log: no finding.
        return f"{self.person}: examination #{self.pk}"

    @property
    def needs_consent(self) -> bool:
        return self.category in NEEDS_CONSENT


class ConsentAnswer(models.TextChoices):
    CONSENTS = "consents", _("Consents")
    REFUSES = "refuses", _("Refuses")
    UNDECIDED = "undecided", _("Undecided")


class Consent(ChoiceLabels, models.Model):
    """His answer to a finding (Art. 109(3)), given in an interview: the will expression
    recorded with it says where he wants to go and is verified only if a neutral verifier
    heard him in private. `share_with_receiving_state`: whether a receiving state may read his
    medical record."""

    examination = models.ForeignKey(Examination, on_delete=models.PROTECT, related_name="consents")
    will_expression = models.OneToOneField(
        "cases.WillExpression", on_delete=models.PROTECT, related_name="medical_consent"
    )
    answer = models.CharField(_("answer"), max_length=16, choices=ConsentAnswer.choices)
    share_with_receiving_state = models.BooleanField(
        _("he agrees that a receiving state reads his medical record"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__in=ConsentAnswer.values), name="consent_answer_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.examination.person}: consent #{self.pk}"

    @property
    def verified(self) -> bool:
        will = self.will_expression
        return will.verified and will.withdrawn_at is None


class RegistrarCategory(models.Model):
    """The Art. 110 category a registrar once typed into the registry, before only a
    commission's finding set it: kept as history, never a finding."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="registrar_categories"
    )
    category = models.CharField(_("category recorded by the registrar"), max_length=32)
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moved_at", "id"]

    def __str__(self) -> str:
        return f"{self.person}: registrar's category #{self.pk}"
