"""Rows written by the bulk inserter (the seed, the import) are sealed for their own row too."""

import pytest
from django.db import connection

from safepassage.lib.crypto import CryptoError
from safepassage.ops.seeding import registry_seed
from safepassage.registry.models import Person


def test_seeded_next_of_kin_open_in_their_row_and_not_in_another(orgs):
    registry_seed(persons=3, organisation=orgs.detaining, batch_size=2)
    persons = list(Person.objects.order_by("pk"))
    assert all(p.next_of_kin for p in persons)
    first, second = persons[0].pk, persons[1].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET next_of_kin = "
            "(SELECT next_of_kin FROM registry_person WHERE id = %s) WHERE id = %s",
            [second, first],
        )
    with pytest.raises(CryptoError, match=f"registry_person.next_of_kin#{first}"):
        Person.objects.get(pk=first)
