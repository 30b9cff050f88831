"""Interviews on a visit: their outcomes, the will recorded from one through the cases service,
and what leaves it unverified."""

import datetime

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import CaseState, InterviewSetting, WillExpression
from safepassage.lib.errors import DomainError
from safepassage.visits import services
from safepassage.visits.models import Interview, InterviewOutcome
from tests.cases.builders import state_of
from tests.visits.builders import man_at_the_camp, planned, private_interview, today, under_way


def test_a_private_interview_records_his_verified_will_dated_the_interview(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    held_on = today() - datetime.timedelta(days=0)
    interview = private_interview(people, visit, person, held_on=held_on)
    will = interview.will_expression
    assert will.verified and will.expressed_on == interview.held_on
    assert will.interview == interview
    assert state_of(person) == CaseState.WILL_VERIFIED
    assert AuditEvent.objects.filter(action="interview.record").exists()
    assert AuditEvent.objects.filter(action="interview.will_record").exists()


def test_a_partys_interpreter_leaves_the_interviews_will_unverified(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    interview = private_interview(people, visit, person, interpreter_affiliation="party")
    assert not interview.will_expression.verified
    assert state_of(person) == CaseState.WILL_RECORDED


def test_a_party_present_leaves_the_interviews_will_unverified(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    interview = private_interview(
        people, visit, person, setting=InterviewSetting.WITNESSED, present="Camp officer",
        present_party=True,
    )  # fmt: skip
    will = interview.will_expression
    assert not will.verified and will.present_party
    assert state_of(person) == CaseState.WILL_RECORDED


def test_the_cases_rule_itself_refuses_to_verify_with_a_party_present(people):
    from safepassage.cases.services import is_verified

    assert not is_verified(
        organisation=people.interviewer.organisation, source="private_verification_interview",
        setting="private", present="", present_party=True,
    )  # fmt: skip


def test_the_database_refuses_a_verified_will_with_a_party_present(people):
    from django.db import IntegrityError, transaction

    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    will = private_interview(people, visit, person).will_expression
    with pytest.raises(IntegrityError), transaction.atomic():
        WillExpression.objects.filter(pk=will.pk).update(present_party=True)


def test_a_will_without_a_visit_still_records(people):
    from tests.factories import record_will

    person = man_at_the_camp(people)
    will = record_will(people.interviewer, person)
    assert will.verified and not Interview.objects.filter(will_expression=will).exists()


@pytest.mark.parametrize(
    "outcome", [InterviewOutcome.DECLINED, InterviewOutcome.NOT_FOUND, InterviewOutcome.NOT_PRIVATE]
)
def test_an_interview_not_held_records_no_will(people, outcome):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    interview = private_interview(people, visit, person, will=False, outcome=outcome, setting="")
    assert interview.will_expression is None
    assert state_of(person) == CaseState.AWAITING_INTERVIEW


def test_a_will_for_a_man_who_declined_is_refused(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    with pytest.raises(DomainError):
        private_interview(people, visit, person, outcome=InterviewOutcome.DECLINED)


def test_an_interview_is_finalised_later_with_his_will(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    interview = private_interview(people, visit, person, will=False)
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    will = services.interview_will_record(
        actor=people.interviewer, interview=interview,
        will=services.WillInput(wish="return_to_origin", certainty=60),
    )  # fmt: skip
    assert will.expressed_on == interview.held_on and will.verified
    with pytest.raises(DomainError):
        services.interview_will_record(
            actor=people.interviewer, interview=interview,
            will=services.WillInput(wish="return_to_origin", certainty=60),
        )  # fmt: skip


def test_interviews_wait_until_the_visit_is_under_way(people):
    person = man_at_the_camp(people)
    visit = planned(people, person.place)
    with pytest.raises(DomainError, match="under way"):
        private_interview(people, visit, person)


def test_a_man_is_seen_once_per_visit(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    private_interview(people, visit, person, will=False)
    with pytest.raises(DomainError, match="already"):
        private_interview(people, visit, person, will=False)


def test_a_man_held_elsewhere_and_not_listed_is_refused(people):
    from tests.factories import register

    elsewhere = register(people.registrar, internment_place="Another camp")
    visit = under_way(people, man_at_the_camp(people).place)
    with pytest.raises(DomainError, match="neither"):
        private_interview(people, visit, elsewhere, will=False)


def test_a_date_outside_the_visit_is_refused(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    with pytest.raises(DomainError, match="outside"):
        private_interview(people, visit, person, held_on=today() - datetime.timedelta(days=2))


def test_an_interview_without_a_will_names_a_party_present_and_the_interpreter(people):
    person = man_at_the_camp(people)
    visit = under_way(people, person.place)
    with pytest.raises(DomainError, match="present"):
        private_interview(people, visit, person, will=False, present_party=True)
    with pytest.raises(DomainError, match="interpreter"):
        private_interview(people, visit, person, will=False, interpreter="")
