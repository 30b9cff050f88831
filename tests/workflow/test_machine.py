"""The one state machine: it takes only the edges of its table, by their trigger, for whom the
policy lets, when the precondition holds, and writes one row per change."""

import pytest
from django.utils import timezone

from safepassage.access.policy import Action
from safepassage.cases.models import Case, CaseState, CaseTransition
from safepassage.lib.errors import DomainError, NotAllowed
from safepassage.workflow.machine import Workflow, edge
from safepassage.workflow.models import Trigger
from tests.factories import register

S = CaseState


def _camp_open(case: Case) -> str | None:
    return "Not while the camp is closed." if case.person.unit == "closed camp" else None


TABLE = Workflow(
    transitions=(
        edge([S.REGISTERED], S.NOTIFIED, "notify", Action.CASE_NOTIFY, _camp_open),
        edge([S.REGISTERED], S.RELEASED, "release", Action.CASE_CUSTODY_END,
             trigger=Trigger.SERVICE),
        edge([S.REGISTERED, S.NOTIFIED], S.ESCAPED, "escape", trigger=Trigger.SYSTEM),
    ),
    row_model=CaseTransition,
    cannot_move="“%(source)s” cannot move to “%(target)s”",
    subject=lambda case: case.person,
)  # fmt: skip


@pytest.fixture
def case(people):
    return register(people.registrar).case


def _apply(case, actor, target, trigger=Trigger.PERSON, reason="Because."):
    return TABLE.apply(case, target=target, actor=actor, reason=reason, trigger=trigger)


def _unchanged(case) -> bool:
    case.refresh_from_db()
    return case.state == S.REGISTERED and not case.transitions.exists()


def test_it_takes_an_edge_and_writes_exactly_one_row(people, case):
    before = case.state_changed_at
    row = _apply(case, people.registrar, S.NOTIFIED, reason="  Sent.  ")
    case.refresh_from_db()
    assert case.state == S.NOTIFIED and case.state_changed_at > before
    assert list(case.transitions.all()) == [row]
    assert (row.from_state, row.to_state, row.reason) == (S.REGISTERED, S.NOTIFIED, "Sent.")
    assert (row.actor, row.organisation) == (people.registrar, people.registrar.organisation)
    assert row.trigger == Trigger.PERSON and row.at <= timezone.now()


def test_it_refuses_an_edge_its_table_does_not_have(people, case):
    with pytest.raises(DomainError, match="“Registered” cannot move to “Closed”"):
        _apply(case, people.registrar, S.CLOSED)
    assert _unchanged(case)


@pytest.mark.parametrize(
    "target, trigger",
    [(S.NOTIFIED, Trigger.SYSTEM), (S.NOTIFIED, Trigger.SERVICE), (S.RELEASED, Trigger.PERSON),
     (S.ESCAPED, Trigger.PERSON)],
)  # fmt: skip
def test_it_refuses_an_edge_taken_by_another_trigger_than_its_own(people, case, target, trigger):
    with pytest.raises(DomainError, match="cannot move"):
        _apply(case, people.registrar, target, trigger)
    assert _unchanged(case)


def test_it_refuses_an_actor_the_policy_does_not_grant_the_action(people, case):
    with pytest.raises(NotAllowed):
        _apply(case, people.planner, S.NOTIFIED)
    with pytest.raises(NotAllowed):
        _apply(case, people.interviewer, S.RELEASED, Trigger.SERVICE)
    assert _unchanged(case)


def test_it_refuses_when_the_precondition_does_not_hold(people, case):
    case.person.unit = "closed camp"
    with pytest.raises(DomainError, match="camp is closed"):
        _apply(case, people.registrar, S.NOTIFIED)
    assert _unchanged(case)


def test_it_requires_a_reason_when_its_workflow_does(people, case):
    with pytest.raises(DomainError, match="reason"):
        _apply(case, people.registrar, S.NOTIFIED, reason="  ")
    assert _unchanged(case)


def test_a_system_edge_asks_no_action_and_records_the_actor_whose_fact_moved_it(people, case):
    row = _apply(case, people.planner, S.ESCAPED, Trigger.SYSTEM)
    assert (row.trigger, row.actor, row.to_state) == (Trigger.SYSTEM, people.planner, S.ESCAPED)
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_the_fields_that_change_with_the_state_are_saved_with_it(people, case):
    ngo = people.legal_officer.organisation
    TABLE.apply(
        case, target=S.NOTIFIED, actor=people.registrar, reason="Sent.", trigger=Trigger.PERSON,
        changes={"legal_organisation": ngo},
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.state, case.legal_organisation) == (S.NOTIFIED, ngo)


def test_it_never_offers_a_system_edge(people, case):
    offered = TABLE.available(case, people.outsider, triggers=list(Trigger))
    assert Trigger.SYSTEM not in {t.trigger for t in offered}
    registrar = TABLE.available(case, people.registrar, triggers=list(Trigger))
    assert [t.target for t in registrar] == [S.NOTIFIED, S.RELEASED]
    assert [t.target for t in TABLE.available(case, people.registrar)] == [S.NOTIFIED]


def test_who_may_take_any_step_follows_the_policy_and_ignores_system_edges(people):
    assert TABLE.may_take_any(people.registrar)
    assert not TABLE.may_take_any(people.planner)
    assert not TABLE.may_take_any(people.planner, triggers=[Trigger.SYSTEM])


def test_a_persons_edge_must_name_its_action_and_a_system_edge_none():
    with pytest.raises(ValueError):
        edge([S.REGISTERED], S.NOTIFIED, "notify")
    with pytest.raises(ValueError):
        edge([S.REGISTERED], S.NOTIFIED, "notify", Action.CASE_NOTIFY, trigger=Trigger.SYSTEM)
