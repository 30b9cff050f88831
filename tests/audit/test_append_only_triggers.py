"""The audit table refuses UPDATE and DELETE in the database, whoever sends them."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from safepassage.audit.integrity import append_only_triggers_missing
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from tests.audit.tamper import TABLE, append_only_suspended
from tests.factories import register


@pytest.fixture
def event(people):
    person = register(people.registrar)
    return audit_record(actor=people.registrar, action="test.append", obj=person, person=person)


def refused(sql: str, params=()) -> str:
    """Run raw SQL in a savepoint and return the database's refusal."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(caught.value)


def test_a_raw_update_is_refused(event):
    message = refused(f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s", [event.pk])  # noqa: S608
    assert "audit log is append-only: UPDATE refused" in message
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append"


def test_a_raw_update_of_the_hashes_is_refused(event):
    assert "append-only" in refused(f"UPDATE {TABLE} SET hash = prev_hash")  # noqa: S608


def test_a_raw_delete_is_refused(event):
    message = refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
    assert "audit log is append-only: DELETE refused" in message
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_orm_cannot_update_or_delete_either(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="forged")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.all().delete()
    event.object_repr = "forged"
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).object_repr != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_on_postgresql(event):
    refusal = pytest.raises(DatabaseError, match="append-only: TRUNCATE refused")
    with refusal, transaction.atomic(), connection.cursor() as cursor:
        # Settle the deferred foreign-key checks of this test's inserts, which would
        # otherwise stop the TRUNCATE before the trigger is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_triggers_are_in_place_after_every_migration(db):
    # On SQLite a later migration that alters the table rebuilds it without its triggers.
    assert append_only_triggers_missing() == set()


def test_dropped_triggers_are_noticed(db):
    with append_only_suspended():
        assert append_only_triggers_missing()
    assert append_only_triggers_missing() == set()


def test_inserting_is_still_allowed(event, people):
    second = audit_record(actor=people.registrar, action="test.again", obj=event.person)
    assert second.seq == event.seq + 1
