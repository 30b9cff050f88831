"""The duplicates queue: likely pairs inside the registry, found per detaining power by the
engine; verdicts kept across refreshes; pairs shown only to those who see both records."""

import datetime

import pytest

from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import selectors, services
from safepassage.tracing.models import DuplicatePair, PairStatus
from tests.factories import register
from tests.tracing.tracing_data import register_kim

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(people):
    """One man twice: a DPRK-style Latin list and his capture card in Hangul."""
    latin = register_kim(people.registrar)
    hangul = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="김", given_name="철수", source="capture card")],
        nationalities=["KP"],
        birth_date=datetime.date(1999, 4, 1),
        birth_date_precision="month",
        unit="Unit 1124",
    )
    return latin, hangul


def test_it_queues_a_likely_pair_across_scripts(people, twins):
    register(people.registrar, family="Pak", given="Yong Nam")
    assert services.duplicate_queue_refresh() == 1
    pair = DuplicatePair.objects.get()
    assert {pair.left, pair.right} == set(twins) and pair.left.pk < pair.right.pk
    assert pair.status == PairStatus.OPEN and 0.5 <= pair.probability <= 1
    assert {"family_name", "given_name"} <= {item["field"] for item in pair.explanation}


def test_a_refresh_adds_nothing_twice_and_keeps_verdicts(people, twins):
    services.duplicate_queue_refresh()
    pair = DuplicatePair.objects.get()
    services.duplicate_pair_decide(
        actor=people.registrar, pair=pair, same=False, reason="Brothers, born a year apart."
    )
    assert services.duplicate_queue_refresh() == 0
    pair.refresh_from_db()
    assert pair.status == PairStatus.DIFFERENT
    assert DuplicatePair.objects.count() == 1


def test_records_of_two_detaining_powers_are_never_paired(people):
    register_kim(people.registrar)
    register_kim(people.outsider)
    assert services.duplicate_queue_refresh() == 0


def test_a_merged_record_leaves_the_queue(people, twins):
    third = register_kim(people.registrar)
    services.duplicate_queue_refresh()
    first = selectors.duplicate_pair_list(actor=people.registrar).get(left=twins[0], right=twins[1])
    services.duplicate_pair_decide(
        actor=people.registrar, pair=first, same=True, reason="One man.", survivor=twins[0]
    )
    open_pairs = selectors.duplicate_pair_list(actor=people.registrar)
    assert all(twins[1].pk not in (p.left_id, p.right_id) for p in open_pairs)
    services.duplicate_queue_refresh()
    assert DuplicatePair.objects.filter(status=PairStatus.OPEN, left=twins[0], right=third).exists()


def test_the_queue_shows_a_pair_only_to_who_sees_both_records(people, twins):
    services.duplicate_queue_refresh()
    assert selectors.duplicate_pair_list(actor=people.registrar).count() == 1
    assert selectors.duplicate_pair_list(actor=people.outsider).count() == 0
