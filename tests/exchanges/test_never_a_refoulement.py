"""Whatever the pool, no entry of ours that is planned or executed is refused by his will,
high-risk or through a risky transit state, or lacks a verified will (property, hypothesis)."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.cases.guard import evaluate_movement, guard_facts
from safepassage.cases.models import CaseState
from safepassage.exchanges import services
from safepassage.exchanges.eligibility import entry_movement
from safepassage.exchanges.models import BatchState, EntryStatus, Side
from tests.exchanges import builders

KINDS = {
    "returning": builders.returning,
    "refusing": builders.refusing,
    "wishes_elsewhere": builders.wishes_elsewhere,
    "unverified": builders.unverified,
    "high_risk": builders.high_risk,
    "transit_risk": builders.transit_risk,
}
MAY_GO = {"returning"}
KIND_OF: dict[int, str] = {}


@settings(
    max_examples=6, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(
    kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=5),
    theirs=st.integers(0, 4),
    ratio=st.sampled_from([(1, 1), (1, 2), (2, 1)]),
)
def test_no_planned_or_executed_entry_is_ever_refused_or_at_risk(people, kinds, theirs, ratio):
    # Examples share the database: earlier examples' persons are in the pool too.
    for kind in kinds:
        KIND_OF[KINDS[kind](people).pk] = kind
    deal = builders.agreement(people, ratio_ours=ratio[0], ratio_theirs=ratio[1])
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for i in range(theirs):
        builders.theirs(deal, people.planner, f"T{i}")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    planned = {e.person_id for e in batch.entries.filter(side=Side.OURS)}
    assert all(KIND_OF[pk] in MAY_GO for pk in planned)
    if batch.entries.exists():
        services.batch_step(actor=people.planner, batch=batch, target=BatchState.PROPOSED,
                            reason="Sent.")  # fmt: skip
        services.batch_step(actor=people.planner, batch=batch, target=BatchState.AGREED,
                            reason="Signed.")  # fmt: skip
        for entry in batch.entries.all():
            services.entry_handover_confirm(actor=people.planner, entry=entry)
        services.batch_execute(actor=people.planner, batch=batch, reason="Done.")
    for entry in batch.entries.filter(side=Side.OURS):
        assert entry.status in (EntryStatus.PLANNED, EntryStatus.EXECUTED)
        # As the guard saw him before he went: still held.
        facts = replace(guard_facts(entry.person), case_state=CaseState.ACCEPTED)
        assert evaluate_movement(facts, entry_movement(entry)) == []
