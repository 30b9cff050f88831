"""Each person the planner leaves out is told the limit that binds for him, not a list of
possible ones; a batch with no one of theirs says so and is not proposed."""

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.exchanges import services
from safepassage.exchanges.models import BatchState, ExclusionReason
from safepassage.lib.errors import DomainError
from tests.exchanges.builders import agreement, returning, theirs
from tests.factories import force_login_fresh


def reasons_of(batch):
    return {x.candidate.external_id: x.reason for x in batch.exclusions.all()}


def page_of(user, batch) -> str:
    client = Client()
    force_login_fresh(client, user)
    return client.get(reverse("exchanges:batch_detail", args=[batch.pk])).content.decode()


def test_against_an_empty_other_side_each_of_ours_is_told_so_and_what_to_do(people):
    going = returning(people)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert reasons_of(batch) == {going.registry_number: ExclusionReason.OTHER_SIDE_EMPTY}
    detail = batch.exclusions.get().detail
    assert "No one of theirs may go" in detail and "Import the other side's list" in detail
    text = page_of(people.planner, batch)
    assert "ratio, maximum or capacity" not in text
    assert "No one on the other side may go: 1 person" in text  # the summary of reasons
    assert "No plan puts anyone on this batch yet" in text and "Best possible" not in text
    # Nothing to propose, and the page says why and links to the other side's list.
    assert reverse("exchanges:batch_step", args=[batch.pk, BatchState.PROPOSED]) not in text
    assert "No one of theirs is on the batch" in text
    assert reverse("exchanges:proposal_import", args=[deal.pk]) in text
    assert reverse("exchanges:pool_add_registry", args=[deal.pk]) not in text
    with pytest.raises(DomainError, match="No one of theirs is on the batch"):
        services.batch_step(actor=people.planner, batch=batch, target=BatchState.PROPOSED,
                            reason="Sent.")  # fmt: skip


def test_a_batch_with_no_one_of_theirs_offers_no_proposal_and_the_service_refuses_it(people):
    returning(people)
    deal = agreement(people, ratio_kind="all_for_all")
    services.pool_add_registry(actor=people.planner, agreement=deal)
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert batch.entries.count() == 1  # all for all: ours go, no one of theirs is listed
    text = page_of(people.planner, batch)
    propose = reverse("exchanges:batch_step", args=[batch.pk, BatchState.PROPOSED])
    assert propose not in text
    assert "No one of theirs is on the batch" in text
    assert reverse("exchanges:proposal_import", args=[deal.pk]) in text
    with pytest.raises(DomainError, match="No one of theirs is on the batch"):
        services.batch_step(actor=people.planner, batch=batch, target=BatchState.PROPOSED,
                            reason="Sent.")  # fmt: skip
    batch.refresh_from_db()
    assert batch.state == BatchState.DRAFT


def test_the_maximum_and_the_capacity_are_named_when_they_bind(people):
    for _ in range(3):
        returning(people)
    deal = agreement(people, max_per_side=2)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for ident in ("T1", "T2", "T3"):
        theirs(deal, people.planner, ident)
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert set(reasons_of(batch).values()) == {ExclusionReason.MAXIMUM_REACHED}
    assert "at most 2 per side" in batch.exclusions.first().detail

    seats = agreement(people, title="By bus", transport_capacity=2)
    services.pool_add_registry(actor=people.planner, agreement=seats)
    for ident in ("S1", "S2"):
        theirs(seats, people.planner, ident)
    # The first batch holds two of ours: one is left for this agreement's batch.
    bus = services.batch_plan(actor=people.planner, agreement=seats)
    assert bus.entries.count() == 2
    assert list(reasons_of(bus).values()).count(ExclusionReason.CAPACITY_FULL) == 1


def test_the_ratio_is_named_when_the_other_side_has_no_one_more(people):
    returning(people)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for ident in ("T1", "T2"):
        theirs(deal, people.planner, ident)
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    assert reasons_of(batch) == {"T2": ExclusionReason.RATIO_REACHED}
    assert "The ratio 1:1 is reached" in batch.exclusions.get().detail


def test_the_batch_page_says_in_words_that_the_plan_is_the_best_possible(people):
    returning(people)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    theirs(deal, people.planner, "T1")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    text = page_of(people.planner, batch)
    assert "Best possible plan found" in text
    assert "gap" not in text and "Proven optimal" not in text


def test_a_plan_stopped_by_the_time_limit_says_how_far_from_the_best_it_may_be():
    from safepassage.exchanges.views import solver_status

    words = solver_status({"optimal": False, "gap": 0.034, "levels": [], "seconds": 10})
    assert words.startswith("Good plan found, may not be the best: the time limit was reached")
    assert "3.4%" in words


def test_named_inclusions_beyond_the_maximum_say_what_to_change(people):
    first, second = returning(people), returning(people)
    deal = agreement(people, max_per_side=1)
    deal.included = f"{first.registry_number}\n{second.registry_number}"
    deal.save()
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for ident in ("T1", "T2"):
        theirs(deal, people.planner, ident)
    with pytest.raises(DomainError, match="No plan satisfies the agreement's limits: 2 persons"):
        services.batch_plan(actor=people.planner, agreement=deal)
