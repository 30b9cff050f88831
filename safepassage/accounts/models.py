from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.lib.labels import ChoiceLabels


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
    # A doctor: the detaining power's camp or hospital doctor, or a neutral doctor of a Mixed
    # Medical Commission (GC III Art. 112). Medical records and findings are theirs to read.
    MEDICAL_OFFICER = "medical_officer", _("Medical officer")


class Organisation(ChoiceLabels, models.Model):
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
    # Bumped when the account is disabled or its roles change (accounts.services): it is part
    # of the session hash, so every existing session of the user ends at its next request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Every account logs in with a second factor; only the fictional demo's accounts are
    # exempt, so that `make demo` works without a phone (docs/security.md#authentication).
    mfa_required = models.BooleanField(_("second factor required"), default=True)
    # The interface language he chose; empty: the browser's (Accept-Language), else English.
    # A code of settings.LANGUAGES (checked by accounts.services.user_language_set).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")

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

    def save(self, *args, **kwargs) -> None:
        # Django holds the new raw password in `_password` until the next save (a hash upgrade
        # clears it first), so this is a real change of an existing account's password.
        changed = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if changed:
            from safepassage.accounts.signals import password_changed

            password_changed.send(sender=type(self), user=self)

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django keeps this hash in the session at login and flushes the session when it no
        # longer matches (it covers the password); the epoch makes role changes and disabling
        # end sessions the same way. Django calls this for SECRET_KEY and each fallback.
        key_salt = "safepassage.accounts.User.get_session_auth_hash"
        value = f"{self.password}|{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class RoleAssignment(ChoiceLabels, models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class LoginThrottle(ChoiceLabels, models.Model):
    """Recent failed logins for one username or one address (keyed by an HMAC, so a password
    typed into the username box is not stored), and until when it is locked."""

    class Kind(models.TextChoices):
        USERNAME = "username", _("Username")
        ADDRESS = "address", _("Address")
        API_ADDRESS = "api_address", _("API address")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]}"
