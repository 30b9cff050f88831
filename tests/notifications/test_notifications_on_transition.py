"""A case that reaches a work queue notifies the users who act on it and may see him, no one
else; the rows and their audit events are written with the step; e-mail is off by default
and, when on, carries a link only."""

import pytest
from django.core import mail

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import CaseState
from safepassage.notifications.models import Notification
from tests.cases.builders import awaiting_interview, decided
from tests.factories import record_will, register, step

pytestmark = pytest.mark.django_db


def _notified(person, **filters) -> dict[str, tuple[str, str]]:
    rows = Notification.objects.filter(person=person, **filters).select_related("user")
    return {n.user.username: (n.queue, n.state) for n in rows}


def test_a_case_in_legal_assessment_notifies_its_decision_maker_and_the_other_lawyers(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person)
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)  # lena opens it
    assert _notified(person, state=CaseState.LEGAL_ASSESSMENT) == {
        "dmitro": ("to_decide", CaseState.LEGAL_ASSESSMENT),
        "victor": ("to_assess", CaseState.LEGAL_ASSESSMENT),  # the verifier's lawyer
    }
    # Not lena, who took the step; not oscar, who may decide but not for this power's man.
    events = AuditEvent.objects.filter(
        action="notification.create", person=person, actor=people.legal_officer
    )
    assert events.count() == 2


def test_a_decided_transfer_notifies_only_the_receiving_state_it_names(people):
    person = decided(people, "KR")
    assert _notified(person, state=CaseState.DECIDED) == {
        "minjun": ("to_accept", CaseState.DECIDED)
    }


def test_a_step_into_no_queue_notifies_no_one(people):
    person = register(people.registrar)
    step(people.registrar, person, CaseState.NOTIFIED)
    assert _notified(person) == {}


def test_no_mail_is_sent_by_default(people, django_capture_on_commit_callbacks):
    people.decision_maker.email = "dmitro@example.org"
    people.decision_maker.save()
    with django_capture_on_commit_callbacks(execute=True):
        decided(people, "KR")
    assert Notification.objects.filter(user=people.receiving_officer).exists()
    assert mail.outbox == []


def test_the_mail_holds_a_link_and_no_name_number_or_state(
    people, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.SAFEPASSAGE_BASE_URL = "https://safepassage.example.org/"
    people.receiving_officer.email = "minjun@example.org"
    people.receiving_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        person = decided(people, "KR")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minjun@example.org"]
    assert "https://safepassage.example.org/notifications/" in message.body
    text = message.subject + message.body
    for secret in (person.registry_number, "Kim", "Chol", "Decision taken", "decided", "KR"):
        assert secret not in text


def test_a_failing_mail_server_does_not_undo_the_step(
    people, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.SAFEPASSAGE_BASE_URL = "https://safepassage.example.org"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    people.receiving_officer.email = "minjun@example.org"
    people.receiving_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        person = decided(people, "KR")
    person.case.refresh_from_db()
    assert person.case.state == CaseState.DECIDED
    assert Notification.objects.filter(person=person, user=people.receiving_officer).exists()
