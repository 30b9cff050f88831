"""The receiving state's answer: accept (then it sees him and the decision may name it),
decline with a reason (which closes the referral), or ask for more information."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safepassage.access.persons import person_for
from safepassage.access.visibility import persons_visible_to
from safepassage.audit.models import AuditEvent
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, DecisionKind
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.referrals import selectors, services
from safepassage.referrals.models import ReferralState
from tests.factories import assess
from tests.referrals.builders import in_days, refer, third_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(people, orgs, kim):
    return refer(people, third_country(people, kim), orgs.other_receiving)


def _answer(people, referral, target, who="other_receiving_officer", **kwargs):
    return services.referral_step(
        actor=getattr(people, who), referral=referral, target=target, **kwargs
    )


def test_a_state_does_not_see_the_man_it_was_referred_before_it_accepts(people, kim, referred):
    assert not persons_visible_to(people.other_receiving_officer).filter(pk=kim.pk).exists()
    with pytest.raises(Http404):
        person_for(people.other_receiving_officer, kim.registry_number)


def test_the_state_accepts_him_and_then_sees_him(people, kim, referred):
    accepted = _answer(people, referred, ReferralState.ACCEPTED, reference="BR-2026-17")
    assert accepted.state == ReferralState.ACCEPTED and accepted.reference == "BR-2026-17"
    assert person_for(people.other_receiving_officer, kim.registry_number) == kim
    assert AuditEvent.objects.filter(action="referral.transition").count() == 1


def test_an_acceptance_lets_the_decision_name_that_state_and_the_state_accept_him(
    people, kim, referred
):
    _answer(people, referred, ReferralState.ACCEPTED)
    assess(people.legal_officer, kim, "BR", persecution="none", onward="none")
    case_services.decision_take(
        actor=people.decision_maker, person=kim, kind=DecisionKind.TRANSFER, destination="BR",
        reason="Brazil accepted him on referral.",
    )  # fmt: skip
    case_services.acceptance_record(actor=people.other_receiving_officer, person=kim)
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.ACCEPTED


def test_a_state_that_was_not_asked_cannot_accept_him_under_a_decision(people, kim, referred):
    assess(people.legal_officer, kim, "KR", persecution="none", onward="none")
    case_services.decision_take(
        actor=people.decision_maker, person=kim, kind=DecisionKind.TRANSFER, destination="KR",
        reason="Try the Republic of Korea.",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        case_services.acceptance_record(actor=people.receiving_officer, person=kim)


def test_a_decline_needs_its_reason_and_closes_the_referral(people, kim, referred):
    with pytest.raises(DomainError) as refused:
        _answer(people, referred, ReferralState.DECLINED)
    assert refused.value.field == "reason"
    declined = _answer(people, referred, ReferralState.DECLINED, reason="No programme.")
    assert declined.state == ReferralState.DECLINED
    with pytest.raises(DomainError):
        _answer(people, declined, ReferralState.ACCEPTED)
    assert not persons_visible_to(people.other_receiving_officer).filter(pk=kim.pk).exists()


def test_after_a_decline_he_may_be_referred_to_that_state_again(people, orgs, kim, referred):
    _answer(people, referred, ReferralState.DECLINED, reason="Not now.")
    assert refer(people, kim, orgs.other_receiving).state == ReferralState.REFERRED


def test_a_question_goes_to_the_referrer_who_answers_it(people, referred):
    asked = _answer(people, referred, ReferralState.INFORMATION_REQUESTED, reason="Which trade?")
    with pytest.raises(PermissionDenied):
        _answer(people, asked, ReferralState.REFERRED, reason="He is a carpenter.")
    again = services.referral_step(
        actor=people.interviewer, referral=asked, target=ReferralState.REFERRED,
        reason="He is a carpenter.",
    )  # fmt: skip
    assert again.state == ReferralState.REFERRED
    assert [row.reason for row in again.transitions.all()] == ["Which trade?", "He is a carpenter."]


def test_another_state_cannot_answer_or_see_the_referral(people, referred):
    with pytest.raises(PermissionDenied):
        _answer(people, referred, ReferralState.ACCEPTED, who="receiving_officer")
    with pytest.raises(Http404):
        selectors.referral_for(people.receiving_officer, referred.pk)


def test_the_verifier_cannot_answer_for_the_state(people, referred):
    with pytest.raises(PermissionDenied):
        _answer(people, referred, ReferralState.ACCEPTED, who="interviewer")


def test_the_referrer_withdraws_a_referral_that_waits(people, referred):
    withdrawn = services.referral_step(
        actor=people.interviewer, referral=referred, target=ReferralState.WITHDRAWN
    )
    assert withdrawn.state == ReferralState.WITHDRAWN


def test_a_stale_version_is_a_conflict(people, referred):
    with pytest.raises(ConflictError):
        _answer(people, referred, ReferralState.ACCEPTED, expected_version=referred.version + 1)
    assert _answer(people, referred, ReferralState.ACCEPTED,
                   expected_version=referred.version).version == referred.version + 1  # fmt: skip


def test_referrals_past_their_due_date_are_reminded_once(people, orgs, kim):
    third_country(people, kim)
    due = refer(people, kim, orgs.other_receiving, due_on=in_days(1))
    refer(people, kim, orgs.receiving, due_on=in_days(10))
    assert services.referral_reminders_send(actor=people.interviewer, today=in_days(1)) == [due]
    assert services.referral_reminders_send(actor=people.interviewer, today=in_days(2)) == []
    assert selectors.is_overdue(due, today=in_days(2))
    assert AuditEvent.objects.filter(action="referral.remind").count() == 1
