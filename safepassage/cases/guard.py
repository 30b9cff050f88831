"""The non-refoulement guard: the one rule every movement of a person asks (docs/guard.md).

A movement (transfer, repatriation, exchange entry, anything later) is allowed only when every
state on its route — each transit state and the destination — is *positively cleared* for him:
his latest verified will does not refuse it, a current risk assessment finds its persecution and
onward-transfer risks known and not high, and no state it might send him on to (its assessed
onward destinations, followed to a fixpoint) is itself blocked for him. The one exception: a
destination of his own nationality that his latest verified will asks for needs no assessment
(his free choice), though a "high" there still blocks. There is no override: the way forward is
a new verified interview or a new assessment, both audited.

`evaluate_movement` is the rule, pure, over facts read once (`guard_facts`). `guard_ensure` runs
it for a service; `guard_refresh` keeps `GuardClearance` (which the database triggers read, and
which fails closed: no row, no route) equal to what the rule clears, and calls off every live
movement the facts no longer allow. `database_guard` turns the triggers' refusal into the
guard's error.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import gettext as _

from safepassage.lib.errors import ReasonedRefusal

# Kinds of movement (the values of `cases.models.TransferKind`).
TRANSFER, REPATRIATION, EXCHANGE = "transfer", "repatriation", "exchange"
# Case states in which a person is no longer held, or not yet notified: no movement at all.
NOT_HELD = frozenset(["transferred", "closed", "deceased", "released", "escaped"])
NOT_NOTIFIED = frozenset(["registered"])
KNOWN_RISKS = frozenset(["none", "low"])
# Rules a reader without the will's details (`Action.WILL_DETAILS`) sees only as "a state on
# this route is blocked for him": they would name what his will refuses or asks for.
WILL_RULES = frozenset(["refused", "later_statement", "onward_blocked_by_will", "not_his_wish"])


@dataclass(frozen=True)
class WillFacts:
    id: int
    verified: bool
    expressed_on: datetime.date
    recorded_at: datetime.datetime
    wish: str
    preferred: tuple[str, ...]
    refused: frozenset[str]

    @property
    def order(self) -> tuple:
        """When he said it, then when it was typed in: an interview entered late from paper
        does not override a later one."""
        return (self.expressed_on, self.recorded_at, self.id)


@dataclass(frozen=True)
class AssessmentFacts:
    id: int
    persecution_risk: str
    onward_transfer_risk: str
    onward_destinations: frozenset[str] = frozenset()

    @property
    def high(self) -> bool:
        return "high" in (self.persecution_risk, self.onward_transfer_risk)

    @property
    def known(self) -> bool:
        return {self.persecution_risk, self.onward_transfer_risk} <= KNOWN_RISKS


@dataclass(frozen=True)
class Block:
    rule: str  # refused, high_risk, onward_risk
    will_expression_id: int | None = None
    assessment_id: int | None = None


@dataclass(frozen=True)
class GuardFacts:
    """What the guard needs to know about one person, his merged records included."""

    governing: WillFacts | None
    nationalities: frozenset[str] = frozenset()
    assessments: Mapping[str, AssessmentFacts] = field(default_factory=dict)  # current, per state
    later: tuple[WillFacts, ...] = ()  # unverified statements made after the governing will
    case_state: str = "will_verified"
    merged_into: str | None = None  # the survivor's registry number, for a merged-away record
    # From records merged into this one and not superseded since (a verified will recorded
    # after the merge lifts refusals and indecision; a new assessment of a state lifts its
    # risks): a merge can only make the guard stricter.
    inherited: Mapping[str, tuple[Block, ...]] = field(default_factory=dict)
    inherited_undecided: int | None = None

    @property
    def undecided_will_id(self) -> int | None:
        if self.governing is not None and self.governing.wish == "undecided":
            return self.governing.id
        return self.inherited_undecided

    def refused(self) -> frozenset[str]:
        """What his verified will refuses, and — for a wish to go elsewhere — every state of
        his nationality he did not ask for, as his nationalities stand now."""
        will = self.governing
        if will is None:
            return frozenset()
        derived = frozenset()
        if will.wish in ("named_states", "third_country"):
            derived = self.nationalities - set(will.preferred)
        return will.refused | derived

    def blocks(self) -> dict[str, tuple[Block, ...]]:
        """Every state no route may touch, with the records behind each block."""
        found: dict[str, list[Block]] = {}
        will_id = self.governing.id if self.governing else None
        for country in sorted(self.refused()):
            found.setdefault(country, []).append(Block("refused", will_expression_id=will_id))
        for country, facts in sorted(self.assessments.items()):
            if facts.persecution_risk == "high":
                found.setdefault(country, []).append(Block("high_risk", assessment_id=facts.id))
            if facts.onward_transfer_risk == "high":
                found.setdefault(country, []).append(Block("onward_risk", assessment_id=facts.id))
        for country, blocks in sorted(self.inherited.items()):
            for block in blocks:
                if all(b.rule != block.rule for b in found.get(country, [])):
                    found.setdefault(country, []).append(block)
        return {country: tuple(blocks) for country, blocks in found.items()}

    def asks_for(self, country: str) -> bool:
        """His verified will asks to go to `country`: home, or a state he named."""
        will = self.governing
        if will is None:
            return False
        if will.wish == "return_to_origin":
            return country in self.nationalities
        return will.wish == "named_states" and country in will.preferred

    def onward_reach(self, country: str) -> set[str]:
        """Every state `country` might send him on to, followed through their own assessed
        onward destinations to a fixpoint."""
        reached: set[str] = set()
        frontier = [country]
        while frontier:
            assessment = self.assessments.get(frontier.pop())
            for onward in sorted(assessment.onward_destinations if assessment else ()):
                if onward not in reached and onward != country:
                    reached.add(onward)
                    frontier.append(onward)
        return reached


@dataclass(frozen=True)
class Movement:
    """A route in travel order; `handed_to` is the other party of an exchange."""

    kind: str
    destination: str
    transit: tuple[str, ...] = ()
    handed_to: str | None = None

    @property
    def route(self) -> tuple[str, ...]:
        return (*self.transit, self.destination)


def exchange_movement(facts: GuardFacts, other_party: str, transit: Iterable[str]) -> Movement:
    """An exchange entry of ours as the movement it is. Handed to a state not his own, he is
    handed on to his origin: the route is his origin via the agreement's transit states and the
    other party's state."""
    transit = tuple(transit)
    if other_party in facts.nationalities or not facts.nationalities:
        return Movement(EXCHANGE, other_party, transit, handed_to=other_party)
    origin = sorted(facts.nationalities)[0]
    return Movement(EXCHANGE, origin, (*transit, other_party), handed_to=other_party)


@dataclass(frozen=True)
class Violation:
    rule: str
    country: str | None = None
    as_transit: bool = False
    will_expression_id: int | None = None
    assessment_id: int | None = None
    via: str | None = None  # onward_blocked: the blocked state it might send him on to
    survivor: str | None = None  # merged: the record he is now

    def text(self, *, will_details: bool = True) -> str:
        """The reason in words. Without the will's details, a refusal does not name the state
        (docs/guard.md#what-a-refusal-says)."""
        if not will_details and self.rule in WILL_RULES:
            return _("A state on this route is blocked for him (his will or an assessment).")
        return _TEXTS[self.rule](self)

    def __str__(self) -> str:
        return self.text()


def _at(v: Violation, transit: str, destination: str) -> str:
    return (transit if v.as_transit else destination) % {"country": v.country}


def _record(v: Violation) -> str:
    if v.assessment_id is not None:
        return _("(risk assessment #%(id)s)") % {"id": v.assessment_id}
    return _("(will expression #%(id)s)") % {"id": v.will_expression_id}


_TEXTS = {
    "merged": lambda v: (
        _(
            "This record was merged into %(survivor)s: act on %(survivor)s, whose facts the guard "
            "reads."
        )
        % {"survivor": v.survivor}
    ),
    "not_held": lambda v: _("He is no longer held: no movement can be made."),
    "not_notified": lambda v: _(
        "His capture is not yet notified to the Central Agency: notify it first."
    ),
    "no_verified_will": lambda v: _(
        "No verified will is on record. A neutral verifier must interview him in private first."
    ),
    "undecided": lambda v: (
        _(
            "His latest verified will (record #%(id)s) is undecided. Record a new verified "
            "interview before any transfer."
        )
        % {"id": v.will_expression_id}
    ),
    "later_statement": lambda v: (
        _(
            "A later statement contradicts his verified will (record #%(id)s): every movement "
            "waits for a new private interview by a neutral verifier."
        )
        % {"id": v.will_expression_id}
    ),
    "origin_unknown": lambda v: _(
        "His nationality is not recorded, so his origin is unknown: no repatriation or exchange "
        "until the registry records it."
    ),
    "not_origin": lambda v: (
        _(
            "%(country)s is not a state of his nationality: a repatriation goes home. Take a "
            "decision for a transfer instead."
        )
        % {"country": v.country}
    ),
    "not_his_wish": lambda v: (
        _(
            "His verified will asks neither to return to %(country)s as his own state nor to go "
            "there: an exchange would take him where he did not ask to go. His case goes through a "
            "decision and a transfer."
        )
        % {"country": v.country}
    ),
    "refused": lambda v: (
        _at(
            v,
            _("Transit state %(country)s is refused in his latest verified will"),
            _("%(country)s is refused in his latest verified will"),
        )
        + " "
        + _record(v)
        + "."
    ),
    "high_risk": lambda v: (
        _at(
            v,
            _("Transit state %(country)s is assessed high-risk for him"),
            _("%(country)s is assessed high-risk for him"),
        )
        + " "
        + _record(v)
        + "."
    ),
    "onward_risk": lambda v: (
        _at(
            v,
            _(
                "Transit state %(country)s has a high risk of sending him on to a refused or "
                "high-risk state"
            ),
            _("%(country)s has a high risk of sending him on to a refused or high-risk state"),
        )
        + " "
        + _record(v)
        + "."
    ),
    "not_assessed": lambda v: (
        _at(
            v,
            _("Transit state %(country)s has not been assessed for him"),
            _("%(country)s has not been assessed for him"),
        )
        + ": "
        + _("a legal officer must assess it before any route touches it.")
    ),
    "risk_unknown": lambda v: (
        _at(
            v,
            _("The risks of transit state %(country)s are not known"),
            _("The risks of %(country)s are not known"),
        )
        + " "
        + _record(v)
        + ": "
        + _("both risks must be assessed as none or low.")
    ),
    "onward_blocked": lambda v: (
        _("%(country)s might send him on to %(via)s, which is blocked for him %(record)s.")
        % {"country": v.country, "via": v.via, "record": _record(v)}
    ),
    "onward_blocked_by_will": lambda v: (
        _("%(country)s might send him on to %(via)s, which his latest verified will refuses.")
        % {"country": v.country, "via": v.via}
    ),
    "refused_by_database": lambda v: _(
        "The database refused the route: a state on it is not cleared for him by his verified "
        "will and the risk assessments."
    ),
}


class NonRefoulementViolation(ReasonedRefusal):
    """The route is forbidden. `violations` names each rule and the record behind it; `lines`
    says them in words as the reader may read them."""

    problem_slug = "non-refoulement"

    def __init__(self, violations: list[Violation], *, will_details: bool = True):
        self.violations = violations
        self.will_details = will_details
        super().__init__(
            _("Non-refoulement guard: this route is forbidden. %(reasons)s")
            % {"reasons": "; ".join(self.lines)}
        )

    @property
    def lines(self) -> list[str]:
        lines: list[str] = []
        for violation in self.violations:
            line = violation.text(will_details=self.will_details)
            if line not in lines:
                lines.append(line)
        return lines

    def problem_members(self) -> dict:
        """The API problem's members: each rule broken once, as the reader may read it."""
        violations: list[dict] = []
        for violation in self.violations:
            if (one := _violation_member(violation, self.will_details)) not in violations:
                violations.append(one)
        return {"rules": sorted({v["rule"] for v in violations}), "violations": violations}


def _violation_member(v: Violation, will_details: bool) -> dict:
    """One rule broken; for a reader without the will's details, a rule of the will is only
    "blocked", naming no state (docs/guard.md#what-a-refusal-says)."""
    if not will_details and v.rule in WILL_RULES:
        return {"rule": "blocked", "country": None, "as_transit": None,
                "will_expression": None, "assessment": None,
                "detail": v.text(will_details=False)}  # fmt: skip
    return {
        "rule": v.rule,
        "country": v.country,
        "as_transit": v.as_transit,
        "will_expression": v.will_expression_id,
        "assessment": v.assessment_id,
        "detail": v.text(),
    }


# Live movements kept by other apps (an exchange entry on a live batch): each source calls off
# those of a person that his facts no longer allow, `(person, facts, actor, reason) -> None`.
# `cases.services.guard_refresh` runs them all; an app registers its source when it loads.
MOVEMENT_SOURCES: list[Callable[..., None]] = []


def movement_source(call_off: Callable[..., None]) -> Callable[..., None]:
    if call_off not in MOVEMENT_SOURCES:
        MOVEMENT_SOURCES.append(call_off)
    return call_off


# --- the rule ---------------------------------------------------------------------------------


def _person_violations(facts: GuardFacts) -> list[Violation]:
    """What forbids any movement of him, wherever it goes."""
    if facts.merged_into is not None:
        return [Violation("merged", survivor=facts.merged_into)]
    if facts.case_state in NOT_HELD:
        return [Violation("not_held")]
    if facts.governing is None:
        return [Violation("no_verified_will")]
    violations = []
    if facts.case_state in NOT_NOTIFIED:
        violations.append(Violation("not_notified"))
    if (undecided := facts.undecided_will_id) is not None:
        violations.append(Violation("undecided", will_expression_id=undecided))
    return violations


def _contradicts(facts: GuardFacts, statement: WillFacts, movement: Movement) -> bool:
    """A later statement refuses a state on the route, or asks for another destination."""
    if statement.refused & set(movement.route):
        return True
    destination = movement.destination
    if statement.wish == "named_states":
        return destination not in statement.preferred
    if statement.wish == "return_to_origin":
        return destination not in facts.nationalities
    if statement.wish == "third_country":
        return destination in facts.nationalities
    return statement.wish == "undecided"


def _origin_violations(facts: GuardFacts, movement: Movement) -> list[Violation]:
    if movement.kind not in (REPATRIATION, EXCHANGE):
        return []
    if not facts.nationalities:
        return [Violation("origin_unknown")]
    if movement.kind == REPATRIATION and movement.destination not in facts.nationalities:
        return [Violation("not_origin", movement.destination)]
    if movement.kind == EXCHANGE and movement.handed_to is not None:
        own = movement.handed_to in facts.nationalities
        will = facts.governing
        home = will is not None and will.wish == "return_to_origin" and own
        named = will is not None and movement.handed_to in will.preferred
        if not (home or named):
            return [Violation("not_his_wish", movement.handed_to)]
    return []


def state_violations(
    facts: GuardFacts, country: str, *, as_transit: bool, blocks=None
) -> list[Violation]:
    """Why `country` is not cleared for him, as a transit state or as the destination."""
    blocks = facts.blocks() if blocks is None else blocks
    found = [
        Violation(b.rule, country, as_transit, b.will_expression_id, b.assessment_id)
        for b in blocks.get(country, ())
    ]
    assessment = facts.assessments.get(country)
    own_choice = not as_transit and country in facts.nationalities and facts.asks_for(country)
    if assessment is None:
        if not own_choice:
            found.append(Violation("not_assessed", country, as_transit))
    elif not assessment.known and not assessment.high:
        found.append(Violation("risk_unknown", country, as_transit, assessment_id=assessment.id))
    refused = facts.refused()
    for onward in sorted(facts.onward_reach(country)):
        if onward in refused:
            found.append(Violation("onward_blocked_by_will", country, as_transit, via=onward))
        elif onward in blocks:
            first = blocks[onward][0]
            found.append(
                Violation("onward_blocked", country, as_transit, first.will_expression_id,
                          first.assessment_id, via=onward)
            )  # fmt: skip
    return found


def evaluate_movement(facts: GuardFacts, movement: Movement) -> list[Violation]:
    """Every reason the movement is forbidden; an empty list means the guard allows it."""
    violations = _person_violations(facts)
    if violations and violations[0].rule in ("merged", "not_held", "no_verified_will"):
        return violations
    violations += [
        Violation("later_statement", will_expression_id=statement.id)
        for statement in facts.later
        if _contradicts(facts, statement, movement)
    ]
    violations += _origin_violations(facts, movement)
    blocks = facts.blocks()
    for country in movement.transit:
        violations += state_violations(facts, country, as_transit=True, blocks=blocks)
    violations += state_violations(facts, movement.destination, as_transit=False, blocks=blocks)
    return violations


@dataclass(frozen=True)
class Clearance:
    """One state cleared for him in one role: what the database lets a route touch."""

    country: str
    role: str  # destination | transit
    basis: str  # assessed | own_choice
    will_expression_id: int
    assessment_id: int | None


def clearances(facts: GuardFacts) -> list[Clearance]:
    """Every (state, role) the rule clears for him, whatever route it is part of.

    The rules that depend on the whole movement (its kind, the exchange's other party, a later
    statement asking for another destination) stay the services'; everything a single state
    decides is here, so the database refuses a route through any state not cleared.
    """
    if _person_violations(facts):
        return []
    blocks = facts.blocks()
    later_refused = set().union(*(s.refused for s in facts.later)) if facts.later else set()
    candidates = set(facts.assessments) | facts.nationalities
    if facts.governing is not None:
        candidates |= set(facts.governing.preferred)
    found = []
    for country in sorted(candidates - later_refused):
        for role in ("transit", "destination"):
            if state_violations(facts, country, as_transit=role == "transit", blocks=blocks):
                continue
            if role == "destination" and any(
                _contradicts(facts, s, Movement(TRANSFER, country)) for s in facts.later
            ):
                continue
            assessment = facts.assessments.get(country)
            found.append(
                Clearance(country, role, "assessed" if assessment else "own_choice",
                          facts.governing.id, assessment.id if assessment else None)
            )  # fmt: skip
    return found


# --- facts from the database ------------------------------------------------------------------


def _will_facts(will) -> WillFacts:
    return WillFacts(
        id=will.id, verified=will.verified, expressed_on=will.expressed_on,
        recorded_at=will.recorded_at, wish=will.wish,
        preferred=tuple(c.code for c in will.destinations_preferred),
        refused=frozenset(c.code for c in will.destinations_refused),
    )  # fmt: skip


def _assessment_facts(assessment) -> AssessmentFacts:
    return AssessmentFacts(
        assessment.id, assessment.persecution_risk, assessment.onward_transfer_risk,
        frozenset(c.code for c in assessment.onward_destinations),
    )  # fmt: skip


def _latest(items, key):
    return max(items, key=key) if items else None


def guard_facts(person) -> GuardFacts:
    """Read once what the rule needs about `person`: his will expressions, current assessments
    and nationalities, joined with those of every record merged into him."""
    from safepassage.cases.models import Case, RiskAssessment, WillExpression
    from safepassage.registry.models import Person

    # As the database has him now, not as the caller read him: a merge or a nationality edit
    # may have committed while the caller waited for the case row.
    rows = list(Person.objects.filter(Q(pk=person.pk) | Q(merged_into_id=person.pk)).order_by("pk"))
    person = next(r for r in rows if r.pk == person.pk)
    records = [person, *(r for r in rows if r.pk != person.pk)]
    ids = [r.pk for r in records]
    merged_at = max((r.merged_at for r in records[1:]), default=None)
    rows = WillExpression.objects.filter(person_id__in=ids, withdrawn_at__isnull=True)
    by_record: dict[int, list] = {pk: [] for pk in ids}
    wills = []
    for row in rows:
        will = _will_facts(row)
        wills.append(will)
        by_record[row.person_id].append(will)
    verified = [w for w in wills if w.verified]
    governing = _latest(verified, key=lambda w: w.order)
    later: tuple[WillFacts, ...] = ()
    if governing is not None:
        after = [w for w in wills if not w.verified and w.order > governing.order]
        later = tuple(sorted(after, key=lambda w: w.order))
    assessments = list(
        RiskAssessment.objects.filter(person_id__in=ids).order_by("assessed_at", "id")
    )
    effective = [a for a in assessments if a.in_effect]
    current: dict[str, AssessmentFacts] = {}
    for assessment in effective:
        current[assessment.country.code] = _assessment_facts(assessment)
    inherited, undecided = _inherited(
        records, by_record, governing, effective, merged_at
    )  # fmt: skip
    state = Case.objects.filter(person_id=person.pk).values_list("state", flat=True).first()
    nationalities = frozenset(c.code for r in records for c in r.nationalities)
    survivor = None
    if person.merged_into_id is not None:
        survivor = (
            Person.objects.filter(pk=person.merged_into_id)
            .values_list("registry_number", flat=True)
            .first()
        )
    return GuardFacts(
        governing=governing, nationalities=nationalities, assessments=current, later=later,
        case_state=state or "registered", merged_into=survivor, inherited=inherited,
        inherited_undecided=undecided,
    )  # fmt: skip


def _inherited(records, by_record, governing, effective, merged_at):
    """The strictest union of merged records: each record's own verified will keeps refusing
    (and its indecision keeps holding) until a verified will recorded after the merge; each
    record's high risk of a state holds until that state is assessed again after the merge."""
    if len(records) == 1:
        return {}, None
    found: dict[str, list] = {}
    undecided = None
    post_merge_will = governing is not None and governing.recorded_at > merged_at
    for record in records:
        own = _latest([w for w in by_record[record.pk] if w.verified], key=lambda w: w.order)
        if own is None or post_merge_will or (governing and own.id == governing.id):
            continue
        for country in sorted(own.refused):
            found.setdefault(country, []).append(Block("refused", will_expression_id=own.id))
        if own.wish == "undecided" and undecided is None:
            undecided = own.id
    reassessed = {a.country.code for a in effective if a.assessed_at > merged_at}
    for record in records:
        latest: dict[str, object] = {}
        for assessment in effective:
            if assessment.person_id == record.pk:
                latest[assessment.country.code] = assessment
        for country, assessment in sorted(latest.items()):
            if country in reassessed:
                continue
            for rule, level in (
                ("high_risk", assessment.persecution_risk),
                ("onward_risk", assessment.onward_transfer_risk),
            ):
                if level == "high":
                    found.setdefault(country, []).append(Block(rule, assessment_id=assessment.id))

    return {c: tuple(b) for c, b in found.items()}, undecided


def will_details_for(reader, person) -> bool:
    """Whether `reader` may read the will's details (and so the states it refuses)."""
    if reader is None:
        return True
    from safepassage.access.policy import Action, can

    return can(reader, Action.WILL_DETAILS, person)


def guard_check(
    *,
    person,
    movement: Movement | None = None,
    destination: str = "",
    transit: Iterable[str] = (),
    kind: str = TRANSFER,
) -> list[Violation]:
    """Every reason the guard refuses `movement` (or a movement of `kind` to `destination`
    through `transit`) for `person`."""
    if movement is None:
        movement = Movement(kind, destination, tuple(transit))
    return evaluate_movement(guard_facts(person), movement)


def guard_ensure(*, person, movement: Movement, reader=None) -> None:
    """Raise `NonRefoulementViolation` unless the movement is allowed; its words are as
    `reader` may read them."""
    violations = guard_check(person=person, movement=movement)
    if violations:
        raise NonRefoulementViolation(violations, will_details=will_details_for(reader, person))


@contextmanager
def database_guard(*, reader=None, person=None) -> Iterator[None]:
    """The database triggers are the last line: their refusal becomes the guard's error."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "non-refoulement" not in str(exc):
            raise
        raise NonRefoulementViolation(
            [Violation("refused_by_database")],
            will_details=will_details_for(reader, person) if person is not None else True,
        ) from exc
