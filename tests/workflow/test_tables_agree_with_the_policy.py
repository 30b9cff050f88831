"""Each workflow's table and the access policy say the same: every step a person or a service
takes names an action the policy grants, and the case steps are granted to exactly whom the
former table named."""

from types import SimpleNamespace

import pytest

from safepassage.access.policy import _RULES
from safepassage.accounts.models import OrganisationKind as Org
from safepassage.accounts.models import Role
from safepassage.cases import workflow as case_workflow
from safepassage.cases.models import CaseState as S
from safepassage.exchanges import workflow as exchange_workflow
from safepassage.tracing import workflow as tracing_workflow
from safepassage.visits import workflow as visit_workflow
from safepassage.workflow import machine
from safepassage.workflow.models import Trigger

TABLES = {
    "cases": case_workflow.CASES,
    "exchanges": exchange_workflow.BATCHES,
    "tracing": tracing_workflow.REQUESTS,
    "visits": visit_workflow.VISITS,
}
DP, NV, NGO, RS = Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO, Org.RECEIVING_STATE
ACTIVE = {
    S.REGISTERED, S.NOTIFIED, S.AWAITING_INTERVIEW, S.WILL_RECORDED, S.WILL_VERIFIED,
    S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED,
}  # fmt: skip
# The case table as it was before its steps named policy actions: (sources, target, offered
# as a plain step) → (organisation kinds, roles).
FORMER_CASE_TABLE = {
    ((S.REGISTERED,), S.NOTIFIED, True): ({DP}, {Role.REGISTRAR}),
    ((S.NOTIFIED,), S.AWAITING_INTERVIEW, True): ({DP, NV}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ((S.AWAITING_INTERVIEW,), S.WILL_RECORDED, True): ({DP, NV}, {Role.INTERVIEWER}),
    ((S.AWAITING_INTERVIEW, S.WILL_RECORDED), S.WILL_VERIFIED, True): ({NV}, {Role.INTERVIEWER}),
    ((S.WILL_VERIFIED,), S.LEGAL_ASSESSMENT, True): ({NGO, NV}, {Role.LEGAL_OFFICER}),
    ((S.LEGAL_ASSESSMENT,), S.DECIDED, False): ({DP}, {Role.DECISION_MAKER}),
    ((S.DECIDED,), S.ACCEPTED, False): ({RS}, {Role.DECISION_MAKER}),
    ((S.DECIDED,), S.TRANSFER_SCHEDULED, False): ({DP}, {Role.EXCHANGE_PLANNER}),
    ((S.ACCEPTED,), S.TRANSFER_SCHEDULED, False): ({DP}, {Role.EXCHANGE_PLANNER}),
    ((S.TRANSFER_SCHEDULED,), S.TRANSFERRED, False): ({DP}, {Role.EXCHANGE_PLANNER}),
    ((S.TRANSFER_SCHEDULED,), S.ACCEPTED, False): ({DP}, {Role.EXCHANGE_PLANNER}),
    ((S.TRANSFER_SCHEDULED,), S.DECIDED, False): ({DP}, {Role.EXCHANGE_PLANNER}),
    ((S.TRANSFERRED, S.RELEASED, S.DECEASED, S.ESCAPED), S.CLOSED, True): ({DP}, {Role.REGISTRAR}),
    (tuple(ACTIVE), S.DECEASED, True): ({DP}, {Role.REGISTRAR}),
    (tuple(ACTIVE), S.RELEASED, True): ({DP}, {Role.REGISTRAR}),
    (tuple(ACTIVE), S.ESCAPED, True): ({DP}, {Role.REGISTRAR}),
    # Added since: the receiving state declines, back to the decision; a correction of the end
    # of captivity or of the closure, by the registrars who record them.
    ((S.DECIDED,), S.LEGAL_ASSESSMENT, False): ({RS}, {Role.DECISION_MAKER}),
    **{((S.DECEASED, S.RELEASED, S.ESCAPED), state, False): ({DP}, {Role.REGISTRAR})
       for state in ACTIVE},
    **{((S.CLOSED,), state, False): ({DP}, {Role.REGISTRAR})
       for state in (S.TRANSFERRED, S.DECEASED, S.RELEASED, S.ESCAPED)},
}  # fmt: skip


def _taken_by_people(table):
    return [t for t in table.transitions if t.trigger != Trigger.SYSTEM]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_step_a_person_or_a_service_takes_names_an_action_the_policy_grants(name):
    for transition in _taken_by_people(TABLES[name]):
        assert _RULES.get(transition.action), (name, transition.label)


def test_the_case_steps_are_granted_to_exactly_whom_the_former_table_named():
    now = {
        (frozenset(t.sources), t.target, t.manual): _RULES[t.action]
        for t in _taken_by_people(case_workflow.CASES)
    }
    former = {
        (frozenset(sources), target, manual): [grant]
        for (sources, target, manual), grant in FORMER_CASE_TABLE.items()
    }
    assert now == former


@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_system_edge_is_ever_offered_even_to_whom_the_policy_grants_everything(
    name, monkeypatch
):
    table = TABLES[name]
    monkeypatch.setattr(machine, "can", lambda *args: True)
    monkeypatch.setattr(machine, "has_any_role_for", lambda *args: True)
    states = {state for t in table.transitions for state in (*t.sources, t.target)}
    for state in states:
        obj = SimpleNamespace(**{table.state_field: state}, person=None)
        offered = table.available(obj, actor=None, triggers=list(Trigger))
        assert all(t.trigger != Trigger.SYSTEM for t in offered), (name, state)
    assert table.may_take_any(None, triggers=[Trigger.SYSTEM]) is False


def test_every_visit_step_is_the_neutral_verifiers_interviewers_alone():
    for transition in _taken_by_people(visit_workflow.VISITS):
        assert _RULES[transition.action] == [({NV}, {Role.INTERVIEWER})], transition.label
