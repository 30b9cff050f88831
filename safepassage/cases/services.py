"""Writes to cases: will expressions, assessments, decisions, acceptances, transfers, steps.

Each service locks the case row (`select_for_update`; SQLite transactions are IMMEDIATE), checks
the policy and the workflow, writes, refreshes the guard's blocks and appends audit events, all
in one transaction. The non-refoulement guard runs when a transfer is scheduled and again when
it is executed; the database triggers refuse what slips past both.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can, require
from safepassage.access.visibility import survivor_for
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.services import MASK, audit_record, created_changes
from safepassage.cases import workflow
from safepassage.cases.guard import (
    MOVEMENT_SOURCES,
    AssessmentFacts,
    Clearance,
    GuardFacts,
    Movement,
    clearances,
    database_guard,
    evaluate_movement,
    guard_check,
    guard_ensure,
    guard_facts,
    state_violations,
    will_details_for,
)
from safepassage.cases.models import (
    INTERVIEW_CIRCUMSTANCES,
    REPATRIATIONS,
    Acceptance,
    Case,
    CaseState,
    CaseTransition,
    Decision,
    DecisionKind,
    Declination,
    GuardClearance,
    Handover,
    InterpreterAffiliation,
    InterviewSetting,
    RiskAssessment,
    RiskLevel,
    StepFacts,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.lib.countries import country_code_of, country_codes
from safepassage.lib.errors import DomainError, NotAllowed
from safepassage.registry.models import Person
from safepassage.workflow.models import Trigger

WILL_FIELDS = (
    "expressed_on", "source", *INTERVIEW_CIRCUMSTANCES, "wish",
    "destinations_preferred", "destinations_refused", "certainty", "statement", "verified",
)  # fmt: skip
ASSESSMENT_FIELDS = (
    "country", "persecution_risk", "onward_transfer_risk", "onward_destinations", "basis",
)  # fmt: skip


def _lock_case(person: Person) -> Case:
    return Case.objects.select_for_update().select_related("person").get(person_id=person.pk)


def _refuse_merged(person: Person) -> None:
    survivor = survivor_for(person, fresh=True)
    if survivor.pk != person.pk:
        raise DomainError(
            _("This record was merged into %(survivor)s: record it there.")
            % {"survivor": survivor.registry_number}
        )


def _audit_transition(actor, case: Case, row) -> None:
    audit_record(
        actor=actor,
        action="case.transition",
        obj=case,
        person=case.person,
        changes={"state": [row.from_state, row.to_state], "reason": [None, row.reason]},
    )


def _step(
    *, case: Case, target: str, actor, reason: str, trigger: Trigger = Trigger.SERVICE
) -> None:
    row = workflow.transition_apply(
        case=case, target=target, actor=actor, reason=reason, trigger=trigger
    )
    _audit_transition(actor, case, row)


def _system_step(*, case: Case, target: str, actor, reason: str) -> bool:
    """Take the system's step to `target` when the table has one from the case's state."""
    if not workflow.system_moves(case, target):
        return False
    _step(case=case, target=target, actor=actor, reason=reason, trigger=Trigger.SYSTEM)
    return True


def _cancel_scheduled_transfers(*, person: Person, actor, reason: str) -> list[Transfer]:
    cancelled = list(Transfer.objects.select_for_update().filter(person=person, status="scheduled"))
    for transfer in cancelled:
        transfer.status = TransferStatus.CANCELLED
        transfer.cancelled_reason = reason
        transfer.save(update_fields=["status", "cancelled_reason"])
        audit_record(
            actor=actor,
            action="transfer.cancel",
            obj=transfer,
            person=person,
            changes={"status": ["scheduled", "cancelled"], "reason": [None, reason]},
        )
    return cancelled


def _latest_decision(person: Person) -> Decision | None:
    return person.decisions.order_by("-decided_at", "-id").first()


def _state_before_scheduling(decision: Decision | None) -> str:
    """Where a case returns when its scheduled transfer is called off."""
    if decision is not None and Acceptance.objects.filter(decision=decision).exists():
        return CaseState.ACCEPTED
    return CaseState.DECIDED


# --- will expressions -------------------------------------------------------------------------


def is_verified(
    *,
    organisation,
    source: str,
    setting: str,
    present: str,
    interpreter_affiliation: str = "",
    present_party: bool = False,
) -> bool:
    """GC III Art. 126: only a private interview by a neutral verifier, without witnesses and
    with nobody of a party to the conflict in the room, the interpreter included."""
    return (
        organisation.kind == OrganisationKind.NEUTRAL_VERIFIER
        and source == WillSource.PRIVATE_VERIFICATION_INTERVIEW
        and setting == InterviewSetting.PRIVATE
        and not present.strip()
        and interpreter_affiliation != InterpreterAffiliation.PARTY
        and not present_party
    )


def interview_circumstances_validate(
    *, present: str, present_party: bool, interpreter: str, interpreter_affiliation: str
) -> None:
    """Who was in the room, as an interview records it (a will's, or a visit's without one)."""
    if present_party and not present.strip():
        raise DomainError(_("Name who of a party to the conflict was present."), field="present")
    if interpreter_affiliation not in InterpreterAffiliation.values:
        raise DomainError(
            _("Choose whose the interpreter is from the list."), field="interpreter_affiliation"
        )
    if interpreter_affiliation and not interpreter.strip():
        raise DomainError(
            _("Name the interpreter, or leave his organisation empty when there was none."),
            field="interpreter",
        )


def _validate_will(
    *, person, source, setting, present, interpreter, interpreter_affiliation, wish, preferred,
    refused, certainty, present_party=False,
):  # fmt: skip
    interview_circumstances_validate(
        present=present, present_party=present_party, interpreter=interpreter,
        interpreter_affiliation=interpreter_affiliation,
    )  # fmt: skip
    if not 0 <= certainty <= 100:
        raise DomainError(
            _("Certainty is a percentage: enter a number from 0 to 100."), field="certainty"
        )
    both = sorted(set(preferred) & set(refused))
    if both:
        raise DomainError(
            _("%(codes)s cannot be both preferred and refused; correct one of the lists.")
            % {"codes": ", ".join(both)},
            field="destinations_refused",
        )
    if wish == Wish.NAMED_STATES and not preferred:
        raise DomainError(
            _("Name at least one preferred destination, or choose another wish."),
            field="destinations_preferred",
        )
    origin = country_codes(person.nationalities)
    if wish == Wish.RETURN_TO_ORIGIN and set(origin) & set(refused):
        raise DomainError(
            _("He cannot both wish to return and refuse his country of origin; check the lists."),
            field="destinations_refused",
        )
    if setting == InterviewSetting.PRIVATE and present.strip():
        raise DomainError(
            _("A private interview has no one else present; choose “Others present” instead."),
            field="present",
        )
    if source == WillSource.PRIVATE_VERIFICATION_INTERVIEW and setting != InterviewSetting.PRIVATE:
        raise DomainError(
            _("A private verification interview is held without witnesses."), field="setting"
        )


def will_expression_record(
    *,
    actor,
    person: Person,
    expressed_on: datetime.date,
    source: str,
    setting: str,
    wish: str,
    certainty: int,
    destinations_preferred: Iterable = (),
    destinations_refused: Iterable = (),
    statement: str = "",
    present: str = "",
    interpreter: str = "",
    interpreter_affiliation: str = "",
    present_party: bool = False,
    language: str = "",
) -> WillExpression:
    """Record what he said he wants. A wish to go elsewhere refuses his country of origin.
    With a party's interpreter it is recorded, never verified.

    A verified expression becomes the governing will: the case moves to (or back to) "will
    verified", any scheduled transfer is cancelled, and the guard's blocks are rebuilt.
    """
    require(actor, Action.WILL_RECORD, person)
    _refuse_merged(person)
    preferred = country_codes(destinations_preferred)
    refused = country_codes(destinations_refused)
    if wish in (Wish.NAMED_STATES, Wish.THIRD_COUNTRY):
        refused += [c for c in country_codes(person.nationalities) if c not in preferred + refused]
    _validate_will(
        person=person, source=source, setting=setting, present=present, interpreter=interpreter,
        interpreter_affiliation=interpreter_affiliation, wish=wish, preferred=preferred,
        refused=refused, certainty=certainty, present_party=present_party,
    )  # fmt: skip
    if expressed_on > timezone.localdate():
        raise DomainError(
            _("The date expressed is in the future; enter the interview date."),
            field="expressed_on",
        )
    verified = is_verified(
        organisation=actor.organisation, source=source, setting=setting, present=present,
        interpreter_affiliation=interpreter_affiliation, present_party=present_party,
    )  # fmt: skip
    with transaction.atomic():
        case = _lock_case(person)
        will = WillExpression.objects.create(
            person=person, recorded_by=actor, organisation=actor.organisation,
            expressed_on=expressed_on, source=source, setting=setting, present=present.strip(),
            interpreter=interpreter.strip(), interpreter_affiliation=interpreter_affiliation,
            present_party=present_party, language=language.strip(), wish=wish,
            destinations_preferred=preferred, destinations_refused=refused,
            certainty=certainty, statement=statement, verified=verified,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="will.record",
            obj=will,
            person=person,
            changes=created_changes(will, WILL_FIELDS, WillExpression.SENSITIVE_FIELDS),
        )
        if not _wills_changed(case, actor, _("New verified will recorded.")):
            _system_step(case=case, target=CaseState.WILL_RECORDED, actor=actor,
                         reason=_("Will expression recorded."))  # fmt: skip
        guard_refresh(person=person, actor=actor, reason=_("A new statement of his will."))
    return will


def _wills_changed(case: Case, actor, reason: str) -> bool:
    """Make the latest verified will (by when he said it, across his merged records) govern;
    True when that changed the governing will."""
    governing = guard_facts(case.person).governing
    governing_id = governing.id if governing else None
    if governing_id == case.governing_will_id:
        return False
    case.governing_will_id = governing_id
    case.save(update_fields=["governing_will"])
    _governing_will_changed(case, actor, reason)
    return True


def _governing_will_changed(case: Case, actor, reason: str) -> None:
    """Reopen the case where the change invalidates later steps (the caller then refreshes
    the guard)."""
    _cancel_scheduled_transfers(person=case.person, actor=actor, reason=reason)
    if case.governing_will_id is None:
        target = CaseState.AWAITING_INTERVIEW
    else:
        target = CaseState.WILL_VERIFIED
    _system_step(case=case, target=target, actor=actor, reason=reason)


def will_expression_withdraw(*, actor, will: WillExpression, reason: str) -> WillExpression:
    """Mark a will expression as recorded in error. It stays in history; it no longer governs."""
    require(actor, Action.WILL_WITHDRAW, will.person)
    if will.organisation_id != actor.organisation_id:
        raise NotAllowed(_("Only the organisation that recorded it may withdraw it."))
    if not reason.strip():
        raise DomainError(_("Give a reason for withdrawing this will expression."))
    with transaction.atomic():
        case = _lock_case(
            survivor_for(will.person, fresh=True)
        )  # his will governs the survivor of a merge
        will = WillExpression.objects.select_for_update().get(pk=will.pk)
        if will.is_withdrawn:
            raise DomainError(_("This will expression is already withdrawn."))
        will.withdrawn_at = timezone.now()
        will.withdrawn_reason = reason.strip()
        will.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(
            actor=actor, action="will.withdraw", obj=will, person=will.person,
            changes={"withdrawn": [False, True], "reason": [MASK, MASK]},
        )  # fmt: skip
        reason = _("The governing will expression was withdrawn.")
        _wills_changed(case, actor, reason)
        guard_refresh(person=case.person, actor=actor, reason=reason)
    return will


# --- risk assessments -------------------------------------------------------------------------


def risk_assessment_record(
    *,
    actor,
    person: Person,
    country: str,
    persecution_risk: str,
    onward_transfer_risk: str,
    basis: str,
    onward_destinations: Iterable = (),
) -> RiskAssessment:
    """Assess one state for him, as a destination and as a transit state.

    When it forbids a scheduled transfer or the decided destination, the transfer is cancelled
    and the case goes back to legal assessment.
    """
    require(actor, Action.ASSESS, person)
    _refuse_merged(person)
    if not basis.strip():
        raise DomainError(
            _("State the basis of the assessment (sources, facts, reasoning)."), field="basis"
        )
    for level in (persecution_risk, onward_transfer_risk):
        if level not in RiskLevel.values:
            raise DomainError(_("Unknown risk level %(level)s.") % {"level": level})
    country = country_code_of(country)
    if not country:
        raise DomainError(_("Choose the state assessed."), field="country")
    with transaction.atomic():
        case = _lock_case(person)
        # Four eyes: a reassessment that would clear what an earlier finding leaves uncleared
        # (a high or unknown risk, a dropped onward destination — on his record or on one
        # merged into him) waits for a second organisation's concurrence.
        facts = guard_facts(person)
        found_high = any(
            b.rule in ("high_risk", "onward_risk") for b in facts.blocks().get(country, ())
        )
        new = AssessmentFacts(
            0, persecution_risk, onward_transfer_risk, frozenset(country_codes(onward_destinations))
        )
        lowers = (found_high or country in facts.assessments) and _opens(facts, country, new)
        assessment = RiskAssessment.objects.create(
            person=person, country=country, persecution_risk=persecution_risk,
            onward_transfer_risk=onward_transfer_risk,
            onward_destinations=country_codes(onward_destinations), basis=basis.strip(),
            assessed_by=actor, organisation=actor.organisation, concurrence_required=lowers,
        )  # fmt: skip
        audit_record(
            actor=actor, action="assessment.record", obj=assessment, person=person,
            changes=created_changes(
                assessment, (*ASSESSMENT_FIELDS, "concurrence_required"),
                RiskAssessment.SENSITIVE_FIELDS,
            ),
        )  # fmt: skip
        _facts_changed(
            case, actor, _("A new risk assessment forbids the planned destination or route.")
        )
    return assessment


def _opens(facts: GuardFacts, country: str, new: AssessmentFacts) -> bool:
    """Whether assessing `country` as `new` would clear a state, in a role, that the current
    assessments leave uncleared — a lowered risk, or a dropped onward destination that opens
    the states reaching it. Judged with his will as it stands, and again on the assessments'
    grounds alone: a refusal in his will, which a later interview may lift, does not make one
    organisation's lowering of a risk harmless."""
    grounds = dataclasses.replace(
        facts,
        governing=None,
        later=(),
        inherited={
            c: tuple(b for b in blocks if b.rule != "refused")
            for c, blocks in facts.inherited.items()
        },
    )
    return _opens_for(facts, country, new) or _opens_for(grounds, country, new)


def _opens_for(facts: GuardFacts, country: str, new: AssessmentFacts) -> bool:
    # A new assessment of the state also lifts what merged records found there.
    after = dataclasses.replace(
        facts,
        assessments={**facts.assessments, country: new},
        inherited={c: blocks for c, blocks in facts.inherited.items() if c != country},
    )
    states = set(facts.assessments) | {country}
    return any(
        state_violations(facts, c, as_transit=t) and not state_violations(after, c, as_transit=t)
        for c in sorted(states)
        for t in (True, False)
    )


def _facts_changed(case: Case, actor, reason: str) -> None:
    """Reopen the legal assessment when the decided destination is no longer allowed; call
    off a live movement the guard no longer allows; rebuild the clearances."""
    person = case.person
    decision = _latest_decision(person)
    reopen = decision is not None and workflow.system_moves(case, CaseState.LEGAL_ASSESSMENT)
    if reopen and guard_check(person=person, movement=decision_movement(decision)):
        _cancel_scheduled_transfers(person=person, actor=actor, reason=reason)
        _system_step(case=case, target=CaseState.LEGAL_ASSESSMENT, actor=actor, reason=reason)
    guard_refresh(person=person, actor=actor, reason=reason)


def risk_assessment_concur(*, actor, assessment: RiskAssessment, reason: str) -> RiskAssessment:
    """A second organisation's legal officer concurs with an assessment that lowers a risk an
    earlier one found high: only then does it take effect (four eyes to open a route)."""
    from safepassage.accounts.models import OrganisationKind as Org

    person = assessment.person
    require(actor, Action.ASSESS, person)
    if not reason.strip():
        raise DomainError(_("Give the reason you concur."), field="reason")
    with transaction.atomic():
        case = _lock_case(survivor_for(person, fresh=True))
        assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        if not assessment.awaits_concurrence:
            raise DomainError(_("This assessment does not wait for a concurrence."))
        if actor.organisation_id == assessment.organisation_id or (
            actor.organisation.kind == assessment.organisation.kind
        ):
            other = (
                _("a legal NGO")
                if assessment.organisation.kind == Org.NEUTRAL_VERIFIER
                else _("the neutral verifier")
            )
            raise NotAllowed(
                _("A legal officer of %(other)s must concur, not the organisation that "
                  "assessed.") % {"other": other}
            )  # fmt: skip
        newer = RiskAssessment.objects.filter(
            person=person, country=assessment.country, assessed_at__gt=assessment.assessed_at
        ).exists()
        if newer:
            raise DomainError(
                _("A newer assessment of %(code)s exists; concur with that one, if any.")
                % {"code": assessment.country.code}
            )
        assessment.concurred_by = actor
        assessment.concurring_organisation = actor.organisation
        assessment.concurred_at = timezone.now()
        assessment.save(update_fields=["concurred_by", "concurring_organisation", "concurred_at"])
        audit_record(
            actor=actor, action="assessment.concur", obj=assessment, person=person,
            changes={"concurred": [False, True], "reason": [None, reason.strip()]},
        )  # fmt: skip
        _facts_changed(
            case, actor, _("A new risk assessment forbids the planned destination or route.")
        )
    return assessment


# --- decision and acceptance ------------------------------------------------------------------

# What a decision of a kind needs besides the guard, registered by the app that knows it (the
# medical app for a direct repatriation: a commission's finding and his verified consent):
# `(person) -> str | None`, the refusal in words or None. A kind that needs one and has none
# registered is refused: it fails closed.
DECISION_PRECONDITIONS: dict[str, Callable[[Person], str | None]] = {}
_NEEDS_PRECONDITION = frozenset([DecisionKind.DIRECT_REPATRIATION])


def decision_precondition(kind: str) -> Callable:
    def register(check: Callable[[Person], str | None]) -> Callable[[Person], str | None]:
        DECISION_PRECONDITIONS[kind] = check
        return check

    return register


def decision_take(*, actor, person: Person, kind: str, destination: str, reason: str) -> Decision:
    """Decide where he goes. The destination must be assessed and allowed by the guard."""
    require(actor, Action.DECIDE, person)
    destination = country_code_of(destination)
    if kind not in DecisionKind.values:
        raise DomainError(_("Choose what is decided."))
    if not destination:
        raise DomainError(_("Choose the destination."))
    if kind not in REPATRIATIONS and destination in country_codes(person.nationalities):
        raise DomainError(
            _("%(code)s is his country of origin: that is a repatriation.") % {"code": destination}
        )
    with transaction.atomic():
        case = _lock_case(person)
        if kind in _NEEDS_PRECONDITION:
            check = DECISION_PRECONDITIONS.get(kind)
            refusal = _("Nothing says who may be decided so.") if check is None else check(person)
            if refusal:
                raise DomainError(refusal, field="kind")
        movement = Movement(_movement_kind(kind), destination)
        guard_ensure(person=person, movement=movement, reader=actor)
        decision = Decision.objects.create(
            person=person, kind=kind, destination=destination, reason=reason.strip(),
            decided_by=actor, organisation=actor.organisation,
        )  # fmt: skip
        audit_record(
            actor=actor, action="decision.take", obj=decision, person=person,
            changes=created_changes(decision, ("kind", "destination", "reason")),
        )  # fmt: skip
        _step(case=case, target=CaseState.DECIDED, actor=actor, reason=reason)
    return decision


def acceptance_record(*, actor, person: Person, reference: str = "") -> Acceptance:
    """The receiving state named in the decision accepts him."""
    require(actor, Action.ACCEPT, person)
    with transaction.atomic():
        case = _lock_case(person)
        decision = _latest_decision(person)
        if decision is None or case.state != CaseState.DECIDED:
            raise DomainError(_("There is no decision awaiting acceptance."))
        if decision.destination.code != actor.organisation.country.code:
            raise NotAllowed(_("Only the state named in the decision can accept him."))
        acceptance = Acceptance.objects.create(
            decision=decision, organisation=actor.organisation, accepted_by=actor,
            reference=reference.strip(),
        )  # fmt: skip
        audit_record(
            actor=actor, action="acceptance.record", obj=acceptance, person=person,
            changes=created_changes(acceptance, ("reference",)),
        )  # fmt: skip
        _step(case=case, target=CaseState.ACCEPTED, actor=actor,
              reason=_("Accepted by %(org)s.") % {"org": actor.organisation.name})  # fmt: skip
    return acceptance


def _reason_given(reason: str, missing: str) -> str:
    """The typed reason, stripped; `missing` (naming the field) when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(missing, field="reason")
    return reason


def acceptance_decline(*, actor, person: Person, reason: str) -> Declination:
    """The receiving state named in the decision declines him: the case returns to the legal
    assessment, for a decision on another destination."""
    require(actor, Action.DECLINE, person)
    reason = _reason_given(
        reason, _("Give the reason the receiving state declines him: it goes into his history.")
    )
    with transaction.atomic():
        case = _lock_case(person)
        decision = _latest_decision(person)
        if decision is None or case.state != CaseState.DECIDED:
            raise DomainError(_("There is no decision awaiting acceptance."))
        if decision.destination.code != actor.organisation.country.code:
            raise NotAllowed(_("Only the state named in the decision can decline him."))
        declination = Declination.objects.create(
            decision=decision, organisation=actor.organisation, declined_by=actor, reason=reason
        )
        audit_record(
            actor=actor, action="acceptance.decline", obj=declination, person=person,
            changes=created_changes(declination, ("reason",)),
        )  # fmt: skip
        _step(case=case, target=CaseState.LEGAL_ASSESSMENT, actor=actor,
              reason=_("Declined by %(org)s: %(reason)s")
              % {"org": actor.organisation.name, "reason": reason})  # fmt: skip
    return declination


# --- transfers --------------------------------------------------------------------------------


def _movement_kind(decision_kind: str) -> str:
    if decision_kind in REPATRIATIONS:
        return TransferKind.REPATRIATION
    return TransferKind.TRANSFER


def decision_movement(decision: Decision, transit: Iterable[str] = ()) -> Movement:
    return Movement(_movement_kind(decision.kind), decision.destination.code, tuple(transit))


def transfer_movement(transfer: Transfer) -> Movement:
    return Movement(transfer.kind, transfer.destination.code, tuple(transfer.transit_codes))


def _save_guarded(transfer: Transfer, actor, **kwargs) -> None:
    """Save; the database triggers are the last line: their refusal becomes the guard's."""
    clearances_write(transfer.person)
    with database_guard(reader=actor, person=transfer.person):
        transfer.save(**kwargs)


def transfer_schedule(
    *,
    actor,
    person: Person,
    destination: str,
    scheduled_for: datetime.date,
    transit: Iterable = (),
) -> Transfer:
    """Schedule the transfer the decision calls for, through `transit` states in order."""
    require(actor, Action.TRANSFER_SCHEDULE, person)
    destination = country_code_of(destination)
    transit_codes = country_codes(transit)
    if destination in transit_codes:
        raise DomainError(_("The destination cannot also be a transit state."), field="transit")
    if scheduled_for < timezone.localdate():
        raise DomainError(
            _("The transfer date is in the past; choose today or a later date."),
            field="scheduled_for",
        )
    with transaction.atomic():
        case = _lock_case(person)
        decision = _latest_decision(person)
        if decision is None or case.state not in (CaseState.DECIDED, CaseState.ACCEPTED):
            raise DomainError(_("A transfer is scheduled after a decision (and acceptance)."))
        if decision.destination.code != destination:
            raise DomainError(
                _("The decision names %(decided)s; schedule to it, or take a new decision.")
                % {"decided": decision.destination.code}
            )
        if person.exchange_entries.filter(side="ours", status__in=("planned", "agreed")).exists():
            raise DomainError(
                _("He is on a live exchange batch: take him off it before scheduling a transfer.")
            )
        movement = decision_movement(decision, transit_codes)
        guard_ensure(person=person, movement=movement, reader=actor)
        _step(case=case, target=CaseState.TRANSFER_SCHEDULED, actor=actor,
              reason=_("Transfer to %(code)s scheduled for %(date)s.")
              % {"code": destination, "date": scheduled_for})  # fmt: skip
        transfer = Transfer(
            person=person, decision=decision, kind=movement.kind, destination=destination,
            transit=transit_codes, scheduled_for=scheduled_for, scheduled_by=actor,
        )  # fmt: skip
        _save_guarded(transfer, actor)
        audit_record(
            actor=actor, action="transfer.schedule", obj=transfer, person=person,
            changes=created_changes(transfer, ("kind", "destination", "transit", "scheduled_for")),
        )  # fmt: skip
    return transfer


def _earliest_day(person: Person) -> datetime.date:
    """The first day anything can have happened to him in captivity: his capture, or his
    registration when the capture date is not known."""
    return person.capture_date or timezone.localdate(person.created_at)


def _day_check(person: Person, day: datetime.date | None, *, field: str, label: str) -> None:
    if day is None:
        raise DomainError(_("Enter the %(label)s.") % {"label": label}, field=field)
    if day > timezone.localdate():
        raise DomainError(
            _("The %(label)s is in the future: enter the day it happened, today at the latest.")
            % {"label": label},
            field=field,
        )
    earliest = _earliest_day(person)
    if day < earliest:
        raise DomainError(
            _("The %(label)s is before he was captured or registered (%(earliest)s): check it.")
            % {"label": label, "earliest": earliest.isoformat()},
            field=field,
        )


def _confirmation_require(confirmed: bool, what: str) -> None:
    if not confirmed:
        raise DomainError(
            _("%(what)s cannot be undone by another step: check the facts and confirm.")
            % {"what": what},
            field="confirm",
        )


def transfer_handover_validate(
    *, transfer: Transfer, handed_over_on: datetime.date | None, transport: str,
    early_reason: str = "",
) -> dict:  # fmt: skip
    """The facts of the handover, checked and cleaned (nothing written): a day not in the
    future, not before he was held nor before the transfer was scheduled, never before its
    scheduled date without a stated reason, and the transport."""
    label = _("date of the handover")
    _day_check(transfer.person, handed_over_on, field="handed_over_on", label=label)
    if handed_over_on < timezone.localdate(transfer.scheduled_at):
        raise DomainError(
            _("The date of the handover is before the transfer was scheduled: check it."),
            field="handed_over_on",
        )
    early_reason = early_reason.strip()
    if handed_over_on < transfer.scheduled_for and not early_reason:
        raise DomainError(
            _("The date of the handover is before the scheduled date (%(date)s): state why he "
              "was handed over earlier, or correct the date.")
            % {"date": transfer.scheduled_for.isoformat()},
            field="early_reason",
        )  # fmt: skip
    transport = transport.strip()
    if not transport:
        raise DomainError(
            _("Say how he was taken (e.g. ICRC bus through the crossing at …)."), field="transport"
        )
    return {"handed_over_on": handed_over_on, "transport": transport, "early_reason": early_reason}


def transfer_execute(
    *, actor, transfer: Transfer, handed_over_on: datetime.date | None, transport: str,
    early_reason: str = "", confirmed: bool = False,
) -> Transfer:  # fmt: skip
    """Record that the transfer happened, with the facts of the handover, checking the guard
    again under the row locks. It cannot be taken back: `confirmed` says its reader saw so."""
    person = transfer.person
    require(actor, Action.TRANSFER_EXECUTE, person)
    facts = transfer_handover_validate(
        transfer=transfer, handed_over_on=handed_over_on, transport=transport,
        early_reason=early_reason,
    )  # fmt: skip
    _confirmation_require(confirmed, _("An executed transfer"))
    with transaction.atomic():
        case = _lock_case(person)
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != TransferStatus.SCHEDULED:
            raise DomainError(
                _("This transfer is %(status)s and cannot be executed.")
                % {"status": transfer.get_status_display().lower()}
            )
        guard_ensure(person=person, movement=transfer_movement(transfer), reader=actor)
        transfer.status = TransferStatus.EXECUTED
        transfer.executed_by = actor
        transfer.executed_at = timezone.now()
        _save_guarded(transfer, actor, update_fields=["status", "executed_by", "executed_at"])
        handover = Handover.objects.create(transfer=transfer, **facts)
        audit_record(
            actor=actor, action="transfer.execute", obj=transfer, person=person,
            changes={
                "status": ["scheduled", "executed"],
                **created_changes(handover, ("handed_over_on", "transport", "early_reason")),
            },
        )  # fmt: skip
        reason = _("Transferred to %(code)s on %(date)s.") % {
            "code": transfer.destination.code,
            "date": handover.handed_over_on.isoformat(),
        }
        _step(case=case, target=CaseState.TRANSFERRED, actor=actor, reason=reason)
        # No longer held: no route stays cleared, and nothing else of his stays live.
        guard_refresh(person=person, actor=actor, reason=reason)
    return transfer


def transfer_cancel(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """Call off a scheduled transfer; the case returns to the decision (or the acceptance)."""
    person = transfer.person
    require(actor, Action.TRANSFER_SCHEDULE, person)
    if not reason.strip():
        raise DomainError(_("Give a reason for cancelling the transfer."))
    with transaction.atomic():
        case = _lock_case(person)
        if not Transfer.objects.filter(pk=transfer.pk, status="scheduled").exists():
            raise DomainError(_("Only a scheduled transfer can be cancelled."))
        _cancel_scheduled_transfers(person=person, actor=actor, reason=reason.strip())
        _step(case=case, target=_state_before_scheduling(transfer.decision), actor=actor,
              reason=reason)  # fmt: skip
    transfer.refresh_from_db()
    return transfer


def exchange_executed_record(
    *, actor, person: Person, movement: Movement, scheduled_for: datetime.date, reason: str
) -> Transfer:
    """The registry's record of an exchange that happened: an executed movement of kind
    "exchange", asked of the guard like any other, and his case moves to "transferred". The
    caller drops his clearances once the exchange entry itself is recorded as executed."""
    require(actor, Action.TRANSFER_EXECUTE, person)
    case = _lock_case(person)
    guard_ensure(person=person, movement=movement, reader=actor)
    transfer = Transfer(
        person=person, kind=TransferKind.EXCHANGE, destination=movement.destination,
        transit=list(movement.transit), scheduled_for=scheduled_for, scheduled_by=actor,
        status=TransferStatus.EXECUTED, executed_by=actor, executed_at=timezone.now(),
    )  # fmt: skip
    _save_guarded(transfer, actor)
    audit_record(
        actor=actor, action="transfer.execute", obj=transfer, person=person,
        changes=created_changes(transfer, ("kind", "destination", "transit", "status")),
    )  # fmt: skip
    _step(case=case, target=CaseState.TRANSFERRED, actor=actor, reason=reason,
          trigger=Trigger.SYSTEM)  # fmt: skip
    return transfer


# --- the guard's clearances -------------------------------------------------------------------


def clearance_seal(person_id: int, clearance: Clearance) -> str:
    """An HMAC of the row under the deployment's secret key, which the database does not hold:
    a clearance written outside `guard_refresh` does not carry a valid seal."""
    message = "|".join(
        str(part)
        for part in (person_id, clearance.country, clearance.role, clearance.basis,
                     clearance.will_expression_id, clearance.assessment_id or "")
    )  # fmt: skip
    return salted_hmac("safepassage.cases.guard_clearance", message, algorithm="sha256").hexdigest()


def clearance_of(row: GuardClearance) -> Clearance:
    return Clearance(row.country, row.role, row.basis, row.will_expression_id, row.assessment_id)


def _clearances_sync(person: Person, wanted: list[Clearance]) -> None:
    """Insert the new rows before deleting the old ones, so a live movement whose states stay
    cleared never loses its row (the database refuses that delete)."""
    rows = list(GuardClearance.objects.filter(person=person))
    have = {clearance_of(row): row for row in rows}
    GuardClearance.objects.bulk_create(
        GuardClearance(
            person=person,
            country=c.country,
            role=c.role,
            basis=c.basis,
            will_expression_id=c.will_expression_id,
            assessment_id=c.assessment_id,
            seal=clearance_seal(person.pk, c),
        )  # fmt: skip
        for c in wanted
        if c not in have
    )
    keep = set(wanted)
    stale = [row.pk for clearance, row in have.items() if clearance not in keep]
    if stale:
        GuardClearance.objects.filter(pk__in=stale).delete()


def clearances_write(person: Person) -> None:
    """Write his clearances as the rule has them now: every path writes them just before the
    movement row the database checks against them."""
    _clearances_sync(person, clearances(guard_facts(person)))


def _call_off_transfers(case: Case, facts: GuardFacts, actor, reason: str) -> None:
    for transfer in Transfer.objects.select_for_update().filter(
        person=case.person, status=TransferStatus.SCHEDULED
    ):
        violations = evaluate_movement(facts, transfer_movement(transfer))
        if not violations:
            continue
        details = will_details_for(actor, case.person)
        why = "; ".join(dict.fromkeys(v.text(will_details=details) for v in violations))
        _cancel_scheduled_transfers(person=case.person, actor=actor, reason=f"{reason} {why}")
        _system_step(case=case, target=_state_before_scheduling(transfer.decision),
                     actor=actor, reason=reason)  # fmt: skip


def guard_refresh(*, person: Person, actor, reason: str) -> None:
    """Make the guard's derived rows equal what the rule says now.

    Call inside the transaction that changed a fact (a will, an assessment, a concurrence, his
    nationalities, a merge), holding the case row. Every live movement the facts no longer
    allow is called off with the guard's reasons — a scheduled transfer cancelled, an exchange
    entry taken off its batch — then `GuardClearance` is rebuilt.
    """
    case = _lock_case(person)
    facts = guard_facts(person)
    _call_off_transfers(case, facts, actor, reason)
    for call_off in MOVEMENT_SOURCES:
        call_off(person=person, facts=facts, actor=actor, reason=reason)
    _clearances_sync(person, clearances(facts))


def merge_recorded(*, survivor: Person, absorbed: Person, actor, reason: str) -> None:
    """After a merge: the latest verified will of either record governs the survivor, every
    movement the joined facts forbid is called off, and the absorbed record loses every
    clearance (a merged-away record never moves)."""
    case = _lock_case(survivor)
    _lock_case(absorbed)
    why = _("Duplicate records merged: %(reason)s") % {"reason": reason}
    _wills_changed(case, actor, why)
    guard_refresh(person=absorbed, actor=actor, reason=why)
    guard_refresh(person=survivor, actor=actor, reason=why)


def case_open(*, person: Person) -> Case:
    """Open the case of a person just registered (inside `person_register`'s transaction)."""
    return Case.objects.create(person=person, state=CaseState.REGISTERED)


def nationalities_changed(*, person: Person, actor) -> None:
    """His nationalities decide what a wish to go elsewhere refuses and where home is."""
    with transaction.atomic():
        case = _lock_case(survivor_for(person, fresh=True))
        _facts_changed(case, actor, _("His recorded nationalities changed."))


# --- plain steps and assignments --------------------------------------------------------------


# The facts each step that cannot be taken back asks for (a closure: its reason alone).
STEP_FACTS = {
    CaseState.DECEASED: ("occurred_on", "place", "cause", "certified_by"),
    CaseState.RELEASED: ("occurred_on", "place", "circumstances"),
    CaseState.ESCAPED: ("occurred_on", "place", "circumstances"),
    CaseState.CLOSED: (),
}
FACT_FIELDS = ("occurred_on", "place", "cause", "certified_by", "circumstances")


def _fact_labels(target: str) -> dict[str, str]:
    day = {
        CaseState.DECEASED: _("date of death"),
        CaseState.RELEASED: _("date of release"),
        CaseState.ESCAPED: _("date of escape"),
    }.get(target, _("date"))
    place = {
        CaseState.DECEASED: _("place of death"),
        CaseState.RELEASED: _("place of release"),
        CaseState.ESCAPED: _("place of escape"),
    }.get(target, _("place"))
    return {
        "occurred_on": day,
        "place": place,
        "cause": _("cause of death"),
        "certified_by": _("who certified the death"),
        "circumstances": _("circumstances"),
    }


def step_facts_validate(*, person: Person, target: str, **facts) -> dict:
    """The facts of a death, release, escape or closure, checked and cleaned (nothing written):
    each the step asks for present, a date neither in the future nor before he was held, none
    the step does not ask for. Other steps take no facts."""
    wanted = STEP_FACTS.get(target, ())
    unknown = sorted(set(facts) - set(FACT_FIELDS))
    if unknown:
        raise TypeError(f"unknown facts {unknown}")
    labels = _fact_labels(target)
    cleaned: dict = {}
    for name in FACT_FIELDS:
        value = facts.get(name)
        value = value.strip() if isinstance(value, str) else value
        if name not in wanted:
            if value:
                raise DomainError(
                    _("This step does not record the %(label)s: leave it empty.")
                    % {"label": labels[name]},
                    field=name,
                )
            continue
        if name == "occurred_on":
            _day_check(person, value, field=name, label=labels[name])
        elif not value:
            raise DomainError(_("Enter the %(label)s.") % {"label": labels[name]}, field=name)
        cleaned[name] = value
    return cleaned


def case_transition(
    *, actor, person: Person, target: str, reason: str, confirmed: bool = False, **facts
) -> Case:
    """Take a plain workflow step (one without a record of its own), e.g. notification.

    A death (Art. 120), release, escape or closure cannot be undone by another step: it takes
    its facts (`STEP_FACTS`: `occurred_on`, `place`, `cause`, `certified_by`, `circumstances`)
    and `confirmed=True`, and one recorded in error is taken back by `case_correct`."""
    require(actor, Action.PERSON_VIEW, person)
    cleaned = step_facts_validate(person=person, target=target, **facts)
    with transaction.atomic():
        case = _lock_case(person)
        transition = workflow.find_transition(case.state, target)
        if transition is not None and transition.trigger != Trigger.PERSON:
            raise DomainError(_("This step is taken through its own form."))
        if (
            target in workflow.IRREVERSIBLE
            and transition is not None
            and workflow.CASES.permits(actor, transition, case)
        ):
            _confirmation_require(confirmed, transition.label)
        row = workflow.transition_apply(
            case=case, target=target, actor=actor, reason=reason, trigger=Trigger.PERSON
        )
        _audit_transition(actor, case, row)
        if target in workflow.IRREVERSIBLE:
            record = StepFacts.objects.create(transition=row, **cleaned)
            audit_record(
                actor=actor, action="case.step_facts", obj=record, person=person,
                changes=created_changes(record, STEP_FACTS[target]),
            )  # fmt: skip
        # Death, release or escape: no movement will happen; none is left live, and no route
        # stays cleared. Notification: his routes may now be cleared.
        guard_refresh(person=person, actor=actor, reason=reason.strip())
    return case


def case_correct(*, actor, person: Person, reason: str) -> CaseTransition:
    """Take back a death, release, escape or closure recorded in error: the case returns to the
    state before it, by a step of its own that names the step it corrects, who and why. The
    wrong step and its facts stay in the history; nothing is edited."""
    require(actor, Action.CASE_CORRECT, person)
    reason = _reason_given(
        reason, _("Say what was recorded in error and how you know: it goes into his history.")
    )
    with transaction.atomic():
        case = _lock_case(person)
        wrong = workflow.correctable_step(case)
        if wrong is None:
            raise DomainError(
                _("Only a death, release, escape or closure recorded in error can be corrected; "
                  "an executed transfer moved him and cannot be taken back.")
            )  # fmt: skip
        target = wrong.from_state
        if (
            target == CaseState.TRANSFER_SCHEDULED
            and not Transfer.objects.filter(person=person, status=TransferStatus.SCHEDULED).exists()
        ):
            # The step in error called his transfer off: the case waits for a new one.
            target = _state_before_scheduling(_latest_decision(person))
        label = workflow.CASES.label(wrong.to_state)
        row = workflow.transition_apply(
            case=case, target=target, actor=actor, trigger=Trigger.SERVICE,
            reason=_("Correction of “%(step)s” recorded in error: %(reason)s")
            % {"step": label, "reason": reason},
        )  # fmt: skip
        _audit_transition(actor, case, row)
        record = StepFacts.objects.create(transition=row, corrects=wrong)
        audit_record(
            actor=actor, action="case.correct", obj=record, person=person,
            changes={"corrects": [None, wrong.pk], "state": [wrong.to_state, target],
                     "reason": [None, reason]},
        )  # fmt: skip
        # Held again: his routes are worked out anew; none is scheduled by the correction.
        guard_refresh(person=person, actor=actor, reason=row.reason)
    return row


def legal_organisation_assign(*, actor, person: Person, organisation) -> Case:
    """Give a legal / protection NGO access to the case it represents."""
    require(actor, Action.LEGAL_ASSIGN, person)
    if organisation is not None and organisation.kind != OrganisationKind.LEGAL_NGO:
        raise DomainError(_("Only a legal / protection NGO can represent a case."))
    with transaction.atomic():
        case = _lock_case(person)
        old = case.legal_organisation_id
        case.legal_organisation = organisation
        case.save(update_fields=["legal_organisation"])
        audit_record(
            actor=actor, action="case.legal_assign", obj=case, person=person,
            changes={"legal_organisation": [old, organisation.pk if organisation else None]},
        )  # fmt: skip
    return case


def statement_for(actor, will: WillExpression) -> str:
    """The statement text, or a mask for those without need-to-know."""
    return will.statement if can(actor, Action.WILL_STATEMENT, will.person) else MASK
