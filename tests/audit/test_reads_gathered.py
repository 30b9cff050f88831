"""A response that reads through several selectors writes the log once (`reads_gathered`):
the same events as one call each would append, in one append at the block's end; none when
the block fails (nothing was shown); another reader's reads are not held back."""

from unittest import mock

import pytest

from safepassage.audit import reads as audit_reads
from safepassage.audit.models import AuditEvent
from safepassage.audit.reads import SensitiveRead, reads_gathered, sensitive_reads_record
from tests.factories import register


def _read_events():
    return list(AuditEvent.objects.filter(action__startswith="read.").order_by("seq"))


def test_reads_gathered_are_appended_once_when_the_block_ends(db, people):
    kim = register(people.registrar, next_of_kin="Mother")
    other = register(people.registrar, family="Pak", next_of_kin="Father")
    spy = mock.patch.object(audit_reads, "audit_append", wraps=audit_reads.audit_append)
    with spy as append, reads_gathered(actor=people.registrar):
        sensitive_reads_record(actor=people.registrar, reads=[SensitiveRead(kim, "next_of_kin")])
        sensitive_reads_record(
            actor=people.registrar,
            reads=[SensitiveRead(other, "next_of_kin"), SensitiveRead(kim, "next_of_kin")],
        )
        assert _read_events() == []  # not yet: nothing has been shown
    assert append.call_count == 1
    events = _read_events()
    assert [e.object_id for e in events] == [str(kim.pk), str(other.pk)]  # once each
    assert {e.actor_id for e in events} == {people.registrar.pk}


def test_a_failed_block_records_nothing(db, people):
    kim = register(people.registrar, next_of_kin="Mother")
    with pytest.raises(RuntimeError), reads_gathered(actor=people.registrar):
        sensitive_reads_record(actor=people.registrar, reads=[SensitiveRead(kim, "next_of_kin")])
        raise RuntimeError("the page failed before it showed anything")
    assert _read_events() == []


def test_another_readers_reads_are_recorded_at_once(db, people):
    kim = register(people.registrar, next_of_kin="Mother")
    with reads_gathered(actor=people.registrar):
        sensitive_reads_record(actor=people.admin, reads=[SensitiveRead(kim, "next_of_kin")])
        assert [e.actor_id for e in _read_events()] == [people.admin.pk]
