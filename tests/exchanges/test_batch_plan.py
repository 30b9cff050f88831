"""Planning a batch from the registry: the guard decides for each of ours, with his reasons."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.cases.guard import guard_check
from safepassage.exchanges import services
from safepassage.exchanges.eligibility import entry_movement
from safepassage.exchanges.models import BatchState, ExclusionReason, Side
from tests.cases.builders import awaiting_interview
from tests.exchanges.builders import (
    ORIGIN,
    TRANSIT,
    agreement,
    high_risk,
    refusing,
    returning,
    theirs,
    transit_risk,
    unverified,
    wishes_elsewhere,
)
from tests.factories import assess, record_will


@pytest.fixture
def pool(people):
    persons = {
        "returning": returning(people),
        "refusing": refusing(people),
        "unverified": unverified(people),
        "high_risk": high_risk(people),
        "transit_risk": transit_risk(people),
    }
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for ident in ("T1", "T2", "T3"):
        theirs(deal, people.planner, ident)
    return deal, persons


def reasons_of(batch):
    return {(x.candidate.external_id, x.reason) for x in batch.exclusions.all()}


def test_it_plans_only_whom_the_guard_lets_go_and_says_why_for_the_others(people, pool):
    deal, persons = pool
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    ours = [e.person for e in batch.entries.filter(side=Side.OURS)]
    assert ours == [persons["returning"]]
    assert batch.entries.filter(side=Side.THEIRS).count() == 1  # 1 for 1
    reasons = reasons_of(batch)
    number = {k: p.registry_number for k, p in persons.items()}
    # The planner may not read his will: a refusal is only "a state on the route is blocked".
    assert (number["refusing"], ExclusionReason.ROUTE_BLOCKED) in reasons
    assert (number["unverified"], ExclusionReason.NO_VERIFIED_WILL) in reasons
    assert (number["high_risk"], ExclusionReason.HIGH_RISK) in reasons
    assert (number["transit_risk"], ExclusionReason.TRANSIT_RISK) in reasons
    # Two of theirs wait for the ratio: the one of ours who may go is on the batch.
    assert {("T2", ExclusionReason.RATIO_REACHED), ("T3", ExclusionReason.RATIO_REACHED)} <= reasons
    assert batch.solver["optimal"] is True
    assert AuditEvent.objects.filter(action="exchange.entry.plan", person=persons["returning"])


def test_it_leaves_out_the_unfit_the_named_and_whoever_is_on_another_batch(people, pool):
    deal, persons = pool
    fit = returning(people)
    busy = returning(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    unfit = deal.candidates.get(person=fit)
    services.candidate_update(actor=people.planner, candidate=unfit, fit_to_travel=False,
                              category="conscript")  # fmt: skip
    other = agreement(people, title="Another exchange")
    services.pool_add_registry(actor=people.planner, agreement=other)
    theirs(other, people.planner, "X1")
    first = services.batch_plan(actor=people.planner, agreement=other)
    assert (
        first.entries.filter(person=busy).exists()
        or first.entries.filter(person=persons["returning"]).exists()
    )
    deal.excluded = "T1"
    deal.save()
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    reasons = reasons_of(batch)
    assert (fit.registry_number, ExclusionReason.MEDICALLY_UNFIT) in reasons
    assert ("T1", ExclusionReason.EXCLUDED_BY_AGREEMENT) in reasons
    assert any(r == ExclusionReason.IN_ANOTHER_BATCH for _id, r in reasons)


def test_it_keeps_a_group_together_and_drops_it_when_one_of_them_may_not_go(people, pool):
    deal, persons = pool
    brother = returning(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    deal.travel_together = f"{brother.registry_number}, {persons['refusing'].registry_number}"
    deal.save()
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert (brother.registry_number, ExclusionReason.GROUP_MEMBER_EXCLUDED) in reasons_of(batch)
    assert not batch.entries.filter(person=brother).exists()


def test_it_plans_a_draft_again_but_not_a_batch_sent_to_the_other_party(people, pool):
    deal, _persons = pool
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    again = services.batch_plan(actor=people.planner, agreement=deal, batch=batch)
    assert again.pk == batch.pk and again.entries.count() == 2
    services.batch_step(actor=people.planner, batch=batch, target=BatchState.PROPOSED,
                        reason="Sent through the ICRC.")  # fmt: skip
    with pytest.raises(Exception, match="not planned again"):
        services.batch_plan(actor=people.planner, agreement=deal, batch=batch)


def test_no_one_but_the_detaining_powers_planner_plans(people, pool):
    deal, _persons = pool
    # oscar holds every role, but at another detaining power: not his agreement.
    for user in (people.registrar, people.decision_maker, people.interviewer, people.outsider):
        with pytest.raises(PermissionDenied):
            services.batch_plan(actor=user, agreement=deal)


def test_every_planned_entry_of_ours_passes_the_guard(people, pool):
    deal, _persons = pool
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    for entry in batch.entries.filter(side=Side.OURS):
        assert entry.destination.code == ORIGIN
        assert guard_check(person=entry.person, movement=entry_movement(entry)) == []


def test_it_leaves_out_a_man_who_asked_to_go_elsewhere_though_he_refused_only_his_own_state(
    people,
):
    elsewhere = wishes_elsewhere(people)  # a Korean soldier asking for Korea
    # A Korean who names the other party's state and home: handed to it, he is handed on home,
    # which he asked for too; its transit states assessed, he goes.
    naming_it = awaiting_interview(people, nationalities=("KP",))
    record_will(people.interviewer, naming_it, preferred=(ORIGIN, "KP"))
    for state in (TRANSIT, ORIGIN):
        assess(people.legal_officer, naming_it, state)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for ident in ("T1", "T2"):
        theirs(deal, people.planner, ident)
    assert "refused" not in {v.rule for v in guard_check(person=elsewhere, destination=ORIGIN)}
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert [e.person for e in batch.entries.filter(side=Side.OURS)] == [naming_it]
    entry = batch.entries.get(person=naming_it)
    assert (entry.transit_codes, entry.destination.code) == ([TRANSIT, ORIGIN], "KP")
    reasons = {x.reason for x in batch.exclusions.filter(candidate__person=elsewhere)}
    assert ExclusionReason.ROUTE_BLOCKED in reasons  # not his wish, in words the planner may read
    assert all("KR" not in x.detail for x in batch.exclusions.all())  # his wish stays unsaid
