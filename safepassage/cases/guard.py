"""The non-refoulement guard.

No transfer, repatriation or exchange entry may take a person to, or through, a state that
(a) his latest verified will refuses, (b) is assessed high-risk for him, or (c) carries a high
risk of sending him on to such a state. There is no override: the way forward is a new verified
will or a new assessment, both audited.

`evaluate_route` is the rule, pure. `guard_check` feeds it from the database. `guard_refresh`
keeps `GuardBlock` (which the database triggers read) equal to what the rule blocks, and cancels
scheduled transfers that a new will or assessment has made unlawful.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safepassage.lib.errors import DomainError


@dataclass(frozen=True)
class AssessmentFacts:
    id: int
    persecution_risk: str
    onward_transfer_risk: str


@dataclass(frozen=True)
class GuardFacts:
    """What the guard needs to know about one person."""

    governing_will_id: int | None
    undecided: bool
    refused: frozenset[str]
    assessments: Mapping[str, AssessmentFacts]  # latest per state
    # From records merged into this one (duplicates, `merged_facts`): their blocks keep
    # applying, so a merge can only make the guard stricter.
    inherited: tuple[tuple[str, str, int | None, int | None], ...] = ()  # (state, rule, will, a.)
    inherited_undecided_will_id: int | None = None

    def blocked(self) -> dict[str, list[tuple[str, int | None, int | None]]]:
        """Every blocked state: [(rule, will expression id, assessment id), ...]."""
        blocks: dict[str, list[tuple[str, int | None, int | None]]] = {}
        for country in sorted(self.refused):
            blocks.setdefault(country, []).append(("refused", self.governing_will_id, None))
        for country, facts in sorted(self.assessments.items()):
            if facts.persecution_risk == "high":
                blocks.setdefault(country, []).append(("high_risk", None, facts.id))
            if facts.onward_transfer_risk == "high":
                blocks.setdefault(country, []).append(("onward_risk", None, facts.id))
        for country, rule, will_id, assessment_id in sorted(
            self.inherited, key=lambda b: (b[0], b[1], b[2] or 0, b[3] or 0)
        ):
            if all(r != rule for r, _w, _a in blocks.get(country, [])):
                blocks.setdefault(country, []).append((rule, will_id, assessment_id))
        return blocks


@dataclass(frozen=True)
class MergedRecord:
    """The guard facts of a record merged into this one, and whether they are still current."""

    facts: GuardFacts
    will_superseded: bool  # a verified will of the survivor was recorded after the merge
    reassessed: frozenset[str]  # states the survivor has had assessed since the merge


def merged_facts(survivor: GuardFacts, absorbed: Iterable[MergedRecord]) -> GuardFacts:
    """The survivor's facts joined with those of the records merged into him: every block of
    theirs still applies, until a verified will (for refusals and indecision) or an
    assessment of that state (for risks) recorded for the survivor after the merge."""
    inherited = list(survivor.inherited)
    undecided_will_id = survivor.inherited_undecided_will_id
    for record in absorbed:
        for country, rules in record.facts.blocked().items():
            for rule, will_id, assessment_id in rules:
                lifted = (
                    record.will_superseded if rule == "refused" else country in record.reassessed
                )
                if not lifted:
                    inherited.append((country, rule, will_id, assessment_id))
        if record.facts.undecided and not record.will_superseded and undecided_will_id is None:
            undecided_will_id = record.facts.governing_will_id
    return GuardFacts(
        governing_will_id=survivor.governing_will_id,
        undecided=survivor.undecided,
        refused=survivor.refused,
        assessments=survivor.assessments,
        inherited=tuple(inherited),
        inherited_undecided_will_id=undecided_will_id,
    )


@dataclass(frozen=True)
class Violation:
    rule: str
    country: str | None = None
    as_transit: bool = False
    will_expression_id: int | None = None
    assessment_id: int | None = None

    def __str__(self) -> str:
        where = {"country": self.country or ""}
        if self.rule == "no_verified_will":
            return _(
                "No verified will is on record. A neutral verifier must interview him in "
                "private first."
            )
        if self.rule == "refused_by_database":
            return _(
                "The database refused the route: it touches a state blocked for him by his "
                "verified will or a risk assessment."
            )
        if self.rule == "undecided":
            return _(
                "His latest verified will (record #%(id)s) is undecided. Record a new verified "
                "interview before any transfer."
            ) % {"id": self.will_expression_id}
        if self.rule == "refused":
            text = (
                _("Transit state %(country)s is refused in his latest verified will")
                if self.as_transit
                else _("%(country)s is refused in his latest verified will")
            )
            return (
                (text % where)
                + " "
                + _("(will expression #%(id)s).") % {"id": self.will_expression_id}
            )
        if self.rule == "high_risk":
            text = (
                _("Transit state %(country)s is assessed high-risk for him")
                if self.as_transit
                else _("%(country)s is assessed high-risk for him")
            )
            return (
                (text % where) + " " + _("(risk assessment #%(id)s).") % {"id": self.assessment_id}
            )
        text = (
            _(
                "Transit state %(country)s has a high risk of sending him on to a refused or "
                "high-risk state"
            )
            if self.as_transit
            else _("%(country)s has a high risk of sending him on to a refused or high-risk state")
        )
        return (text % where) + " " + _("(risk assessment #%(id)s).") % {"id": self.assessment_id}


class NonRefoulementViolation(DomainError):
    """The route is forbidden. `violations` names each rule and the record behind it."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = "; ".join(str(v) for v in violations)
        super().__init__(
            _("Non-refoulement guard: this route is forbidden. %(reasons)s") % {"reasons": lines}
        )


def evaluate_route(
    facts: GuardFacts, destination: str, transit: Iterable[str] = ()
) -> list[Violation]:
    """Every reason the route is forbidden; an empty list means the guard allows it."""
    if facts.governing_will_id is None:
        return [Violation("no_verified_will")]
    violations = []
    if facts.undecided:
        violations.append(Violation("undecided", will_expression_id=facts.governing_will_id))
    elif facts.inherited_undecided_will_id is not None:
        violations.append(
            Violation("undecided", will_expression_id=facts.inherited_undecided_will_id)
        )
    blocked = facts.blocked()
    stops = [(code, True) for code in transit] + [(destination, False)]
    for country, as_transit in stops:
        for rule, will_id, assessment_id in blocked.get(country, []):
            violations.append(Violation(rule, country, as_transit, will_id, assessment_id))
    return violations


def guard_facts(person) -> GuardFacts:
    """Read the governing will and the latest assessment of each state for `person`, joined
    with the facts of every record merged into him (`merged_facts`)."""
    from safepassage.cases.models import Case, RiskAssessment
    from safepassage.registry.models import Person

    own = _own_guard_facts(person)
    absorbed = Person.objects.filter(merged_into_id=person.pk).order_by("pk")
    if not absorbed:
        return own
    case = Case.objects.select_related("governing_will").get(person=person)
    records = []
    for record in absorbed:
        will = case.governing_will
        reassessed = RiskAssessment.objects.filter(
            person=person, assessed_at__gt=record.merged_at
        ).values_list("country", flat=True)
        records.append(
            MergedRecord(
                facts=_own_guard_facts(record),
                will_superseded=will is not None and will.recorded_at > record.merged_at,
                reassessed=frozenset(str(code) for code in reassessed),
            )
        )
    return merged_facts(own, records)


def _own_guard_facts(person) -> GuardFacts:
    from safepassage.cases.models import Case, RiskAssessment, Wish

    case = Case.objects.select_related("governing_will").get(person=person)
    will = case.governing_will
    latest: dict[str, AssessmentFacts] = {}
    for assessment in RiskAssessment.objects.filter(person=person).order_by("assessed_at", "id"):
        latest[assessment.country.code] = AssessmentFacts(
            assessment.id, assessment.persecution_risk, assessment.onward_transfer_risk
        )
    return GuardFacts(
        governing_will_id=will.id if will else None,
        undecided=bool(will and will.wish == Wish.UNDECIDED),
        refused=frozenset(c.code for c in will.destinations_refused) if will else frozenset(),
        assessments=latest,
    )


def guard_check(*, person, destination: str, transit: Iterable[str] = ()) -> list[Violation]:
    return evaluate_route(guard_facts(person), destination, list(transit))


def guard_ensure(*, person, destination: str, transit: Iterable[str] = ()) -> None:
    """Raise `NonRefoulementViolation` unless the route is allowed."""
    violations = guard_check(person=person, destination=destination, transit=transit)
    if violations:
        raise NonRefoulementViolation(violations)


def guard_refresh(*, person) -> None:
    """Rebuild `GuardBlock` rows for `person` from his will and assessments.

    Call inside the transaction that changed the will or an assessment, after cancelling any
    scheduled transfer the change forbids (the database would refuse to keep it otherwise).
    """
    from safepassage.cases.models import GuardBlock

    facts = guard_facts(person)
    GuardBlock.objects.filter(person=person).delete()
    GuardBlock.objects.bulk_create(
        GuardBlock(
            person=person,
            country=country,
            rule=rule,
            will_expression_id=will_id,
            assessment_id=assessment_id,
        )
        for country, rules in facts.blocked().items()
        for rule, will_id, assessment_id in rules
    )
