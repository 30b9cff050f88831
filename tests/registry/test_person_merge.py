"""The registry's half of a merge: the absorbed record points at the survivor, and its names
become his with their source (tests/tracing/test_merge_person.py: the review that asks for it)."""

import pytest
from django.db import transaction

from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person
from safepassage.registry.services import person_merge
from tests.factories import register


def merge(people, survivor, absorbed):
    with transaction.atomic():
        person_merge(actor=people.registrar, survivor=survivor, absorbed=absorbed, reason="same")


def test_it_points_the_absorbed_record_at_the_survivor_and_copies_his_names(people):
    survivor = register(people.registrar, family="Kim")
    absorbed = register(people.registrar, family="Gim")
    merge(people, survivor, absorbed)
    absorbed.refresh_from_db()
    assert absorbed.merged_into == survivor and absorbed.version == 2
    copied = survivor.names.get(family_name="Gim")
    assert copied.merged_from == absorbed and copied.source == absorbed.registry_number
    assert "gim" in Person.objects.get(pk=survivor.pk).search_text
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="person.")][-2:] == [
        "person.merge",
        "person.name_add",
    ]


def test_records_merged_before_into_the_absorbed_one_follow_him_to_the_survivor(people):
    survivor, absorbed, earlier = (register(people.registrar) for _ in range(3))
    merge(people, absorbed, earlier)
    absorbed.refresh_from_db()
    merge(people, survivor, absorbed)
    assert Person.objects.get(pk=earlier.pk).merged_into == survivor


def test_it_refuses_a_record_already_merged(people):
    survivor, absorbed, other = (register(people.registrar) for _ in range(3))
    merge(people, other, absorbed)
    absorbed.refresh_from_db()
    with pytest.raises(DomainError, match="already been merged"):
        merge(people, survivor, absorbed)


def test_it_refuses_records_of_two_detaining_powers(people):
    ours = register(people.registrar)
    theirs = register(people.outsider)
    with pytest.raises(DomainError, match="two detaining powers"):
        merge(people, ours, theirs)
