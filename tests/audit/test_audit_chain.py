"""Every append extends one hash chain: gapless sequence, each event linked to the one before."""

import threading

import pytest
from django.db import connection, connections, transaction

from safepassage.audit.integrity import audit_chain_verify, event_content_of
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from safepassage.cases import services
from safepassage.cases.models import CaseState
from safepassage.lib.chain import GENESIS, event_hash
from safepassage.registry.services import NameInput, person_name_add, person_update
from tests.audit.tamper import triggers_create, triggers_drop
from tests.cases.builders import scheduled
from tests.factories import handover, register, step


def test_the_services_append_a_chain_that_verifies(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))
    person_update(actor=people.registrar, person=person, expected_version=1, rank="Major")
    person_name_add(actor=people.registrar, person=person, name=NameInput(family_name="김"))
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) > 15
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(e.prev_hash == before.hash for before, e in zip(events, events[1:]))  # noqa: B905
    result = audit_chain_verify()
    assert (result.intact, result.count, result.head_hash) == (True, len(events), events[-1].hash)


def test_the_hash_covers_the_event_as_the_table_returns_it(people):
    person = register(people.registrar, family="Ри", given="Чол Су")
    step(people.registrar, person, CaseState.NOTIFIED)
    for stored in AuditEvent.objects.all():
        assert event_hash(stored.prev_hash, event_content_of(stored)) == stored.hash


def test_changes_are_stored_as_they_read_back(people):
    person = register(people.registrar)
    event = audit_record(
        actor=people.registrar, action="test.shapes", obj=person,
        changes={"b": ("x", "y"), "a": [1, 2.5], "c": {"z": None, "é": True}},
    )  # fmt: skip
    assert event.changes == {"a": [1, 2.5], "b": ["x", "y"], "c": {"z": None, "é": True}}
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes == event.changes
    assert stored.hash == event.hash == event_hash(stored.prev_hash, event_content_of(stored))


def test_numbers_hash_alike_on_every_database(people):
    # PostgreSQL's jsonb reads 1e+20 back as an integer and -0.0 as 0.0.
    person = register(people.registrar)
    numbers = {"big": 1e20, "zero": -0.0, "half": 2.5, "small": 1.5e-7, "whole": 3.0}
    event = audit_record(actor=people.registrar, action="test.numbers", obj=person, changes=numbers)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes == {"big": 10**20, "zero": 0, "half": 2.5, "small": 1.5e-7, "whole": 3}
    assert event_hash(stored.prev_hash, event_content_of(stored)) == stored.hash
    assert audit_chain_verify().intact


def test_a_rolled_back_append_leaves_no_gap(people):
    person = register(people.registrar)
    before = AuditEvent.objects.order_by("seq").last()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=people.registrar, action="test.lost", obj=person)
        raise RuntimeError("the change fails after its event was written")
    after = audit_record(actor=people.registrar, action="test.kept", obj=person)
    assert (after.seq, after.prev_hash) == (before.seq + 1, before.hash)
    assert audit_chain_verify().intact


# --- two writers at once (PostgreSQL: real connections and commits) ----------------------------


@pytest.fixture
def triggers_back_after_flush(django_db_blocker):
    """Requested before `committed`, so its teardown runs after pytest-django's flush."""
    yield
    with django_db_blocker.unblock():
        triggers_create()


@pytest.fixture
def committed(triggers_back_after_flush, transactional_db):
    """Really committed data; the flush (TRUNCATE) that ends the test must pass the triggers."""
    yield
    triggers_drop()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_writers_at_once_do_not_fork_the_chain(committed, people):
    person = register(people.registrar)
    first_appended = threading.Event()
    release_first = threading.Event()
    errors: list[BaseException] = []

    def writer(action: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action=action, obj=person)
                if hold:
                    first_appended.set()
                    release_first.wait(timeout=10)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=writer, args=("test.first", True))
    second = threading.Thread(target=writer, args=("test.second", False))
    first.start()
    assert first_appended.wait(timeout=10)
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the second writer must wait for the first to commit"
    release_first.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert not errors, errors
    tail = list(AuditEvent.objects.order_by("-seq")[:2])
    assert [e.action for e in tail] == ["test.second", "test.first"]
    assert tail[0].prev_hash == tail[1].hash
    assert audit_chain_verify().intact
