"""Draft → proposed → counter-proposal → agreed → executed: each step audited and guarded;
at the handover each entry is confirmed; a man who refuses is taken off, stays, and is heard."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case, CaseState, TransferKind, TransferStatus, WillExpression
from safepassage.exchanges import services
from safepassage.exchanges.models import BatchState, EntryStatus, ExclusionReason, Side
from safepassage.lib.errors import DomainError
from tests.cases.builders import state_of
from tests.exchanges.builders import ORIGIN, agreement, returning, theirs
from tests.factories import assess


@pytest.fixture
def agreed(people):
    """Two returning men and two of theirs, planned 1 for 1 and agreed."""
    first, second = returning(people), returning(people)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    theirs(deal, people.planner, "T1")
    theirs(deal, people.planner, "T2")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    services.batch_step(actor=people.planner, batch=batch, target=BatchState.PROPOSED,
                        reason="Sent.")  # fmt: skip
    services.batch_step(actor=people.planner, batch=batch, target=BatchState.COUNTER_PROPOSAL,
                        reason="They ask for the officers first.")  # fmt: skip
    services.batch_step(actor=people.planner, batch=batch, target=BatchState.AGREED,
                        reason="Signed in Istanbul.")  # fmt: skip
    return batch, first, second


def test_each_step_is_a_row_and_an_audit_event(people, agreed):
    batch, _first, _second = agreed
    steps = [(t.from_state, t.to_state) for t in batch.transitions.all()]
    assert steps == [("draft", "proposed"), ("proposed", "counter_proposal"),
                     ("counter_proposal", "agreed")]  # fmt: skip
    assert AuditEvent.objects.filter(action="exchange.batch.transition").count() == 3
    assert set(batch.entries.values_list("status", flat=True)) == {EntryStatus.AGREED}


def test_it_refuses_a_step_the_table_does_not_allow(people, agreed):
    batch, _first, _second = agreed
    with pytest.raises(DomainError, match="cannot become"):
        services.batch_step(actor=people.planner, batch=batch, target=BatchState.DRAFT,
                            reason="Back.")  # fmt: skip


def test_it_executes_only_after_every_entry_is_confirmed_and_records_each_transfer(people, agreed):
    batch, first, second = agreed
    with pytest.raises(DomainError, match="not confirmed"):
        services.batch_execute(actor=people.planner, batch=batch, reason="Done.")
    for entry in batch.entries.all():
        services.entry_handover_confirm(actor=people.planner, entry=entry)
    services.batch_execute(actor=people.planner, batch=batch, reason="Handed over at the border.")
    batch.refresh_from_db()
    assert batch.state == BatchState.EXECUTED
    for person in (first, second):
        assert state_of(person) == CaseState.TRANSFERRED
        transfer = person.transfers.get()
        assert (transfer.kind, transfer.status) == (TransferKind.EXCHANGE, TransferStatus.EXECUTED)
        assert transfer.destination.code == ORIGIN
        assert AuditEvent.objects.filter(person=person, action="transfer.execute").exists()
    assert set(batch.entries.values_list("status", flat=True)) == {EntryStatus.EXECUTED}


def test_a_new_assessment_after_the_agreement_takes_him_off_the_batch_at_once(people, agreed):
    batch, first, _second = agreed
    for entry in batch.entries.all():
        services.entry_handover_confirm(actor=people.planner, entry=entry)
    assess(people.legal_officer, first, ORIGIN, persecution="high")
    entry = batch.entries.get(person=first)
    assert entry.status == EntryStatus.REMOVED
    assert "high-risk" in entry.removed_reason
    services.batch_execute(actor=people.planner, batch=batch, reason="Done.")
    batch.refresh_from_db()
    assert batch.state == BatchState.EXECUTED
    assert not first.transfers.exists()
    assert state_of(first) != CaseState.TRANSFERRED


def test_a_man_who_refuses_at_the_last_moment_is_taken_off_stays_and_is_heard(people, agreed):
    batch, first, second = agreed
    entry = batch.entries.get(person=first)
    services.entry_refusal_record(
        actor=people.interviewer, entry=entry,
        statement="I will not go back. They will shoot me.",
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
    will = WillExpression.objects.filter(person=first).latest("id")
    assert will.statement == "I will not go back. They will shoot me."
    assert ORIGIN in {c.code for c in will.destinations_refused}
    assert not will.verified  # at the bus, not a private interview: evidence, not the verdict
    # He stays: his case is not moved, and the exchange goes on without him.
    for other in batch.entries.exclude(pk=entry.pk):
        services.entry_handover_confirm(actor=people.planner, entry=other)
    services.batch_execute(actor=people.planner, batch=batch, reason="Handed over.")
    assert not first.transfers.exists()
    assert Case.objects.get(person=first).state != CaseState.TRANSFERRED
    assert state_of(second) == CaseState.TRANSFERRED
    # And no later batch puts him on the bus over his words.
    next_batch = services.batch_plan(actor=people.planner, agreement=batch.agreement)
    assert not next_batch.entries.filter(person=first).exists()
    # The planner reads that a state on the route is blocked for him, not which one.
    exclusion = next_batch.exclusions.get(candidate__person=first)
    assert exclusion.reason == ExclusionReason.ROUTE_BLOCKED
    assert ORIGIN not in exclusion.detail


def test_the_planner_cannot_record_a_refusal_and_theirs_cannot_refuse_here(people, agreed):
    from django.core.exceptions import PermissionDenied

    batch, first, _second = agreed
    with pytest.raises(PermissionDenied):
        services.entry_refusal_record(actor=people.planner, entry=batch.entries.get(person=first),
                                      statement="No.")  # fmt: skip
    with pytest.raises(DomainError, match="Only a person we hand over"):
        services.entry_refusal_record(
            actor=people.interviewer, entry=batch.entries.filter(side=Side.THEIRS).first(),
            statement="No.",
        )  # fmt: skip


def test_cancelling_a_batch_takes_everyone_off_and_frees_them(people, agreed):
    batch, first, _second = agreed
    services.batch_step(actor=people.planner, batch=batch, target=BatchState.CANCELLED,
                        reason="Talks broke down.")  # fmt: skip
    assert set(batch.entries.values_list("status", flat=True)) == {EntryStatus.REMOVED}
    again = services.batch_plan(actor=people.planner, agreement=batch.agreement)
    assert again.entries.filter(person=first).exists()
