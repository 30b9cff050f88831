"""The person a request names: 404 when unseen, 403 when the action is not his, the survivor for
a merged record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can
from safepassage.registry.models import Person
from tests.factories import register

pytestmark = pytest.mark.django_db


def test_it_finds_him_by_registry_number_or_by_id(people):
    kim = register(people.registrar)
    assert person_for(people.registrar, kim.registry_number) == kim
    assert person_for(people.registrar, pk=kim.pk) == kim


def test_it_answers_404_for_the_outsider_and_403_for_an_action_not_his(people):
    kim = register(people.registrar)
    with pytest.raises(Http404):
        person_for(people.outsider, kim.registry_number)
    with pytest.raises(PermissionDenied):
        person_for(people.planner, kim.registry_number, Action.PERSON_EDIT)


def test_a_merged_record_s_number_leads_to_the_survivor(people):
    survivor = register(people.registrar, family="Kim")
    absorbed = register(people.registrar, family="Kim")
    Person.objects.filter(pk=absorbed.pk).update(merged_into=survivor, merged_at=timezone.now())
    assert person_for(people.registrar, absorbed.registry_number) == survivor
    assert person_for(people.registrar, pk=absorbed.pk) == survivor


def test_the_person_it_gives_needs_no_second_visibility_query(people, django_assert_num_queries):
    kim = register(people.registrar)
    loaded = person_for(people.registrar, kim.registry_number)
    with django_assert_num_queries(0):
        assert can(people.registrar, Action.PERSON_EDIT, loaded)


def test_a_malformed_id_is_a_404(people):
    with pytest.raises(Http404):
        person_for(people.registrar, pk="not a number")
