"""Every status change of a tracing request is an edge of its table and a row of its history,
the reopening by a rejected link included; the rows copy no reason."""

import pytest

from safepassage.lib.errors import DomainError
from safepassage.tracing import services
from safepassage.tracing.models import Consent, TracingStatus, TracingTransition
from safepassage.workflow.models import Trigger
from tests.tracing.tracing_data import mother_request, propose, register_kim

pytestmark = pytest.mark.django_db
S = TracingStatus


@pytest.fixture
def candidate(people):
    return propose(mother_request(people.interviewer), register_kim(people.registrar))


def _history(request) -> list[tuple[str, str]]:
    return [(row.from_state, row.to_state) for row in request.transitions.all()]


def test_confirming_informing_and_closing_each_write_one_row(people, candidate):
    actor = people.interviewer
    request = services.tracing_candidate_confirm(actor=actor, candidate=candidate, reason="Him.")
    for _ in range(2):  # told once, and again
        services.tracing_requester_inform(
            actor=actor, request=request, items=["alive_registered"], consent=Consent.NOT_ASKED
        )
    services.tracing_request_close(actor=actor, request=request, reason="Found and told.")
    assert _history(request) == [
        (S.OPEN, S.LINKED), (S.LINKED, S.INFORMED), (S.INFORMED, S.INFORMED),
        (S.INFORMED, S.CLOSED),
    ]  # fmt: skip
    rows = TracingTransition.objects.filter(request=request)
    assert {(r.actor, r.organisation, r.trigger, r.reason) for r in rows} == {
        (actor, actor.organisation, Trigger.SERVICE, "")
    }


def test_rejecting_the_confirmed_candidate_reopens_the_request_by_its_edge(people, candidate):
    actor = people.interviewer
    services.tracing_candidate_confirm(actor=actor, candidate=candidate, reason="Him.")
    services.tracing_candidate_reject(actor=actor, candidate=candidate, reason="Not him after all.")
    request = candidate.request
    request.refresh_from_db()
    assert (request.status, request.linked_person) == (S.OPEN, None)
    assert _history(request) == [(S.OPEN, S.LINKED), (S.LINKED, S.OPEN)]


def test_a_closed_request_moves_no_more_and_writes_no_row(people, candidate):
    request = candidate.request
    services.tracing_request_close(actor=people.interviewer, request=request, reason="Withdrawn.")
    with pytest.raises(DomainError, match="cannot be moved"):
        services.tracing_request_close(actor=people.interviewer, request=request, reason="Again.")
    assert _history(request) == [(S.OPEN, S.CLOSED)]
