import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.audit.sealing import event_changes_opened
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.registry.models import Person
from safepassage.registry.services import NameInput, person_name_add, person_update
from tests.factories import register


def update(actor, person, version, **fields):
    return person_update(actor=actor, person=person, expected_version=version, **fields)


def test_it_updates_fields_and_bumps_the_version(people):
    person = register(people.registrar)
    updated = update(people.registrar, person, 1, rank="Lieutenant", unit="11th Corps")
    assert (updated.rank, updated.unit, updated.version) == ("Lieutenant", "11th Corps", 2)
    person.refresh_from_db()
    assert person.version == 2


def test_a_stale_version_raises_a_conflict_and_overwrites_nothing(people):
    person = register(people.registrar)
    update(people.registrar, person, 1, rank="Lieutenant")
    with pytest.raises(ConflictError, match="Someone else changed this record"):
        update(people.registrar, person, 1, rank="Private")
    person.refresh_from_db()
    assert (person.rank, person.version) == ("Lieutenant", 2)
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_an_update_without_changes_keeps_the_version_and_writes_no_event(people):
    person = register(people.registrar, rank="Sergeant")
    unchanged = update(people.registrar, person, 1, rank="Sergeant")
    assert unchanged.version == 1
    assert not AuditEvent.objects.filter(action="person.update").exists()


@pytest.mark.parametrize("field", ["birth_date", "capture_date"])
def test_it_refuses_a_date_in_the_future(people, field):
    person = register(people.registrar)
    with pytest.raises(DomainError, match="future"):
        update(people.registrar, person, 1, **{field: timezone.localdate() + datetime.timedelta(1)})
    person.refresh_from_db()
    assert getattr(person, field) is None and person.version == 1


def test_it_refuses_a_capture_before_the_recorded_birth(people):
    person = register(people.registrar, birth_date=datetime.date(2000, 1, 1))
    with pytest.raises(DomainError, match="before the date of birth"):
        update(people.registrar, person, 1, capture_date=datetime.date(1999, 1, 1))


def test_it_refuses_unknown_fields(people):
    person = register(people.registrar)
    with pytest.raises(DomainError, match="Unknown fields"):
        update(people.registrar, person, 1, registry_number="UA-1-1")


def test_the_audit_event_masks_the_next_of_kin(people):
    person = register(people.registrar)
    update(people.registrar, person, 1, next_of_kin="Mother: Kim Ok Sun, Sinuiju", rank="Major")
    event = AuditEvent.objects.get(action="person.update")
    assert event.changes["next_of_kin"] == ["•••", "•••"]
    assert event_changes_opened(event) == {"next_of_kin": ["•••", "•••"], "rank": ["", "Major"]}
    assert "Sinuiju" not in str(event.changes) and "Major" not in str(event.changes)


def test_the_outsider_may_not_update(people):
    person = register(people.registrar)
    with pytest.raises(PermissionDenied):
        update(people.outsider, person, 1, rank="Private")
    person.refresh_from_db()
    assert person.rank == ""


@pytest.mark.parametrize("who", ["interviewer", "decision_maker", "legal_officer"])
def test_only_the_detaining_registrar_updates(people, who):
    person = register(people.registrar)
    with pytest.raises(PermissionDenied):
        update(getattr(people, who), person, 1, rank="Private")


def test_adding_a_name_bumps_the_version_and_refreshes_the_search_text(people):
    person = register(people.registrar)
    name = person_name_add(
        actor=people.registrar,
        person=person,
        name=NameInput(family_name="Ооржак", given_name="Алдар", is_assumed_identity=True),
    )
    assert (name.script, name.position, name.is_assumed_identity) == ("Cyrl", 1, True)
    person = Person.objects.get(pk=person.pk)
    assert person.version == 2
    assert "ооржак" in person.search_text
    with pytest.raises(ConflictError):
        update(people.registrar, person, 1, rank="Private")


def test_the_outsider_may_not_add_a_name(people):
    person = register(people.registrar)
    with pytest.raises(PermissionDenied):
        person_name_add(actor=people.outsider, person=person, name=NameInput(family_name="X"))
