"""A known caseload spread over three weeks of March 2025, built through the services at the
moment each thing happened (time-machine), so every figure has a number to check.

Week A starts Monday 2025-03-03, week B 2025-03-10, week C 2025-03-17.
"""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

import time_machine

from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, Wish
from safepassage.exchanges import services as exchange_services
from safepassage.exchanges.models import BatchState
from safepassage.tracing import services as tracing_services
from tests.exchanges.builders import agreement, returning, theirs
from tests.factories import record_will, register, step
from tests.tracing.tracing_data import mother_request, propose

WEEK_A = datetime.date(2025, 3, 3)
WEEK_B = datetime.date(2025, 3, 10)
WEEK_C = datetime.date(2025, 3, 17)
MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


@contextmanager
def on(moment: str):
    """Everything inside happens at `moment` (UTC, "YYYY-MM-DD HH:MM"), the clock stopped."""
    when = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    with time_machine.travel(when, tick=False):
        yield


def _refuses(people, person):
    record_will(people.interviewer, person, wish=Wish.NAMED_STATES, preferred=("KR",))


def _returns(people, person):
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",),
                statement="I want to go home.")  # fmt: skip


def _undecided(people, person):
    record_will(people.interviewer, person, wish=Wish.UNDECIDED, preferred=(),
                statement="I do not know yet.")  # fmt: skip


def casework(people) -> SimpleNamespace:
    """Four North Koreans and one Russian held by alice's detaining power, one North Korean
    held by the outsider's.

    Week A: all registered (Mon 10:00), notified (Mon 12:00), awaiting interview (Tue), and
    heard in private (Wed): kp0–kp2 refuse repatriation, kp3 wishes to return, ru undecided;
    the outsider's man refuses. Week B (Wed): kp3 now refuses; kp0 says he wants to return,
    then, an hour later, that he is undecided; kp1's legal assessment opens.
    """
    with on("2025-03-03 10:00"):
        kp = [register(people.registrar, family="Kim", given=f"Chol Su {i}") for i in range(4)]
        ru = register(people.registrar, family="Ivanov", given="Ivan", nationalities=("RU",))
        other = register(people.outsider, family="Pak", given="Yong Ho")
        ours = [*kp, ru]
        for person in ours:
            case_services.legal_organisation_assign(
                actor=people.registrar,
                person=person,
                organisation=people.legal_officer.organisation,
            )
    with on("2025-03-03 12:00"):
        for person in ours:
            step(people.registrar, person, CaseState.NOTIFIED)
        step(people.outsider, other, CaseState.NOTIFIED)
    with on("2025-03-04 10:00"):
        for person in ours:
            step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
        step(people.outsider, other, CaseState.AWAITING_INTERVIEW)
    with on("2025-03-05 10:00"):
        for person in kp[:3]:
            _refuses(people, person)
        _returns(people, kp[3])
        _undecided(people, ru)
        _refuses(people, other)
    with on("2025-03-12 10:00"):
        _refuses(people, kp[3])
        _returns(people, kp[0])
        step(people.legal_officer, kp[1], CaseState.LEGAL_ASSESSMENT)
    with on("2025-03-12 11:00"):
        _undecided(people, kp[0])
    return SimpleNamespace(kp=kp, ru=ru, other=other)


def exchange_done(people):
    """Week C: two returning Russians and two of theirs, exchanged 1 for 1 on Wed 2025-03-19."""
    with on("2025-03-17 10:00"):
        first, second = returning(people), returning(people)
        deal = agreement(people)
        exchange_services.pool_add_registry(actor=people.planner, agreement=deal)
        theirs(deal, people.planner, "T1")
        theirs(deal, people.planner, "T2")
        batch = exchange_services.batch_plan(actor=people.planner, agreement=deal)
        for target in (BatchState.PROPOSED, BatchState.AGREED):
            exchange_services.batch_step(
                actor=people.planner, batch=batch, target=target, reason="Done."
            )
    with on("2025-03-19 09:00"):
        for entry in batch.entries.all():
            exchange_services.entry_handover_confirm(actor=people.planner, entry=entry)
        exchange_services.batch_execute(actor=people.planner, batch=batch, reason="Handed over.")
    return batch, first, second


def tracing_work(people):
    """Vera's Agency: three requests recorded in week A; one linked and its requester told in
    week B; another closed in week C."""
    with on("2025-03-04 09:00"):
        person = register(people.registrar, family="Kim", given="Chol Su")
        requests = [mother_request(people.interviewer) for _ in range(3)]
    with on("2025-03-11 09:00"):
        candidate = propose(requests[0], person)
        tracing_services.tracing_candidate_confirm(
            actor=people.interviewer, candidate=candidate, reason="Same man: birth date, unit."
        )
        tracing_services.tracing_requester_inform(
            actor=people.interviewer, request=requests[0], items=["alive_registered"],
            consent="given", channel="letter",
        )  # fmt: skip
    with on("2025-03-18 09:00"):
        tracing_services.tracing_request_close(
            actor=people.interviewer, request=requests[1], reason="Withdrawn by the requester."
        )
    return requests
