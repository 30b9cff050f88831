"""Exchange agreements, candidate pools, batches, their entries and exclusions.

A batch moves draft → proposed → counter-proposal → agreed → executed (`exchanges.workflow`).
The database refuses an entry of ours that is planned, agreed or executed unless every state on
its route has its `cases.GuardClearance` row (triggers in cases migration 0005), beside the guard
the services run at planning, at every step, at the handover and at execution.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safepassage.lib.labels import ChoiceLabels
from safepassage.workflow.models import TransitionRecord


class Side(models.TextChoices):
    OURS = "ours", _("Ours (we hand over)")
    THEIRS = "theirs", _("Theirs (they hand over)")


class Category(models.TextChoices):
    OFFICER = "officer", _("Officer")
    WOUNDED = "wounded", _("Wounded or sick")
    CONSCRIPT = "conscript", _("Conscript / soldier")
    CIVILIAN = "civilian", _("Civilian")


class RatioKind(models.TextChoices):
    RATIO = "ratio", _("N for M")
    ALL_FOR_ALL = "all_for_all", _("All for all")


class PriorityOrder(models.TextChoices):
    """After the seriously wounded and sick (always first) and the number of persons."""

    CAPTIVITY = "captivity", _("Longest in captivity first")
    AGE = "age", _("Oldest first")
    NONE = "none", _("No further order")


class ManifestLanguage(models.TextChoices):
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English only")


class Agreement(ChoiceLabels, models.Model):
    """What the parties agreed an exchange is made of. Lists of names are one per line."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("detaining power"),
        on_delete=models.PROTECT,
        related_name="exchange_agreements",
    )
    title = models.CharField(_("title"), max_length=200)
    other_party = models.CharField(_("other party"), max_length=200)
    other_party_country = CountryField(_("other party's state (destination of ours)"))
    manifest_language = models.CharField(
        _("second language of the manifests"),
        max_length=2,
        choices=ManifestLanguage.choices,
        default=ManifestLanguage.RUSSIAN,
    )
    ratio_kind = models.CharField(
        _("ratio"), max_length=16, choices=RatioKind.choices, default=RatioKind.RATIO
    )
    ratio_ours = models.PositiveSmallIntegerField(_("ours (N)"), default=1)
    ratio_theirs = models.PositiveSmallIntegerField(_("theirs (M)"), default=1)
    # {"officer": [1, 1], ...}: the ratio within a category, beside the overall one.
    category_ratios = models.JSONField(_("ratios per category"), default=dict, blank=True)
    max_per_side = models.PositiveIntegerField(_("maximum persons per side"), null=True, blank=True)
    transport_capacity = models.PositiveIntegerField(
        _("transport capacity (seats, both sides)"), null=True, blank=True
    )
    exchange_date = models.DateField(_("date of the exchange"))
    # In travel order: the handover route of our side, e.g. through a neutral state.
    transit = CountryField(_("transit states"), multiple=True, multiple_sort=False, blank=True)
    priority_order = models.CharField(
        _("then priority by"),
        max_length=16,
        choices=PriorityOrder.choices,
        default=PriorityOrder.CAPTIVITY,
    )
    travel_together = models.TextField(
        _("must travel together"),
        blank=True,
        help_text=_("One group per line: registry numbers or ids separated by commas."),
    )
    included = models.TextField(
        _("named for inclusion"), blank=True, help_text=_("One registry number, id or name a line.")
    )
    excluded = models.TextField(
        _("named for exclusion"), blank=True, help_text=_("One registry number, id or name a line.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exchange_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ratio_ours__gte=1, ratio_theirs__gte=1),
                name="exchange_ratio_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MatchMethod(models.TextChoices):
    REGISTRY = "registry", _("Registry (our candidate)")
    REGISTRY_NUMBER = "registry_number", _("Registry number")
    SERVICE_NUMBER = "service_number", _("Service number")
    TRACING = "tracing", _("Tracing engine (names across scripts)")
    NONE = "none", _("Not matched")


class Candidate(ChoiceLabels, models.Model):
    """One person in the pool of an agreement: ours from the registry, theirs from their list."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="candidates")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_candidacies",
    )
    external_id = models.CharField(_("id in the list"), max_length=64)
    name = models.CharField(_("name as listed"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    seriously_wounded = models.BooleanField(_("seriously wounded or sick"), default=False)
    fit_to_travel = models.BooleanField(_("fit to travel"), default=True)
    priority = models.PositiveIntegerField(_("priority"), default=0)
    requested_by_other_party = models.BooleanField(default=False)
    match_method = models.CharField(max_length=16, choices=MatchMethod.choices)
    match_score = models.FloatField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["side", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "side", "external_id"], name="exchange_candidate_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement", "person"],
                condition=models.Q(side="ours"),
                name="exchange_candidate_person_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(side="ours") | models.Q(person__isnull=False),
                name="exchange_candidate_ours_is_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.external_id}"


class BatchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the other party")
    COUNTER_PROPOSAL = "counter_proposal", _("Counter-proposal received")
    AGREED = "agreed", _("Agreed")
    EXECUTED = "executed", _("Executed")
    CANCELLED = "cancelled", _("Cancelled")


class Batch(ChoiceLabels, models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("batch"))
    state = models.CharField(
        _("state"), max_length=20, choices=BatchState.choices, default=BatchState.DRAFT
    )
    # What the solver reported for the last plan: status, levels, gap, seconds.
    solver = models.JSONField(default=dict, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="exchange_batch_number"),
            models.CheckConstraint(
                condition=models.Q(state__in=BatchState.values), name="exchange_batch_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — batch {self.number}"


class BatchTransition(TransitionRecord):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=BatchState.choices)
    to_state = models.CharField(max_length=20, choices=BatchState.choices)

    def __str__(self) -> str:
        return f"{self.batch}: {self.from_state} → {self.to_state}"


class EntryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGREED = "agreed", _("Agreed")
    EXECUTED = "executed", _("Executed")
    REMOVED = "removed", _("Removed")


LIVE_ENTRY = ("planned", "agreed")


class Entry(ChoiceLabels, models.Model):
    """One person on a batch. Ours go to `destination` through `transit`, in order."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="entries")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="entries")
    side = models.CharField(max_length=8, choices=Side.choices)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_entries",
    )
    destination = CountryField(_("destination"))
    transit = CountryField(_("transit states"), multiple=True, multiple_sort=False, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.PLANNED
    )
    handover_confirmed_at = models.DateTimeField(null=True, blank=True)
    handover_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_reason = models.TextField(blank=True)
    transfer = models.OneToOneField(
        "cases.Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["side", "candidate__external_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EntryStatus.values),
                name="exchange_entry_status_known",
            ),
            # One live entry per person, whatever the batch: "already in another batch".
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=LIVE_ENTRY),
                name="exchange_entry_one_live_per_person",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(status__in=LIVE_ENTRY),
                name="exchange_entry_one_live_per_candidate",
            ),
            models.CheckConstraint(
                condition=~models.Q(side="ours") | models.Q(person__isnull=False),
                name="exchange_entry_ours_is_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch}: {self.side} {self.candidate.external_id}"

    @property
    def transit_codes(self) -> list[str]:
        return [c.code for c in self.transit]


class ExclusionReason(models.TextChoices):
    REFUSED_DESTINATION = "refused_destination", _("Refused destination")
    NO_VERIFIED_WILL = "no_verified_will", _("No verified will")
    HIGH_RISK = "high_risk", _("High risk")
    TRANSIT_RISK = "transit_risk", _("Transit risk")
    MEDICALLY_UNFIT = "medically_unfit", _("Medically unfit to travel")
    IN_ANOTHER_BATCH = "in_another_batch", _("Already in another batch or transfer")
    NOT_HELD = "not_held", _("No longer held (released, transferred, deceased, escaped)")
    LATER_REFUSAL = "later_refusal", _("A later statement refuses this route")
    NOT_HIS_WISH = "not_his_wish", _("His verified will does not ask for this destination")
    NOT_CLEARED = "not_cleared", _("A state on the route is not cleared for him")
    ROUTE_BLOCKED = "route_blocked", _("A state on the route is blocked for him")
    ORIGIN_UNKNOWN = "origin_unknown", _("His origin is unknown (no nationality recorded)")
    CASE_NOT_READY = "case_not_ready", _("His capture is not yet notified")
    EXCLUDED_BY_AGREEMENT = "excluded_by_agreement", _("Named for exclusion")
    GROUP_MEMBER_EXCLUDED = "group_member_excluded", _("Travels with an excluded person")
    OTHER_SIDE_EMPTY = "other_side_empty", _("No one on the other side may go")
    RATIO_REACHED = "ratio_reached", _("The ratio is reached")
    CATEGORY_RATIO_REACHED = "category_ratio_reached", _("The ratio of his category is reached")
    MAXIMUM_REACHED = "maximum_reached", _("The maximum per side is reached")
    CAPACITY_FULL = "capacity_full", _("The transport is full")
    GROUP_DOES_NOT_FIT = "group_does_not_fit", _("His group does not fit as a whole")
    # Batches planned before the planner told these apart; it writes one of the above now.
    NOT_CHOSEN = "not_chosen", _("Not chosen: the agreement's limits left no room")


class Exclusion(ChoiceLabels, models.Model):
    """Why a candidate is not on the batch; one row per reason."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="exclusions")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=32, choices=ExclusionReason.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["candidate__side", "candidate__external_id", "id"]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.reason}"
