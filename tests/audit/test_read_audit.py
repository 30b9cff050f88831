"""Reads of sensitive records are audited: who was shown which statement, next of kin,
interview or assessment basis, through the web UI and the API; once per record and response,
never with the value."""

from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState
from tests.audit.tamper import triggers_create, triggers_drop
from tests.factories import record_will, register, step

NEXT_OF_KIN = "READ-AUDIT-NOK-Mother-in-Sinuiju-4471"
STATEMENT = "READ-AUDIT-STATEMENT-I-fear-the-camp-8812"
PRESENT = "READ-AUDIT-PRESENT-guard-3390"
BASIS = "READ-AUDIT-BASIS-country-report-6620"
MARKERS = (NEXT_OF_KIN, STATEMENT, PRESENT, BASIS)


@pytest.fixture
def kim(people):
    """Registered with a next of kin, represented, a verified will with a statement, one
    witnessed (evidence) interview naming who was present, and an assessment of KR."""
    person = register(people.registrar, next_of_kin=NEXT_OF_KIN)
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    person.verified_will = record_will(people.interviewer, person, statement=STATEMENT)
    person.evidence = case_services.will_expression_record(
        actor=people.legal_officer, person=person, expressed_on=person.created_at.date(),
        source="press_interview", setting="witnessed", present=PRESENT, wish="undecided",
        certainty=50,
    )  # fmt: skip
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    person.assessment = case_services.risk_assessment_record(
        actor=people.legal_officer, person=person, country="KR", persecution_risk="low",
        onward_transfer_risk="low", basis=BASIS,
    )  # fmt: skip
    return person


def reads(user=None):
    rows = AuditEvent.objects.filter(action__startswith="read.").order_by("seq")
    return rows.filter(actor=user) if user is not None else rows


def read_map(user) -> dict[tuple[str, str], list[str]]:
    return {(e.object_type, e.object_id): e.changes["read"][1] for e in reads(user)}


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    _token, raw = api_token_create(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def detail(person) -> str:
    return reverse("registry:person_detail", args=[person.registry_number])


def assert_no_value_in_the_audit_log():
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.changes}"
        for marker in MARKERS:
            assert marker not in text, (event.action, text)


def key(record) -> tuple[str, str]:
    return (record._meta.label_lower, str(record.pk))


# --- the web UI -------------------------------------------------------------------------------


def test_the_interviewer_opening_his_page_leaves_one_event_per_record_read(people, kim):
    response = web(people.interviewer).get(detail(kim))
    assert STATEMENT.encode() in response.content
    assert NEXT_OF_KIN.encode() in response.content
    assert read_map(people.interviewer) == {
        key(kim): ["next_of_kin"],
        key(kim.verified_will): ["interview", "statement"],
        key(kim.evidence): ["interview"],  # no statement recorded: nothing to read
        key(kim.assessment): ["basis"],
    }
    event = reads(people.interviewer).get(
        action="read.willexpression", object_id=str(kim.verified_will.pk)
    )
    assert event.action == "read.willexpression"
    assert event.person == kim
    assert event.organisation == people.interviewer.organisation
    assert event.object_repr == (
        f"{kim.registry_number}: will expression #{kim.verified_will.pk} — "
        "statement, interview circumstances read"
    )
    assert_no_value_in_the_audit_log()
    assert audit_chain_verify().intact


def test_each_response_is_audited_once_however_often_it_shows_the_value(people, kim):
    client = web(people.legal_officer)
    client.get(detail(kim))
    first = reads(people.legal_officer).count()
    client.get(detail(kim))
    assert reads(people.legal_officer).count() == 2 * first
    assert first == 3  # two wills and one assessment; no next of kin for the lawyer


def test_a_reader_without_need_to_know_leaves_no_read_event(people, kim):
    response = web(people.receiving_officer).get(detail(kim))
    assert response.status_code == 404 or STATEMENT.encode() not in response.content
    web(people.registrar).get(detail(kim))
    # The registrar sees next of kin, never statements, interviews or bases.
    assert read_map(people.registrar) == {key(kim): ["next_of_kin"]}
    assert not reads(people.receiving_officer).exists()


def test_the_outsider_is_refused_and_leaves_no_read_event(people, kim):
    assert web(people.outsider).get(detail(kim)).status_code == 404
    assert not reads(people.outsider).exists()


def test_the_edit_form_showing_next_of_kin_is_a_read(people, kim):
    url = reverse("registry:person_edit", args=[kim.registry_number])
    response = web(people.registrar).get(url)
    assert NEXT_OF_KIN.encode() in response.content
    assert read_map(people.registrar) == {key(kim): ["next_of_kin"]}


def test_an_empty_next_of_kin_is_not_a_read(people):
    person = register(people.registrar)
    web(people.registrar).get(detail(person))
    assert not reads(people.registrar).exists()


def test_a_read_that_cannot_be_audited_fails_the_response(people, kim):
    with (
        mock.patch("safepassage.audit.reads.audit_append", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        web(people.interviewer).get(detail(kim))


# --- the API ----------------------------------------------------------------------------------


def test_the_api_audits_the_wills_it_shows(people, kim):
    response = api(people.legal_officer).get(f"/api/v1/persons/{kim.pk}/will-expressions/")
    assert response.status_code == 200
    assert STATEMENT in response.content.decode()
    assert read_map(people.legal_officer) == {
        key(kim.verified_will): ["interview", "statement"],
        key(kim.evidence): ["interview"],
    }
    assert_no_value_in_the_audit_log()


def test_the_api_audits_one_will_and_the_assessments(people, kim):
    client = api(people.interviewer)
    client.get(f"/api/v1/persons/{kim.pk}/will-expressions/{kim.verified_will.pk}/")
    client.get(f"/api/v1/persons/{kim.pk}/assessments/")
    assert read_map(people.interviewer) == {
        key(kim.verified_will): ["interview", "statement"],
        key(kim.assessment): ["basis"],
    }


def test_the_api_audits_next_of_kin_per_person_shown(people, kim):
    without = register(people.registrar, family="Pak")
    client = api(people.registrar)
    listed = client.get("/api/v1/persons/")
    assert listed.status_code == 200
    assert {p["id"] for p in listed.json()["results"]} == {kim.pk, without.pk}
    client.get(f"/api/v1/persons/{kim.pk}/")
    events = list(reads(people.registrar))
    assert [(e.object_id, e.changes["read"][1]) for e in events] == [
        (str(kim.pk), ["next_of_kin"]),  # the list: Pak has none
        (str(kim.pk), ["next_of_kin"]),  # the person
    ]
    assert_no_value_in_the_audit_log()


def test_a_decision_maker_of_the_detaining_power_reads_only_the_basis(people, kim):
    api(people.decision_maker).get(f"/api/v1/persons/{kim.pk}/will-expressions/")
    api(people.decision_maker).get(f"/api/v1/persons/{kim.pk}/assessments/")
    assert read_map(people.decision_maker) == {key(kim.assessment): ["basis"]}


# --- the service ------------------------------------------------------------------------------


def test_the_same_record_read_twice_in_one_response_is_one_event(people, kim):
    will = kim.verified_will
    events = sensitive_reads_record(
        actor=people.interviewer,
        reads=[
            SensitiveRead(will, "statement", kim),
            SensitiveRead(will, "statement", kim),
            SensitiveRead(will, "interview", kim),
            SensitiveRead(kim, "next_of_kin"),
        ],
    )
    assert [(e.object_id, e.changes["read"][1]) for e in events] == [
        (str(will.pk), ["interview", "statement"]),
        (str(kim.pk), ["next_of_kin"]),
    ]
    assert events[1].prev_hash == events[0].hash
    assert audit_chain_verify().intact


def test_nothing_read_writes_nothing(people):
    before = AuditEvent.objects.count()
    assert sensitive_reads_record(actor=people.interviewer, reads=[]) == []
    assert AuditEvent.objects.count() == before


def test_it_refuses_an_unknown_kind_of_read(people, kim):
    with pytest.raises(ValueError, match="READ_KINDS"):
        SensitiveRead(kim, "favourite colour")


# --- really committed: a GET that writes, on SQLite (IMMEDIATE) and PostgreSQL ------------------


@pytest.fixture
def triggers_back_after_flush(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        triggers_create()


@pytest.fixture
def committed(triggers_back_after_flush, transactional_db):
    yield
    triggers_drop()


def test_a_get_commits_its_read_event_outside_a_test_transaction(committed, people, kim):
    assert connection.get_autocommit()
    web(people.interviewer).get(detail(kim))
    api(people.interviewer).get(f"/api/v1/persons/{kim.pk}/will-expressions/")
    assert reads(people.interviewer).count() == 4 + 2
    assert audit_chain_verify().intact
