"""Random histories of one person against the non-refoulement guard.

A hypothesis state machine records wills, withdraws them, assesses states, decides, accepts,
schedules, executes and cancels in any order, and pokes the database directly. After every
step an oracle that reads only raw rows (never `cases.guard`) checks the promises: no executed
transfer touched a state blocked at the moment it was executed, no scheduled transfer touches
one now, and `GuardBlock` is exactly what the oracle blocks.
"""

from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.cases import services
from safepassage.cases.models import (
    Case,
    CaseState,
    Decision,
    DecisionKind,
    GuardBlock,
    InterviewSetting,
    RiskAssessment,
    Transfer,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.lib.errors import DomainError
from tests.cases.builders import awaiting_interview
from tests.factories import make_org, make_user, tomorrow

COUNTRIES = ["KP", "KR", "RU", "PL", "BR", "CH"]
LEVELS = ["none", "low", "high", "unknown"]
STATS: Counter = Counter()


class _Rollback(Exception):
    """Raised inside a savepoint to undo a probe that the database let through."""


def _codes(value) -> list[str]:
    if isinstance(value, str):
        return [c for c in value.split(",") if c]
    return [getattr(c, "code", c) for c in value or ()]


@dataclass(frozen=True)
class Oracle:
    """What may not be touched, computed from raw rows as they stood at one moment."""

    will_id: int | None
    undecided: bool
    blocks: frozenset[tuple[str, str, int | None, int | None]]  # country, rule, will, assessment

    @property
    def blocked_states(self) -> set[str]:
        return {country for country, _rule, _will, _assessment in self.blocks}

    def forbids(self, route: list[str]) -> bool:
        return self.will_id is None or self.undecided or bool(self.blocked_states & set(route))


def oracle(person_id: int, at=None) -> Oracle:
    wills = WillExpression.objects.filter(person_id=person_id, verified=True)
    assessments = RiskAssessment.objects.filter(person_id=person_id)
    if at is not None:
        wills = wills.filter(recorded_at__lte=at)
        assessments = assessments.filter(assessed_at__lte=at)
    live = [
        (recorded_at, pk, wish, refused)
        for recorded_at, pk, wish, refused, withdrawn_at in wills.values_list(
            "recorded_at", "pk", "wish", "destinations_refused", "withdrawn_at"
        )
        if withdrawn_at is None or (at is not None and withdrawn_at > at)
    ]
    blocks = set()
    will_id, undecided = None, False
    if live:
        _recorded, will_id, wish, refused = max(live, key=lambda row: (row[0], row[1]))
        undecided = wish == "undecided"
        blocks |= {(code, "refused", will_id, None) for code in _codes(refused)}
    latest = {}
    for row in sorted(
        assessments.values_list(
            "assessed_at", "pk", "country", "persecution_risk", "onward_transfer_risk"
        )
    ):
        latest[_codes([row[2]])[0]] = row
    for country, (_at, pk, _country, persecution, onward) in latest.items():
        if persecution == "high":
            blocks.add((country, "high_risk", None, pk))
        if onward == "high":
            blocks.add((country, "onward_risk", None, pk))
    return Oracle(will_id, undecided, frozenset(blocks))


def route_of(destination, transit) -> list[str]:
    return [*_codes(transit), *_codes([destination])]


class GuardMachine(RuleBasedStateMachine):
    def __init__(self, people, receivers):
        super().__init__()
        self.people = people
        self.receivers = receivers
        # Each history runs in a savepoint rolled back in teardown: a fresh world per example.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.person = awaiting_interview(people)
        self.person_id = self.person.pk

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers -----------------------------------------------------------------------------

    def attempt(self, name, write):
        """Run a service call; the domain refusing it is a legitimate outcome."""
        try:
            write()
        except (DomainError, PermissionDenied) as refusal:
            STATS[f"{name}: refused ({type(refusal).__name__})"] += 1
            return False
        STATS[f"{name}: done"] += 1
        return True

    def scheduled_transfer(self):
        return Transfer.objects.filter(person_id=self.person_id, status="scheduled").first()

    def latest_decision(self):
        return (
            Decision.objects.filter(person_id=self.person_id).order_by("-decided_at", "-id").first()
        )

    def probe(self, write) -> str:
        """Try a raw write in a savepoint, always undone: 'guard', 'other' or 'allowed'."""
        try:
            with transaction.atomic():
                write()
                raise _Rollback
        except _Rollback:
            return "allowed"
        except IntegrityError as error:
            return "guard" if "non-refoulement" in str(error) else "other"

    # --- rules -------------------------------------------------------------------------------

    @rule(
        verified=st.booleans(),
        wish=st.sampled_from(Wish.values),
        preferred=st.sets(st.sampled_from(COUNTRIES), max_size=2),
        refused=st.sets(st.sampled_from(COUNTRIES), max_size=3),
        certainty=st.integers(0, 100),
        unverified_by_detaining_power=st.booleans(),
    )
    def record_will(
        self, verified, wish, preferred, refused, certainty, unverified_by_detaining_power
    ):
        if verified:
            actor, source, setting = (
                self.people.interviewer,
                WillSource.PRIVATE_VERIFICATION_INTERVIEW,
                InterviewSetting.PRIVATE,
            )
        elif unverified_by_detaining_power:
            actor, source, setting = (
                self.people.detaining_interviewer,
                WillSource.PRIVATE_VERIFICATION_INTERVIEW,
                InterviewSetting.PRIVATE,
            )
        else:
            actor, source, setting = (
                self.people.interviewer,
                WillSource.PRESS_INTERVIEW,
                InterviewSetting.PUBLIC,
            )
        self.attempt(
            "record will" + (" (verified)" if verified else ""),
            lambda: services.will_expression_record(
                actor=actor, person=self.person, expressed_on=timezone.localdate(),
                source=source, setting=setting, wish=wish,
                destinations_preferred=sorted(preferred), destinations_refused=sorted(refused),
                certainty=certainty, statement="Recorded by the state machine.",
            ),
        )  # fmt: skip

    @rule(index=st.integers(0, 20))
    def withdraw_will(self, index):
        wills = list(
            WillExpression.objects.filter(
                person_id=self.person_id,
                organisation=self.people.interviewer.organisation,
                withdrawn_at__isnull=True,
            )
        )
        if not wills:
            return
        will = wills[index % len(wills)]
        self.attempt(
            "withdraw will",
            lambda: services.will_expression_withdraw(
                actor=self.people.interviewer, will=will, reason="Recorded in error."
            ),
        )

    @rule(
        country=st.sampled_from(COUNTRIES),
        persecution=st.sampled_from(LEVELS),
        onward=st.sampled_from(LEVELS),
    )
    def assess(self, country, persecution, onward):
        self.attempt(
            f"assess ({'high' if 'high' in (persecution, onward) else 'not high'})",
            lambda: services.risk_assessment_record(
                actor=self.people.verifier_legal, person=self.person, country=country,
                persecution_risk=persecution, onward_transfer_risk=onward,
                basis="Generated assessment.",
            ),
        )  # fmt: skip

    @rule(
        step_to=st.sampled_from(
            [
                CaseState.LEGAL_ASSESSMENT,
                CaseState.LEGAL_ASSESSMENT,
                CaseState.WILL_VERIFIED,
                CaseState.WILL_RECORDED,
                CaseState.ESCAPED,
            ]
        )
    )
    def plain_step(self, step_to):
        target = step_to
        actor = {
            CaseState.LEGAL_ASSESSMENT: self.people.verifier_legal,
            CaseState.WILL_VERIFIED: self.people.interviewer,
            CaseState.WILL_RECORDED: self.people.interviewer,
            CaseState.ESCAPED: self.people.registrar,
        }[target]
        self.attempt(
            f"step to {target}",
            lambda: services.case_transition(
                actor=actor, person=self.person, target=target, reason="Generated step."
            ),
        )

    def state(self) -> str:
        return Case.objects.filter(person_id=self.person_id).values_list("state", flat=True).get()

    @precondition(lambda self: self.state() == CaseState.LEGAL_ASSESSMENT)
    @rule(destination=st.sampled_from(COUNTRIES))
    def decide(self, destination):
        kind = DecisionKind.REPATRIATION if destination == "KP" else DecisionKind.TRANSFER
        self.attempt(
            "decide",
            lambda: services.decision_take(
                actor=self.people.decision_maker, person=self.person, kind=kind,
                destination=destination, reason="Generated decision.",
            ),
        )  # fmt: skip

    @precondition(lambda self: self.state() == CaseState.DECIDED)
    @rule()
    def accept(self):
        officer = self.receivers[self.latest_decision().destination.code]
        self.attempt(
            "accept", lambda: services.acceptance_record(actor=officer, person=self.person)
        )

    @precondition(lambda self: self.state() in (CaseState.DECIDED, CaseState.ACCEPTED))
    @rule(
        to_decided=st.booleans(),
        destination=st.sampled_from(COUNTRIES),
        transit=st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True),
    )
    def schedule(self, to_decided, destination, transit):
        decision = self.latest_decision()
        if to_decided and decision is not None:
            destination = decision.destination.code
        self.attempt(
            "schedule",
            lambda: services.transfer_schedule(
                actor=self.people.planner, person=self.person, destination=destination,
                transit=transit, scheduled_for=tomorrow(),
            ),
        )  # fmt: skip

    @precondition(lambda self: self.scheduled_transfer() is not None)
    @rule()
    def execute(self):
        transfer = self.scheduled_transfer()
        self.attempt(
            "execute",
            lambda: services.transfer_execute(actor=self.people.planner, transfer=transfer),
        )

    @precondition(lambda self: self.scheduled_transfer() is not None)
    @rule()
    def cancel(self):
        transfer = self.scheduled_transfer()
        self.attempt(
            "cancel",
            lambda: services.transfer_cancel(
                actor=self.people.planner, transfer=transfer, reason="Generated cancellation."
            ),
        )

    @rule(data=st.data(), steps=st.integers(1, 6))
    def advance(self, data, steps):
        """Take the next natural steps of the workflow, so histories reach transfers often."""
        for _ in range(steps):
            self.advance_one(data)

    @rule(data=st.data())
    def advance_one(self, data):
        case = Case.objects.select_related("governing_will").get(person_id=self.person_id)
        state = case.state
        if state in (CaseState.AWAITING_INTERVIEW, CaseState.WILL_RECORDED):
            wish = data.draw(
                st.sampled_from(
                    [Wish.NAMED_STATES, Wish.NAMED_STATES, Wish.RETURN_TO_ORIGIN, Wish.UNDECIDED]
                )
            )
            others = [c for c in COUNTRIES if c != "KP"]
            preferred = (
                data.draw(st.sets(st.sampled_from(others), min_size=1, max_size=2))
                if wish == Wish.NAMED_STATES
                else set()
            )
            refused = data.draw(st.sets(st.sampled_from(others), max_size=2)) - preferred
            self.record_will(True, wish, preferred, refused, 80, False)
        elif state == CaseState.WILL_VERIFIED:
            self.plain_step(CaseState.LEGAL_ASSESSMENT)
        elif state == CaseState.LEGAL_ASSESSMENT:
            will = case.governing_will
            candidates = _codes(will.destinations_preferred) if will else []
            if will and will.wish == Wish.RETURN_TO_ORIGIN:
                candidates = ["KP"]
            destination = data.draw(st.sampled_from(candidates or COUNTRIES))
            level = st.sampled_from(["low", "none", "low", "unknown", "high"])
            self.assess(destination, data.draw(level), data.draw(level))
            self.decide(destination)
        elif state == CaseState.DECIDED and self.latest_decision().kind != "repatriation":
            self.accept()
        elif state in (CaseState.DECIDED, CaseState.ACCEPTED):
            transit = data.draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True))
            self.schedule(True, "", transit)
        elif state == CaseState.TRANSFER_SCHEDULED:
            self.execute()

    @rule(
        destination=st.sampled_from(COUNTRIES),
        transit=st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True),
        status=st.sampled_from([TransferStatus.SCHEDULED, TransferStatus.EXECUTED]),
    )
    def insert_transfer_behind_the_services(self, destination, transit, status):
        """The triggers refuse exactly the routes the oracle forbids."""
        if status == TransferStatus.SCHEDULED and self.scheduled_transfer() is not None:
            status = TransferStatus.EXECUTED  # one scheduled transfer per person
        forbidden = oracle(self.person_id).forbids(route_of(destination, transit))
        outcome = self.probe(
            lambda: Transfer.objects.create(
                person_id=self.person_id, kind="exchange", destination=destination,
                transit=transit, scheduled_for=tomorrow(), status=status,
                scheduled_by=self.people.planner,
            )
        )  # fmt: skip
        STATS[f"raw transfer: {outcome}"] += 1
        assert outcome == ("guard" if forbidden else "allowed"), (destination, transit, status)

    @rule(
        country=st.sampled_from(COUNTRIES),
        on_the_route=st.booleans(),
        rule_=st.sampled_from(["high_risk", "onward_risk"]),
    )
    def insert_block_behind_the_services(self, country, on_the_route, rule_):
        """A block is refused exactly when a scheduled transfer crosses it."""
        transfer = self.scheduled_transfer()
        if on_the_route and transfer is not None:
            country = route_of(transfer.destination, transfer.transit)[0]
        if GuardBlock.objects.filter(
            person_id=self.person_id, country=country, rule=rule_
        ).exists():
            return
        crosses = transfer is not None and country in route_of(
            transfer.destination, transfer.transit
        )
        outcome = self.probe(
            lambda: GuardBlock.objects.create(person_id=self.person_id, country=country, rule=rule_)
        )
        STATS[f"raw block: {outcome}"] += 1
        assert outcome == ("guard" if crosses else "allowed"), (country, transfer)

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def the_governing_will_is_the_latest_verified_one(self):
        governing = Case.objects.filter(person_id=self.person_id).values_list(
            "governing_will_id", flat=True
        )
        assert governing.get() == oracle(self.person_id).will_id

    @invariant()
    def guard_blocks_equal_the_oracle(self):
        rows = GuardBlock.objects.filter(person_id=self.person_id).values_list(
            "country", "rule", "will_expression_id", "assessment_id"
        )
        assert frozenset(rows) == oracle(self.person_id).blocks

    @invariant()
    def no_scheduled_transfer_touches_a_blocked_state(self):
        now = oracle(self.person_id)
        for destination, transit in Transfer.objects.filter(
            person_id=self.person_id, status="scheduled"
        ).values_list("destination", "transit"):
            assert not now.forbids(route_of(destination, transit)), (destination, transit, now)

    @invariant()
    def a_transfer_is_scheduled_exactly_when_the_case_says_so(self):
        state = Case.objects.filter(person_id=self.person_id).values_list("state", flat=True).get()
        live = Transfer.objects.filter(person_id=self.person_id, status="scheduled").count()
        assert live == (1 if state == CaseState.TRANSFER_SCHEDULED else 0), state

    @invariant()
    def the_database_refuses_a_block_across_the_scheduled_transfer(self):
        transfer = self.scheduled_transfer()
        if transfer is None:
            return
        for country in route_of(transfer.destination, transfer.transit):
            outcome = self.probe(
                lambda country=country: GuardBlock.objects.create(
                    person_id=self.person_id, country=country, rule="onward_risk"
                )
            )
            STATS[f"raw block across the scheduled transfer: {outcome}"] += 1
            assert outcome == "guard", (country, transfer)

    @invariant()
    def no_executed_transfer_touched_a_state_blocked_when_it_was_executed(self):
        for pk, destination, transit, executed_at in Transfer.objects.filter(
            person_id=self.person_id, status="executed"
        ).values_list("pk", "destination", "transit", "executed_at"):
            assert executed_at is not None, pk
            then = oracle(self.person_id, at=executed_at)
            assert not then.forbids(route_of(destination, transit)), (destination, transit, then)
            STATS["executed transfers checked"] += 1


@pytest.mark.django_db
def test_no_history_of_wills_and_assessments_lets_a_forbidden_transfer_through(people):
    receivers = {"KR": people.receiving_officer, "BR": people.other_receiving_officer}
    for code in ("KP", "RU", "PL", "CH"):
        office = make_org(f"Receiving office {code}", OrganisationKind.RECEIVING_STATE, code)
        receivers[code] = make_user(office, Role.DECISION_MAKER)
    STATS.clear()
    run_state_machine_as_test(
        lambda: GuardMachine(people, receivers),
        settings=settings(
            max_examples=60,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # The histories must reach the interesting places, or the invariants proved little.
    assert STATS["execute: done"] > 0, STATS
    assert STATS["schedule: done"] > 0, STATS
    assert STATS["raw transfer: guard"] > 0 and STATS["raw transfer: allowed"] > 0, STATS
    assert STATS["raw block across the scheduled transfer: guard"] > 0, STATS
