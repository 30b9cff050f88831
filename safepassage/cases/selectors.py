"""Reads from cases: one person's history as a single timeline, masked to the reader's need to know.

The timeline hands templates plain views, never the will expression or assessment rows, so a
template cannot print a statement or a basis its reader may not see.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from safepassage.access.policy import Action, can
from safepassage.access.visibility import persons_visible_to
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.cases import workflow
from safepassage.cases.models import (
    Acceptance,
    Case,
    CaseState,
    CaseTransition,
    Decision,
    DecisionKind,
    Declination,
    RiskAssessment,
    Transfer,
    TransferStatus,
    WillExpression,
    Wish,
)
from safepassage.registry.models import Person


class Outcome:
    """What a reader without need-to-know learns of a will expression."""

    REFUSES = _("Refuses repatriation")
    RETURNS = _("Wishes to return")
    UNDECIDED = _("Undecided")


OUTCOME_LABELS = {
    "refuses_repatriation": Outcome.REFUSES,
    "wishes_to_return": Outcome.RETURNS,
    "undecided": Outcome.UNDECIDED,
}


def will_outcome_code(will: WillExpression, origin: set[str]) -> str:
    """`refuses_repatriation`, `wishes_to_return` or `undecided`: no destinations or words."""
    refused = {c.code for c in will.destinations_refused}
    if will.wish in (Wish.NAMED_STATES, Wish.THIRD_COUNTRY) or refused & origin:
        return "refuses_repatriation"
    if will.wish == Wish.RETURN_TO_ORIGIN:
        return "wishes_to_return"
    return "undecided"


def will_outcome(will: WillExpression, origin: set[str]) -> str:
    """Refusal, return or undecided: no destinations, certainty or words."""
    return OUTCOME_LABELS[will_outcome_code(will, origin)]


@dataclass(frozen=True)
class NeedToKnow:
    """What `actor` may read of one person's case records, decided by the policy."""

    will_details: bool
    will_interview: bool
    will_statement: bool
    assessment_basis: bool
    may_withdraw: bool

    @classmethod
    def of(cls, actor, person: Person) -> "NeedToKnow":
        return cls(
            will_details=can(actor, Action.WILL_DETAILS, person),
            will_interview=can(actor, Action.WILL_INTERVIEW, person),
            will_statement=can(actor, Action.WILL_STATEMENT, person),
            assessment_basis=can(actor, Action.ASSESSMENT_BASIS, person),
            may_withdraw=can(actor, Action.WILL_WITHDRAW, person),
        )


def sensitive_reads_of(
    ntk: NeedToKnow, *, wills: Iterable[WillExpression] = (), assessments=()
) -> list[SensitiveRead]:
    """What a reader with `ntk` is shown of these records that must be audited (values filled)."""
    reads = []
    for will in wills:
        if ntk.will_statement and will.statement:
            reads.append(SensitiveRead(will, "statement", will.person))
        if ntk.will_interview:
            reads.append(SensitiveRead(will, "interview", will.person))
        if ntk.will_details and will.withdrawn_reason:
            reads.append(SensitiveRead(will, "withdrawn_reason", will.person))
    for assessment in assessments:
        if ntk.assessment_basis and assessment.basis:
            reads.append(SensitiveRead(assessment, "basis", assessment.person))
    return reads


@dataclass(frozen=True)
class WillDetails:
    wish: str
    destinations_preferred: list
    destinations_refused: list
    certainty: int
    setting: str
    present: str
    interpreter: str
    interpreter_affiliation: str  # its label
    language: str
    withdrawn_reason: str
    present_party: bool = False


@dataclass(frozen=True)
class WillView:
    id: int
    expressed_on: datetime.date
    recorded_at: datetime.datetime
    source: str
    organisation: str
    verified: bool
    governing: bool
    outcome: str
    withdrawn_at: datetime.datetime | None
    details: WillDetails | None  # only with Action.WILL_DETAILS
    statement: str | None  # only with Action.WILL_STATEMENT
    can_withdraw: bool


@dataclass(frozen=True)
class AssessmentView:
    id: int
    country: Any
    persecution_level: str  # RiskLevel value, for styling
    persecution_risk: str
    onward_level: str
    onward_transfer_risk: str
    onward_destinations: list
    organisation: str
    basis: str | None  # only with Action.ASSESSMENT_BASIS
    awaits_concurrence: bool = False
    concurred_at: datetime.datetime | None = None
    concurring_organisation: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # will | assessment | decision | acceptance | declination | transfer | transition
    item: Any


def person_timeline(*, actor, person: Person) -> list[TimelineEntry]:
    """Will expressions, assessments, decisions, acceptances, transfers and steps, oldest first."""
    ntk = NeedToKnow.of(actor, person)
    case = case_of(person)
    governing_id = case.governing_will_id if case else None
    origin = {c.code for c in person.nationalities}
    entries: list[TimelineEntry] = []

    wills = list(WillExpression.objects.filter(person=person).select_related("organisation"))
    assessments = list(
        RiskAssessment.objects.filter(person=person).select_related(
            "organisation", "concurring_organisation"
        )
    )
    for record in (*wills, *assessments):
        record.person = person  # the reads name him without another query
    sensitive_reads_record(
        actor=actor, reads=sensitive_reads_of(ntk, wills=wills, assessments=assessments)
    )
    for will in wills:
        details = None
        if ntk.will_details:
            details = WillDetails(
                wish=will.get_wish_display(),
                destinations_preferred=list(will.destinations_preferred),
                destinations_refused=list(will.destinations_refused),
                certainty=will.certainty,
                setting=will.get_setting_display() if ntk.will_interview else "",
                present=will.present if ntk.will_interview else "",
                interpreter=will.interpreter if ntk.will_interview else "",
                interpreter_affiliation=(
                    will.get_interpreter_affiliation_display()
                    if ntk.will_interview and will.interpreter_affiliation
                    else ""
                ),
                language=will.language if ntk.will_interview else "",
                present_party=will.present_party and ntk.will_interview,
                withdrawn_reason=will.withdrawn_reason,
            )
        view = WillView(
            id=will.pk,
            expressed_on=will.expressed_on,
            recorded_at=will.recorded_at,
            source=will.get_source_display(),
            organisation=will.organisation.name,
            verified=will.verified,
            governing=will.pk == governing_id,
            outcome=will_outcome(will, origin),
            withdrawn_at=will.withdrawn_at,
            details=details,
            statement=will.statement if ntk.will_statement else None,
            can_withdraw=(
                ntk.may_withdraw
                and not will.is_withdrawn
                and will.organisation_id == getattr(actor, "organisation_id", None)
            ),
        )
        entries.append(TimelineEntry(will.recorded_at, "will", view))

    for assessment in assessments:
        view = AssessmentView(
            id=assessment.pk,
            country=assessment.country,
            persecution_level=assessment.persecution_risk,
            persecution_risk=assessment.get_persecution_risk_display(),
            onward_level=assessment.onward_transfer_risk,
            onward_transfer_risk=assessment.get_onward_transfer_risk_display(),
            onward_destinations=list(assessment.onward_destinations),
            organisation=assessment.organisation.name,
            basis=assessment.basis if ntk.assessment_basis else None,
            awaits_concurrence=assessment.awaits_concurrence,
            concurred_at=assessment.concurred_at,
            concurring_organisation=getattr(assessment.concurring_organisation, "name", ""),
        )
        entries.append(TimelineEntry(assessment.assessed_at, "assessment", view))

    decisions = Decision.objects.filter(person=person).select_related(
        "organisation", "acceptance__organisation", "declination__organisation"
    )
    for decision in decisions:
        entries.append(TimelineEntry(decision.decided_at, "decision", decision))
        acceptance = getattr(decision, "acceptance", None)
        if acceptance is not None:
            entries.append(TimelineEntry(acceptance.accepted_at, "acceptance", acceptance))
        declination = getattr(decision, "declination", None)
        if declination is not None:
            entries.append(TimelineEntry(declination.declined_at, "declination", declination))

    for transfer in transfers_of(person):
        entries.append(TimelineEntry(transfer.scheduled_at, "transfer", transfer))

    if case is not None:
        transitions = CaseTransition.objects.filter(case=case).select_related(
            "actor", "organisation", "facts", "facts__corrects", "correction__transition"
        )
        for transition in transitions:
            entries.append(TimelineEntry(transition.at, "transition", transition))

    # A record and the step it caused share a transaction: show the record first.
    order = {
        "will": 0, "assessment": 0, "decision": 0, "acceptance": 0, "declination": 0,
        "transfer": 0,
    }  # fmt: skip
    entries.sort(key=lambda e: (e.at, order.get(e.kind, 1)))
    return entries


def case_of(person: Person) -> Case | None:
    """His case, as the person was read (the access package reads it with him); None if he has
    none yet."""
    try:
        return person.case
    except Case.DoesNotExist:
        return None


def transfers_of(person: Person) -> list[Transfer]:
    """His transfers, read once for the response that shows them (the timeline and the steps
    share the list: `CaseSteps.scheduled`). Kept on this instance of him only: a service that
    writes reads its own."""
    cached = getattr(person, "_transfers_read", None)
    if cached is None:
        cached = list(Transfer.objects.filter(person=person).select_related("handover"))
        person._transfers_read = cached
    return cached


def scheduled_transfer(person: Person) -> Transfer | None:
    """The one live transfer, if any (the database allows at most one)."""
    return Transfer.objects.filter(person=person, status=TransferStatus.SCHEDULED).first()


def latest_decision(person: Person) -> Decision | None:
    return Decision.objects.filter(person=person).order_by("-decided_at", "-id").first()


def assessments_latest(person: Person) -> list[RiskAssessment]:
    """The latest assessment of each state assessed for him that is in effect (the one that
    governs: one that waits for a second organisation's concurrence does not), by state."""
    latest: dict[str, RiskAssessment] = {}
    for assessment in RiskAssessment.objects.filter(person=person).order_by("assessed_at", "id"):
        if assessment.in_effect:
            latest[assessment.country.code] = assessment
    return [latest[code] for code in sorted(latest)]


def decision_destinations(person: Person) -> list[tuple[str, str]]:
    """The states a decision may name, as (code, label): each state assessed for him, labelled
    with its governing assessment's outcome, then his own states not assessed (a repatriation
    his verified will asks for goes there). The guard still decides."""
    choices = []
    assessed = set()
    for assessment in assessments_latest(person):
        assessed.add(assessment.country.code)
        label = _("%(state)s — persecution risk: %(persecution)s; onward-transfer risk: %(onward)s")
        choices.append((assessment.country.code, label % {
            "state": assessment.country.name,
            "persecution": assessment.get_persecution_risk_display().lower(),
            "onward": assessment.get_onward_transfer_risk_display().lower(),
        }))  # fmt: skip
    for country in person.nationalities:
        if country.code not in assessed:
            label = _("%(state)s — his country of origin, not assessed") % {"state": country.name}
            choices.append((country.code, label))
    return choices


def decision_initial(*, actor, person: Person, destinations: Iterable[str]) -> dict[str, str]:
    """What the decision form starts on: what his governing (verified) will asks, for a reader
    who may know where he asks to go; nothing otherwise. Never a repatriation he refused."""
    case = Case.objects.filter(person=person).select_related("governing_will").first()
    will = case.governing_will if case else None
    if will is None or not can(actor, Action.WILL_DETAILS, person):
        return {}
    allowed = set(destinations)
    if will.wish == Wish.RETURN_TO_ORIGIN:
        home = [c.code for c in person.nationalities if c.code in allowed]
        return {"kind": DecisionKind.REPATRIATION, "destination": home[0] if home else ""}
    if will.wish in (Wish.NAMED_STATES, Wish.THIRD_COUNTRY):
        preferred = [c.code for c in will.destinations_preferred if c.code in allowed]
        return {"kind": DecisionKind.TRANSFER, "destination": preferred[0] if preferred else ""}
    return {}


# --- reads for the API: one person's records, oldest first ------------------------------------


def will_expressions_of(person: Person):
    return WillExpression.objects.filter(person=person).order_by("recorded_at", "id")


def assessments_of(person: Person):
    return RiskAssessment.objects.filter(person=person).order_by("assessed_at", "id")


def decisions_of(person: Person):
    return (
        Decision.objects.filter(person=person)
        .select_related("acceptance", "declination")
        .order_by("decided_at", "id")
    )


def acceptances_of(person: Person):
    return Acceptance.objects.filter(decision__person=person).order_by("accepted_at", "id")


def declinations_of(person: Person):
    return Declination.objects.filter(decision__person=person).order_by("declined_at", "id")


def transitions_of(person: Person):
    return (
        CaseTransition.objects.filter(case__person=person)
        .select_related("actor", "facts")
        .order_by("at", "id")
    )


def transfer_list(*, actor, filters: Mapping[str, Any] | None = None):
    """Transfers of the persons `actor` may see; filters: `person` (id), `status`."""
    transfers = Transfer.objects.filter(person__in=persons_visible_to(actor))
    filters = filters or {}
    if person := filters.get("person"):
        transfers = transfers.filter(person_id=person)
    if status := filters.get("status"):
        transfers = transfers.filter(status=status)
    return transfers.select_related("person", "handover")


# --- what the pages and the API show: sensitive values read and recorded in one call ---------


@dataclass(frozen=True)
class WillsRead:
    """Will expressions as `actor` may read them: `ntk` masks them (serializers and pages ask it),
    and what it lets him read was recorded as read when they were fetched."""

    wills: list[WillExpression]
    ntk: NeedToKnow
    governing_will_id: int | None

    @property
    def context(self) -> dict[str, Any]:
        return {"ntk": self.ntk, "governing_will_id": self.governing_will_id}


def will_expressions_read(*, actor, person: Person, pk: int | None = None) -> WillsRead:
    """His will expressions, oldest first (with `pk`, that one: 404 when it is not his); the
    statements, interviews and withdrawal reasons `actor` is shown are recorded as read."""
    if pk is None:
        wills = list(will_expressions_of(person).select_related("person"))
    else:
        wills = [get_object_or_404(WillExpression, pk=pk, person=person)]
    case = Case.objects.filter(person=person).first()
    read = WillsRead(wills, NeedToKnow.of(actor, person), case.governing_will_id if case else None)
    sensitive_reads_record(actor=actor, reads=sensitive_reads_of(read.ntk, wills=wills))
    return read


@dataclass(frozen=True)
class AssessmentsRead:
    """Risk assessments as `actor` may read them; the bases he is shown are recorded as read."""

    assessments: list[RiskAssessment]
    ntk: NeedToKnow

    @property
    def context(self) -> dict[str, Any]:
        return {"ntk": self.ntk}


def assessments_read(*, actor, person: Person, pk: int | None = None) -> AssessmentsRead:
    """His risk assessments, oldest first (with `pk`, that one: 404 when it is not his); the
    bases `actor` is shown are recorded as read."""
    assessments = assessments_of(person).select_related("person")
    assessments = list(assessments) if pk is None else [get_object_or_404(assessments, pk=pk)]
    read = AssessmentsRead(assessments, NeedToKnow.of(actor, person))
    sensitive_reads_record(actor=actor, reads=sensitive_reads_of(read.ntk, assessments=assessments))
    return read


class CaseSteps:
    """What `actor` may do next on a person's case, as the workflow and the policy say: the
    pages and the API ask here rather than working it out themselves. Each answer is computed
    when first asked."""

    def __init__(self, actor, person: Person):
        self.actor = actor
        self.person = person

    @cached_property
    def _available(self) -> list[workflow.Transition]:
        """Each step he may take now, a service's included: the policy is asked once, by the
        workflow, per edge, for every answer below."""
        return workflow.available_transitions(self.person.case, self.actor, manual_only=False)

    @cached_property
    def _open(self) -> set[tuple[Action | None, str]]:
        return {(t.action, t.target) for t in self._available}

    @cached_property
    def scheduled(self) -> Transfer | None:
        """The live transfer, from the transfers the page reads anyway (`transfers_of`)."""
        live = (t for t in transfers_of(self.person) if t.status == TransferStatus.SCHEDULED)
        return next(live, None)

    @cached_property
    def plain(self) -> list[workflow.Transition]:
        """The steps without a record of their own that he may take now (the same edges as
        `available_transitions(case, actor)`, in the same order)."""
        return [t for t in self._available if t.trigger == workflow.PERSON]

    def plain_steps_require(self) -> list[workflow.Transition]:
        """`plain`, or 403 when none of his roles ever takes a plain step."""
        if not self.may_take_plain_steps:
            raise PermissionDenied
        return self.plain

    @property
    def may_take_plain_steps(self) -> bool:
        return workflow.may_take_any_step(self.actor)

    @cached_property
    def may_decide(self) -> bool:
        return (Action.DECIDE, CaseState.DECIDED) in self._open

    @cached_property
    def may_accept(self) -> bool:
        return (Action.ACCEPT, CaseState.ACCEPTED) in self._open

    @cached_property
    def may_decline(self) -> bool:
        return (Action.DECLINE, CaseState.LEGAL_ASSESSMENT) in self._open

    @cached_property
    def correctable(self) -> CaseTransition | None:
        """The death, release, escape or closure he may correct as recorded in error."""
        if not can(self.actor, Action.CASE_CORRECT, self.person):
            return None
        return workflow.correctable_step(self.person.case)

    @cached_property
    def may_schedule(self) -> bool:
        return self.scheduled is None and (
            (Action.TRANSFER_SCHEDULE, CaseState.TRANSFER_SCHEDULED) in self._open
        )

    @cached_property
    def may_execute(self) -> bool:
        return self.scheduled is not None and can(self.actor, Action.TRANSFER_EXECUTE, self.person)


def case_steps_for(*, actor, person: Person) -> CaseSteps:
    """The steps `actor` may take on `person`'s case (decide, accept, schedule, execute, the
    plain ones), for the person page, the step form and the API."""
    return CaseSteps(actor, person)


# --- the guard's own check --------------------------------------------------------------------


def guard_problems() -> list[str]:
    """What `safepassage guard verify` reports: clearance rows whose seal is not the refresh's
    (written outside it), persons whose rows differ from what the rule clears now, and live
    movements the rule refuses. Empty when the database agrees with the rule."""
    from safepassage.cases.guard import clearances, evaluate_movement, guard_facts
    from safepassage.cases.models import GuardClearance
    from safepassage.cases.services import clearance_of, clearance_seal, transfer_movement

    problems = []
    rows = list(GuardClearance.objects.order_by("person_id", "country", "role", "pk"))
    for row in rows:
        if row.seal != clearance_seal(row.person_id, clearance_of(row)):
            problems.append(
                _("Clearance #%(id)s (person %(person)s, %(country)s as %(role)s) does not "
                  "carry the guard's seal: it was written outside the guard.")
                % {"id": row.pk, "person": row.person_id, "country": row.country, "role": row.role}
            )  # fmt: skip
    by_person: dict[int, set] = {}
    for row in rows:
        by_person.setdefault(row.person_id, set()).add(clearance_of(row))
    live = Transfer.objects.filter(status=TransferStatus.SCHEDULED).select_related("person")
    persons = {row.person_id for row in rows} | {t.person_id for t in live}
    for person in Person.objects.filter(pk__in=persons).order_by("pk"):
        facts = guard_facts(person)
        if set(clearances(facts)) != by_person.get(person.pk, set()):
            problems.append(
                _("The clearances of %(number)s differ from what the rule clears now: run "
                  "`safepassage guard refresh`.") % {"number": person.registry_number}
            )  # fmt: skip
        for transfer in (t for t in live if t.person_id == person.pk):
            if evaluate_movement(facts, transfer_movement(transfer)):
                problems.append(
                    _("Scheduled transfer #%(id)s of %(number)s is not allowed by the rule.")
                    % {"id": transfer.pk, "number": person.registry_number}
                )
    return problems
