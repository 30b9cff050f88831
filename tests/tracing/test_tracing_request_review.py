"""A reviewer confirms or rejects each candidate, with a reason; a confirmed link is recorded
and audited, and nobody is told anything by it."""

import pytest
from django.db import IntegrityError, transaction

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from safepassage.tracing import services
from safepassage.tracing.models import CandidateStatus, TracingCandidate, TracingStatus
from tests.factories import make_org, make_user, register
from tests.tracing.tracing_data import mother_request, propose, register_kim

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(people):
    return register_kim(people.registrar)


@pytest.fixture
def request_for_kim(people):
    return mother_request(people.interviewer)


def test_confirming_links_the_request_and_audits_it(people, kim, request_for_kim):
    candidate = propose(request_for_kim, kim)
    request = services.tracing_candidate_confirm(
        actor=people.interviewer, candidate=candidate, reason="Same unit, same month of birth."
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED
    assert candidate.reviewed_by == people.interviewer
    assert (request.status, request.linked_person) == (TracingStatus.LINKED, kim)
    actions = set(AuditEvent.objects.filter(person=kim).values_list("action", flat=True))
    assert {"tracing.candidate_confirm", "tracing.request_link"} <= actions
    assert not request.disclosures.exists()  # informing is a step of its own


def test_a_verdict_needs_a_reason(people, kim, request_for_kim):
    candidate = propose(request_for_kim, kim)
    with pytest.raises(DomainError) as error:
        services.tracing_candidate_confirm(
            actor=people.interviewer, candidate=candidate, reason=" "
        )
    assert error.value.field == "reason"
    with pytest.raises(DomainError):
        services.tracing_candidate_reject(actor=people.interviewer, candidate=candidate, reason="")


def test_rejecting_keeps_the_candidate_with_the_reason(people, kim, request_for_kim):
    candidate = propose(request_for_kim, kim)
    services.tracing_candidate_reject(
        actor=people.interviewer, candidate=candidate, reason="Born 1978, not 1999."
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reason) == (
        CandidateStatus.REJECTED,
        "Born 1978, not 1999.",
    )
    request_for_kim.refresh_from_db()
    assert request_for_kim.status == TracingStatus.OPEN


def test_only_one_candidate_can_be_confirmed(people, kim, request_for_kim):
    other = register(people.registrar, family="Kim", given="Chol")
    first, second = propose(request_for_kim, kim), propose(request_for_kim, other, 0.5)
    services.tracing_candidate_confirm(actor=people.interviewer, candidate=first, reason="Him.")
    with pytest.raises(DomainError):
        services.tracing_candidate_confirm(
            actor=people.interviewer, candidate=second, reason="Him."
        )
    # The database holds it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        TracingCandidate.objects.filter(pk=second.pk).update(
            status=CandidateStatus.CONFIRMED, reason="x"
        )


def test_a_confirmed_link_can_be_undone_until_the_requester_is_told(people, kim, request_for_kim):
    candidate = propose(request_for_kim, kim)
    services.tracing_candidate_confirm(actor=people.interviewer, candidate=candidate, reason="Him.")
    services.tracing_candidate_reject(
        actor=people.interviewer, candidate=candidate, reason="His brother, in fact."
    )
    request_for_kim.refresh_from_db()
    assert (request_for_kim.status, request_for_kim.linked_person) == (TracingStatus.OPEN, None)


def test_once_told_the_link_is_not_undone_silently(people, kim, request_for_kim):
    candidate = propose(request_for_kim, kim)
    services.tracing_candidate_confirm(actor=people.interviewer, candidate=candidate, reason="Him.")
    services.tracing_requester_inform(
        actor=people.interviewer, request=request_for_kim, items=["alive_registered"],
        consent="not_asked",
    )  # fmt: skip
    with pytest.raises(DomainError):
        services.tracing_candidate_reject(
            actor=people.interviewer, candidate=candidate, reason="No."
        )


def test_another_tracing_agency_cannot_review_the_request(people, kim, request_for_kim):
    other = make_org("Other Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    stranger = make_user(other, Role.INTERVIEWER, username="sven")
    candidate = propose(request_for_kim, kim)
    with pytest.raises(DomainError):
        services.tracing_candidate_confirm(actor=stranger, candidate=candidate, reason="Him.")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED


def test_closing_is_recorded_with_its_reason(people, request_for_kim):
    services.tracing_request_close(
        actor=people.interviewer, request=request_for_kim, reason="Withdrawn by the mother."
    )
    request_for_kim.refresh_from_db()
    assert request_for_kim.status == TracingStatus.CLOSED
    with pytest.raises(DomainError):
        services.tracing_request_close(
            actor=people.interviewer, request=request_for_kim, reason="x"
        )
