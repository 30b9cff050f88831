"""Follow-up contacts at 1, 3, 6 and 12 months; a report of onward removal alerts the verifier
and the legal officers and becomes evidence for that state's onward-risk assessment; retention
never erases a case with follow-ups still due."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.followup import selectors, services
from safepassage.lib.errors import DomainError
from safepassage.notifications.models import Notification
from safepassage.retention.services import closed_cases_due
from tests.factories import step
from tests.followup.builders import NOTE, report_onward_removal, scheduled_contacts

pytestmark = pytest.mark.django_db


def test_contacts_are_scheduled_at_1_3_6_and_12_months_after_the_handover(people, moved):
    contacts = scheduled_contacts(people, moved)
    today = timezone.localdate()
    assert [(c.due_on.year * 12 + c.due_on.month) - (today.year * 12 + today.month)
            for c in contacts] == [1, 3, 6, 12]  # fmt: skip
    assert scheduled_contacts(people, moved) == []  # the same dates are kept once


def test_an_onward_removal_report_alerts_the_verifier_and_the_legal_officers(people, moved):
    contact = scheduled_contacts(people, moved)[0]
    report_onward_removal(people, contact)
    alerted = set(Notification.objects.filter(queue="onward_risk").values_list(
        "user__username", flat=True))  # fmt: skip
    assert alerted == {"victor", "lena"}  # not vera, who reported it; nobody else
    event = AuditEvent.objects.get(action="followup.contact")
    assert NOTE not in str(event.changes)


def test_the_report_is_evidence_for_any_assessment_of_that_state(people, moved, kim_elsewhere):
    report_onward_removal(people, scheduled_contacts(people, moved)[0], to="CN")
    reports = selectors.onward_reports(actor=people.legal_officer, country="KR")
    assert [(r.outcome, r.sent_on_to) for r in reports] == [("onward_removal", "CN")]
    assert moved.registry_number not in str(reports)
    lines = selectors.onward_evidence_lines(actor=people.verifier_legal)
    assert len(lines) == 1 and "/onward-reports/KR/" in lines[0]


def test_nobody_outside_the_assessors_reads_the_evidence(people, moved):
    report_onward_removal(people, scheduled_contacts(people, moved)[0])
    for who in ("registrar", "planner", "receiving_officer", "outsider"):
        assert selectors.onward_reports(actor=getattr(people, who), country="KR") == [], who


def test_a_man_not_reached_reports_nothing(people, moved):
    contact = scheduled_contacts(people, moved)[0]
    with pytest.raises(DomainError) as refused:
        services.followup_record(
            actor=people.interviewer, contact=contact, reached=False,
            contacted_on=timezone.localdate(), outcome="safe",
        )  # fmt: skip
    assert refused.value.field == "outcome"
    recorded = services.followup_record(
        actor=people.interviewer, contact=contact, reached=False, contacted_on=timezone.localdate()
    )
    assert recorded.state == "not_reached" and not Notification.objects.filter(
        queue="onward_risk").exists()  # fmt: skip


def test_a_safe_report_alerts_no_one(people, moved):
    services.followup_record(
        actor=people.interviewer, contact=scheduled_contacts(people, moved)[0], reached=True,
        contacted_on=timezone.localdate(), outcome="safe",
    )  # fmt: skip
    assert not Notification.objects.filter(queue="onward_risk").exists()


@pytest.mark.parametrize("who", ["registrar", "receiving_officer", "legal_officer"])
def test_only_the_verifiers_interviewers_schedule_and_record(people, moved, who):
    with pytest.raises(PermissionDenied):
        services.followups_schedule(actor=getattr(people, who), person=moved)


def test_the_receiving_state_sees_its_reception_but_not_the_follow_up(people, moved):
    scheduled_contacts(people, moved)
    assert selectors.followup_of(actor=people.receiving_officer, person=moved).contacts is None
    assert len(selectors.followup_of(actor=people.interviewer, person=moved).contacts) == 4


def test_retention_never_erases_a_case_with_follow_ups_still_due(people, moved):
    step(people.registrar, moved, "closed")
    later = timezone.now() + datetime.timedelta(days=1)
    scheduled_contacts(people, moved)
    assert moved not in closed_cases_due(later)
    for contact in moved.followup_contacts.all():
        services.followup_record(
            actor=people.interviewer, contact=contact, reached=True,
            contacted_on=timezone.localdate(), outcome="safe",
        )  # fmt: skip
    assert moved in closed_cases_due(later)


@pytest.fixture
def kim_elsewhere():
    return None
