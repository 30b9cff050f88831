from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact day")
    MONTH = "month", _("Month known")
    YEAR = "year", _("Year known")
    APPROXIMATE = "approximate", _("Approximate")


class HealthStatus(models.TextChoices):
    """GC III Art. 109-110: the seriously wounded and sick are repatriated directly."""

    HEALTHY = "healthy", _("No known wounds or sickness")
    WOUNDED = "wounded", _("Wounded")
    SICK = "sick", _("Sick")
    SERIOUSLY_WOUNDED_OR_SICK = "seriously_wounded_or_sick", _("Seriously wounded or sick")


class Art110Category(models.TextChoices):
    """A Mixed Medical Commission's finding (GC III Art. 110, Annex I). On a person it is his
    latest finding, written only by `medical.services.examination_record` (a trigger refuses
    any other change); the grounds (incurable, not recovering within a year, ...) are the
    examination's (`medical.models.Ground`)."""

    NONE = "", _("Not examined by a Mixed Medical Commission")
    DIRECT_REPATRIATION = "direct_repatriation", _("Direct repatriation (Art. 110)")
    NEUTRAL_ACCOMMODATION = (
        "neutral_accommodation",
        _("Accommodation in a neutral country (Art. 110-111)"),
    )
    NEITHER = "neither", _("Neither direct repatriation nor accommodation")


class PlaceKind(models.TextChoices):
    CAMP = "camp", _("Camp")
    HOSPITAL = "hospital", _("Hospital")
    HOLDING_SITE = "holding_site", _("Holding site")


class Place(ChoiceLabels, models.Model):
    """A place of internment of one detaining power: a camp, a hospital, a holding site.

    Found or created from the text the registry records (`registry.services.place_for`): one
    row per detaining power, name and kind. Visits are planned place by place."""

    detaining_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("detaining power"),
        on_delete=models.PROTECT,
        related_name="places",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of place"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.CAMP
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detaining_organisation", "name", "kind"], name="place_unique_per_power"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_known"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="place_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Script(models.TextChoices):
    HANGUL = "Hang", _("Hangul")
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    OTHER = "Zyyy", _("Other")


class Romanization(models.TextChoices):
    AS_WRITTEN = "as_written", _("As written")
    DPRK = "dprk", _("DPRK official")
    REVISED = "revised", _("Revised Romanization (ROK 2000)")
    MCCUNE_REISCHAUER = "mccune_reischauer", _("McCune–Reischauer")
    POPULAR = "popular", _("Popular spelling")
    ICAO = "icao", _("Passport / ICAO")
    BGN_PCGN = "bgn_pcgn", _("BGN/PCGN")
    UKRAINIAN_NATIONAL = "ukrainian_national", _("Ukrainian national (2010)")


class Person(ChoiceLabels, models.Model):
    """A prisoner of war in the registry: the identity core of GC III Art. 17 and the capture card.

    Every field but the registry number may be unknown. The case workflow lives in `cases.Case`.
    """

    # Encrypted in the database and masked in the audit log.
    SENSITIVE_FIELDS = ("next_of_kin",)

    registry_number = models.CharField(_("registry number"), max_length=32, unique=True)
    detaining_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("detaining power"),
        on_delete=models.PROTECT,
        related_name="detained_persons",
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationalities = CountryField(_("claimed nationalities"), multiple=True, blank=True)
    service_number = models.CharField(_("service number"), max_length=64, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    capture_date = models.DateField(_("date of capture"), null=True, blank=True)
    capture_place = models.CharField(_("place of capture"), max_length=200, blank=True)
    capturing_unit = models.CharField(_("capturing unit"), max_length=200, blank=True)
    health_status = models.CharField(
        _("health"), max_length=32, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    # His latest finding by a Mixed Medical Commission, never typed in (medical.services).
    art110_category = models.CharField(
        _("Art. 110 category"),
        max_length=32,
        choices=Art110Category.choices,
        default=Art110Category.NONE,
        blank=True,
        editable=False,
    )
    wounds = models.TextField(_("wounds and sickness"), blank=True)
    internment_place = models.CharField(_("place of internment"), max_length=200, blank=True)
    internment_place_kind = models.CharField(
        _("kind of place"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.CAMP
    )
    # The place the two fields above name, found or created with them; changed only by
    # `registry.services` (`person_place_move`), each change a `PlaceMove`.
    place = models.ForeignKey(
        Place,
        verbose_name=_("place of internment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. ko, ru")
    )
    next_of_kin = EncryptedTextField(_("next of kin"), blank=True)
    # Set when a reviewer found this record to be a duplicate of another (tracing.services):
    # the record, its names and its history stay; lists hide it and its registry number leads
    # to the survivor. Always the final survivor: a merge re-points earlier absorbed records.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_records",
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # Normalised names, numbers and places for case- and accent-insensitive search.
    search_text = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["registry_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_date_precision__in=DatePrecision.values),
                name="person_birth_date_precision_known",
            ),
            models.CheckConstraint(
                condition=models.Q(health_status__in=HealthStatus.values),
                name="person_health_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="person_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True, merged_at__isnull=True)
                | models.Q(merged_into__isnull=False, merged_at__isnull=False),
                name="person_merged_at_with_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return self.registry_number

    @property
    def primary_name(self) -> "PersonName | None":
        names = list(self.names.all())
        return names[0] if names else None

    @property
    def is_seriously_wounded_or_sick(self) -> bool:
        return self.health_status == HealthStatus.SERIOUSLY_WOUNDED_OR_SICK


class PersonName(ChoiceLabels, models.Model):
    """One way the person's name was written: a script, a romanization, a source."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    given_name = models.CharField(_("given names"), max_length=200, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=200, blank=True)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    romanization = models.CharField(
        _("romanization"),
        max_length=32,
        choices=Romanization.choices,
        default=Romanization.AS_WRITTEN,
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_assumed_identity = models.BooleanField(
        _("assumed identity"),
        default=False,
        help_text=_("A name under which the person was documented falsely; kept and linked."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # A name copied from a record merged into this one; the original stays on that record.
    merged_from = models.ForeignKey(
        Person,
        verbose_name=_("merged from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(family_name="", given_name=""),
                name="person_name_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Family name first, as Korean and official lists write it."""
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)


class PlaceMove(models.Model):
    """He was moved from one place of internment to another (GC III Art. 122: transfers are
    notified). Written by the one service that changes his place; kept forever."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="place_moves")
    from_place = models.ForeignKey(
        Place, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    to_place = models.ForeignKey(
        Place, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    moved_on = models.DateField(_("moved on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moved_on", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_place=models.F("to_place")),
                name="place_move_changes_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_place} → {self.to_place}"


class RegistrySequence(models.Model):
    """The last registry number handed out per prefix (country and year)."""

    prefix = models.CharField(max_length=16, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last:06d}"


class NameKey(models.Model):
    """One key a person's name is found under: a spelling in a romanization or script, or one
    of the tracing engine's phonetic and blocking keys (`safepassage.names.index`).

    The registry's one name index, shared by every process: the person search and the tracing
    engine's candidates are look-ups of it. Written with the name, in the same transaction
    (`registry.services.person_names_index`, the bulk import and seeding the same rows), and
    rebuilt by `safepassage names index`; never edited by hand.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=32)
    system = models.CharField(max_length=32, blank=True)
    key = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="registry_namekey_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
