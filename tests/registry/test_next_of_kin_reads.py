"""The registry hands out a next of kin only through selectors that record the read."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.registry.selectors import next_of_kin_listed, next_of_kin_shown
from tests.factories import register

pytestmark = pytest.mark.django_db
NEXT_OF_KIN = "Mother, Sinuiju"


def _reads(user) -> list[tuple[str, list[str]]]:
    events = AuditEvent.objects.filter(actor=user, action="read.person").order_by("seq")
    return [(e.object_id, e.changes["read"][1]) for e in events]


def test_showing_his_next_of_kin_records_the_read(people):
    kim = register(people.registrar, next_of_kin=NEXT_OF_KIN)
    assert next_of_kin_shown(actor=people.registrar, person=kim)
    assert _reads(people.registrar) == [(str(kim.pk), ["next_of_kin"])]


def test_a_reader_without_the_need_to_know_is_not_shown_it_and_nothing_is_recorded(people):
    kim = register(people.registrar, next_of_kin=NEXT_OF_KIN)
    assert not next_of_kin_shown(actor=people.planner, person=kim)
    assert _reads(people.planner) == []


def test_an_empty_next_of_kin_is_no_read(people):
    kim = register(people.registrar)
    assert next_of_kin_shown(actor=people.registrar, person=kim)
    assert _reads(people.registrar) == []


def test_a_listed_page_records_each_next_of_kin_it_shows(people):
    kim = register(people.registrar, next_of_kin=NEXT_OF_KIN)
    ri = register(people.registrar, family="Ri")
    assert next_of_kin_listed(actor=people.registrar, persons=[kim, ri])
    assert _reads(people.registrar) == [(str(kim.pk), ["next_of_kin"])]
    assert not next_of_kin_listed(actor=people.planner, persons=[kim, ri])
    assert _reads(people.planner) == []
