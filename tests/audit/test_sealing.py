"""Identifying values in audit events are sealed under a key per person: stored sealed, hashed
sealed, read by auditors while the key exists, and unreadable everywhere once it is gone."""

from django.urls import reverse

from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent, PersonKey
from safepassage.audit.sealing import event_changes_opened, person_key_destroy
from safepassage.audit.selectors import audit_event_list, audit_events_as_seen
from safepassage.audit.services import MASK, audit_record
from safepassage.registry.services import person_update
from tests.factories import force_login_fresh, register

UNIT = "Sealed-Unit-Marker-5521"


def _updated(people):
    person = register(people.registrar)
    person_update(actor=people.registrar, person=person, expected_version=1, unit=UNIT)
    return person, AuditEvent.objects.get(action="person.update", person=person)


def test_an_identifying_value_is_stored_sealed_and_hashed_as_stored(people):
    person, event = _updated(people)
    old, new = event.changes["unit"]
    assert old == "" and new.startswith("sealed:") and UNIT not in new
    assert PersonKey.objects.filter(person=person).exists()
    assert audit_chain_verify().intact


def test_an_auditor_reads_it_while_the_key_exists_and_the_mask_after(people):
    person, event = _updated(people)
    (seen,) = [
        e
        for e in audit_events_as_seen(
            actor=people.auditor, events=audit_event_list(actor=people.auditor)
        )
        if e.pk == event.pk
    ]
    assert seen.changes["unit"] == ["", UNIT]
    person_key_destroy(person)
    (after,) = [
        e
        for e in audit_events_as_seen(
            actor=people.auditor, events=[AuditEvent.objects.get(pk=event.pk)]
        )
    ]
    assert after.changes["unit"] == ["", MASK]
    assert audit_chain_verify().intact  # no event changed


def test_the_audit_page_shows_the_opened_value(people, client):
    _updated(people)
    force_login_fresh(client, people.auditor)
    page = client.get(reverse("audit:audit_list")).content.decode()
    assert UNIT in page


def test_a_value_sealed_for_one_person_does_not_open_for_another(people):
    person, event = _updated(people)
    other = register(people.registrar, family="Pak")
    audit_record(actor=people.registrar, action="test.noop", obj=other, person=other,
                 changes={"unit": ["", "x"]})  # fmt: skip
    copied = AuditEvent(person=other, changes={"unit": event.changes["unit"]})
    assert event_changes_opened(copied) == {"unit": ["", MASK]}


def test_an_event_without_a_person_keeps_its_values_and_makes_no_key(people):
    person = register(people.registrar)
    keys = PersonKey.objects.count()
    event = audit_record(actor=people.registrar, action="test.noop", obj=person,
                         changes={"reason": [None, "plain"]})  # fmt: skip
    assert event.changes == {"reason": [None, "plain"]}
    assert PersonKey.objects.count() == keys
