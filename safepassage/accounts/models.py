from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrganisationKind(models.TextChoices):
    DETAINING_POWER = "detaining_power", _("Detaining power")
    NEUTRAL_VERIFIER = "neutral_verifier", _("Neutral verifier")
    RECEIVING_STATE = "receiving_state", _("Receiving state")
    LEGAL_NGO = "legal_ngo", _("Legal / protection NGO")


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    INTERVIEWER = "interviewer", _("Interviewer")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    EXCHANGE_PLANNER = "exchange_planner", _("Exchange planner")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = CountryField(_("country"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person working for exactly one organisation, holding one or more roles in it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,  # only for break-glass superusers created by `createsuperuser`
    )

    objects = UserManager()

    class Meta:
        ordering = ["username"]

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
