"""The case table holds the system's steps too: each reopening or automatic step is an edge
with explicit sources, taken as the system with the actor whose fact moved it."""

from safepassage.cases import guard, services, workflow
from safepassage.cases.models import Case, CaseState, CaseTransition
from safepassage.workflow.models import Trigger
from tests.cases.builders import awaiting_interview, decided, state_of
from tests.factories import record_will

S = CaseState


def _system_sources(target: str) -> set[str]:
    return {
        source
        for t in workflow.TRANSITIONS
        if t.trigger == Trigger.SYSTEM and t.target == target
        for source in t.sources
    }


def test_an_executed_exchange_moves_only_a_case_the_guard_lets_move():
    movable = set(S.values) - guard.NOT_HELD - guard.NOT_NOTIFIED
    assert _system_sources(S.TRANSFERRED) == movable


def test_the_reopenings_start_where_a_new_fact_undoes_a_later_step():
    after_verification = {S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED}
    assert _system_sources(S.WILL_VERIFIED) == after_verification | {
        S.AWAITING_INTERVIEW, S.WILL_RECORDED,
    }  # fmt: skip
    assert _system_sources(S.AWAITING_INTERVIEW) == after_verification | {S.WILL_VERIFIED}
    assert _system_sources(S.LEGAL_ASSESSMENT) == {S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED}
    assert _system_sources(S.WILL_RECORDED) == {S.AWAITING_INTERVIEW}
    assert _system_sources(S.DECIDED) == _system_sources(S.ACCEPTED) == {S.TRANSFER_SCHEDULED}


def test_a_verified_will_moves_the_case_as_the_system_in_the_interviewers_name(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person)
    row = CaseTransition.objects.filter(case__person=person).latest("id")
    assert (row.to_state, row.trigger, row.actor) == (
        S.WILL_VERIFIED, Trigger.SYSTEM, people.interviewer,
    )  # fmt: skip


def test_a_withdrawn_will_reopens_a_decided_case_as_the_system(people):
    person = decided(people, "KR")
    will = person.will_expressions.get(verified=True)
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="In error.")
    assert state_of(person) == S.AWAITING_INTERVIEW
    row = CaseTransition.objects.filter(case__person=person).latest("id")
    assert (row.from_state, row.trigger) == (S.DECIDED, Trigger.SYSTEM)


def test_the_steps_people_take_are_recorded_as_theirs_or_their_services(people):
    person = decided(people, "KR")
    triggers = dict(
        CaseTransition.objects.filter(case__person=person).values_list("to_state", "trigger")
    )
    assert triggers[S.NOTIFIED] == Trigger.PERSON
    assert triggers[S.DECIDED] == Trigger.SERVICE


def test_the_system_moves_nothing_its_table_does_not_list(people):
    case = Case.objects.get(person=awaiting_interview(people))
    assert workflow.system_moves(case, S.WILL_RECORDED)
    assert not workflow.system_moves(case, S.LEGAL_ASSESSMENT)
    assert not workflow.find_transition(S.LEGAL_ASSESSMENT, S.WILL_VERIFIED)
