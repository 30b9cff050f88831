"""Which persons stand for themselves, and the record that stands for a merged one."""

import pytest
from django.utils import timezone

from safepassage.access.visibility import live_persons_visible_to, persons_visible_to, survivor_for
from safepassage.registry.models import Person
from tests.factories import register

pytestmark = pytest.mark.django_db


def _merge(absorbed: Person, survivor: Person) -> None:
    Person.objects.filter(pk=absorbed.pk).update(merged_into=survivor, merged_at=timezone.now())


@pytest.fixture
def merged(people):
    """Kim registered twice; the second record was merged into the first."""
    survivor = register(people.registrar, family="Kim")
    absorbed = register(people.registrar, family="Kim")
    _merge(absorbed, survivor)
    return survivor, Person.objects.get(pk=absorbed.pk)


def test_the_live_persons_leave_out_a_merged_record(people, merged):
    survivor, absorbed = merged
    assert set(persons_visible_to(people.registrar)) == {survivor, absorbed}
    assert set(live_persons_visible_to(people.registrar)) == {survivor}


def test_the_live_persons_are_no_more_than_he_may_see(people, merged):
    assert not live_persons_visible_to(people.outsider).filter(pk=merged[0].pk).exists()


def test_a_record_never_merged_stands_for_himself_without_a_query(
    people, merged, django_assert_num_queries
):
    survivor, _absorbed = merged
    with django_assert_num_queries(0):
        assert survivor_for(survivor) is survivor


def test_a_merged_record_leads_to_his_survivor(merged):
    survivor, absorbed = merged
    assert survivor_for(absorbed) == survivor


def test_the_survivor_is_looked_up_only_among_the_persons_given(people, merged):
    _survivor, absorbed = merged
    with pytest.raises(Person.DoesNotExist):
        survivor_for(absorbed, among=Person.objects.none())


def test_fresh_reads_a_merge_the_loaded_object_does_not_know_of(people):
    survivor = register(people.registrar, family="Kim")
    loaded = register(people.registrar, family="Kim")
    _merge(loaded, survivor)
    assert survivor_for(loaded) is loaded  # as loaded, before the merge
    assert survivor_for(loaded, fresh=True) == survivor
