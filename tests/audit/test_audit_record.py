"""Every write leaves an audit event; sensitive values never reach the audit table."""

import datetime

import pytest
from django.db import connection

from safepassage.audit.models import AuditEvent
from safepassage.audit.sealing import event_changes_opened
from safepassage.audit.services import MASK, audit_record, changes_between, created_changes
from safepassage.cases import services
from safepassage.cases.models import CaseState
from safepassage.registry.models import Person
from safepassage.registry.services import NameInput, person_name_add, person_update
from tests.cases.builders import scheduled
from tests.factories import assess, handover, record_will, register, step, tomorrow

MARKER = "QX7-SENSITIVE-MARKER"


def events(person=None, **filters):
    rows = AuditEvent.objects.filter(**filters)
    return rows.filter(person=person) if person is not None else rows


def the_event(action, obj, person=None):
    matching = list(events(person, action=action, object_id=str(obj.pk)))
    assert len(matching) == 1, (action, matching)
    return matching[0]


def assert_event(event, *, actor, obj, fields):
    assert event.actor == actor
    assert event.actor_username == actor.username
    assert event.organisation == actor.organisation
    assert event.object_type == obj._meta.label_lower
    assert event.object_id == str(obj.pk)
    assert event.object_repr
    assert set(fields) <= set(event.changes), (set(fields), event.changes)


def test_registration_update_and_names_are_audited(people):
    person = register(people.registrar, rank="Sergeant", next_of_kin="Mother in Sinuiju")
    assert_event(
        the_event("person.register", person, person), actor=people.registrar, obj=person,
        fields=["rank", "nationalities", "next_of_kin"],
    )  # fmt: skip
    first_name = person.names.get()
    assert_event(
        the_event("person.name_add", first_name, person), actor=people.registrar,
        obj=first_name, fields=["family_name", "given_name", "script"],
    )  # fmt: skip
    person_update(actor=people.registrar, person=person, expected_version=1, rank="Major")
    update = the_event("person.update", person)
    # Stored sealed under his audit key; read back while the key exists.
    assert "Sergeant" not in str(update.changes) and "Major" not in str(update.changes)
    assert event_changes_opened(update) == {"rank": ["Sergeant", "Major"]}
    name = person_name_add(actor=people.registrar, person=person, name=NameInput(family_name="Ри"))
    added = the_event("person.name_add", name, person)
    assert_event(added, actor=people.registrar, obj=name, fields=["family_name"])
    assert "Ри" not in f"{added.object_repr} {added.changes}"
    assert added.object_repr == f"{person.registry_number}: name #{name.pk}"


def test_every_case_service_is_audited(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    case = person.case
    decision = person.decisions.get()
    will = person.will_expressions.get()
    assessment = person.risk_assessments.get(country="KR")
    acceptance = decision.acceptance

    assert_event(
        the_event("case.legal_assign", case, person), actor=people.registrar, obj=case,
        fields=["legal_organisation"],
    )  # fmt: skip
    assert_event(
        the_event("will.record", will, person), actor=people.interviewer, obj=will,
        fields=["wish", "destinations_preferred", "destinations_refused", "certainty",
                "statement", "verified", "source", "setting"],
    )  # fmt: skip
    assert_event(
        the_event("assessment.record", assessment, person), actor=people.legal_officer,
        obj=assessment, fields=["country", "persecution_risk", "onward_transfer_risk", "basis"],
    )  # fmt: skip
    assert_event(
        the_event("decision.take", decision, person), actor=people.decision_maker,
        obj=decision, fields=["kind", "destination", "reason"],
    )  # fmt: skip
    assert_event(
        the_event("acceptance.record", acceptance, person), actor=people.receiving_officer,
        obj=acceptance, fields=["reference"],
    )  # fmt: skip
    assert_event(
        the_event("transfer.schedule", transfer, person), actor=people.planner, obj=transfer,
        fields=["kind", "destination", "transit", "scheduled_for"],
    )  # fmt: skip
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Postponed.")
    assert event_changes_opened(the_event("transfer.cancel", transfer, person)) == {
        "status": ["scheduled", "cancelled"], "reason": [None, "Postponed."],
    }  # fmt: skip
    again = services.transfer_schedule(
        actor=people.planner, person=person, destination="KR", scheduled_for=tomorrow()
    )
    services.transfer_execute(actor=people.planner, transfer=again, **handover(again))
    assert_event(
        the_event("transfer.execute", again, person), actor=people.planner, obj=again,
        fields=["status"],
    )  # fmt: skip

    transitions = events(person, action="case.transition").order_by("id")
    assert [e.changes["state"] for e in transitions] == [
        [a, b] for a, b in zip(
            [CaseState.REGISTERED, CaseState.NOTIFIED, CaseState.AWAITING_INTERVIEW,
             CaseState.WILL_VERIFIED, CaseState.LEGAL_ASSESSMENT, CaseState.DECIDED,
             CaseState.ACCEPTED, CaseState.TRANSFER_SCHEDULED, CaseState.ACCEPTED,
             CaseState.TRANSFER_SCHEDULED],
            [CaseState.NOTIFIED, CaseState.AWAITING_INTERVIEW, CaseState.WILL_VERIFIED,
             CaseState.LEGAL_ASSESSMENT, CaseState.DECIDED, CaseState.ACCEPTED,
             CaseState.TRANSFER_SCHEDULED, CaseState.ACCEPTED, CaseState.TRANSFER_SCHEDULED,
             CaseState.TRANSFERRED],
            strict=True,
        )
    ]  # fmt: skip
    assert all(e.changes["reason"][1] for e in transitions)
    assert transitions.first().actor == people.registrar
    assert transitions.last().actor == people.planner


def test_a_withdrawal_and_the_reopening_it_causes_are_audited(people):
    person, transfer = scheduled(people, "KR")
    will = person.will_expressions.get()
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Coerced.")
    assert_event(
        the_event("will.withdraw", will, person), actor=people.interviewer, obj=will,
        fields=["withdrawn", "reason"],
    )  # fmt: skip
    cancel = the_event("transfer.cancel", transfer, person)
    assert cancel.actor == people.interviewer
    reopening = events(person, action="case.transition").last()
    assert reopening.changes["state"] == [
        CaseState.TRANSFER_SCHEDULED,
        CaseState.AWAITING_INTERVIEW,
    ]
    assert reopening.actor == people.interviewer


def test_a_refused_operation_leaves_no_event(people):
    person = register(people.registrar)
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is the count
        step(people.outsider, person, CaseState.NOTIFIED)
    with pytest.raises(Exception):  # noqa: B017
        assess(people.legal_officer, person, "KR")
    assert AuditEvent.objects.count() == before


# --- masking ----------------------------------------------------------------------------------


def test_the_statement_and_the_next_of_kin_are_masked(people):
    person = register(people.registrar, next_of_kin=f"Wife {MARKER}")
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    will = record_will(people.interviewer, person, statement=f"I fear {MARKER}")
    person_update(
        actor=people.registrar, person=Person.objects.get(pk=person.pk), expected_version=1,
        next_of_kin=f"Brother {MARKER}",
    )  # fmt: skip
    assert the_event("will.record", will).changes["statement"] == [MASK, MASK]
    assert the_event("person.register", person).changes["next_of_kin"] == [MASK, MASK]
    assert the_event("person.update", person).changes == {"next_of_kin": [MASK, MASK]}


def test_sensitive_values_never_reach_the_audit_table(people):
    person = register(people.registrar, next_of_kin=f"Wife {MARKER} in Sinuiju")
    services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    will = record_will(people.interviewer, person, statement=f"My family {MARKER} is at risk.")
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Error.")
    record_will(people.interviewer, person, statement=f"Again: {MARKER}.")
    person_update(
        actor=people.registrar, person=Person.objects.get(pk=person.pk), expected_version=1,
        next_of_kin=f"Brother {MARKER}",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuditEvent._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    assert len(rows) >= 8
    assert not [row for row in rows if MARKER in repr(row) or "Sinuiju" in repr(row)]
    assert will.statement.endswith("is at risk.")  # the record itself keeps it


# --- the helpers, without services ------------------------------------------------------------


def test_changes_between_lists_only_changed_fields_and_masks_sensitive_ones():
    before = {"rank": "Sergeant", "unit": "11th", "next_of_kin": "old"}
    after = {"rank": "Major", "unit": "11th", "next_of_kin": "new"}
    assert changes_between(before, after, ["next_of_kin"]) == {
        "rank": ["Sergeant", "Major"],
        "next_of_kin": [MASK, MASK],
    }
    assert changes_between(before, before, ["next_of_kin"]) == {}


def test_created_changes_start_from_nothing_and_mask():
    person = Person(rank="Private", next_of_kin="secret", birth_date=datetime.date(2000, 1, 1))
    assert created_changes(person, ["rank", "next_of_kin", "birth_date"], ["next_of_kin"]) == {
        "rank": [None, "Private"],
        "next_of_kin": [MASK, MASK],
        "birth_date": [None, "2000-01-01"],
    }


def test_an_event_without_an_actor_is_recorded_as_the_system(people):
    person = register(people.registrar)
    event = audit_record(actor=None, action="system.check", obj=person, person=person)
    assert (event.actor, event.actor_username, event.organisation) == (None, "system", None)
    assert event.changes == {}
