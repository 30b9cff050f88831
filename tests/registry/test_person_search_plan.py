"""On PostgreSQL the person search looks up the trigram index with a pattern of three letters
or more, also for a Korean name typed with a space (every word under three letters: alone, the
index could only be read whole)."""

import re

import pytest
from django.db import connection, transaction

from safepassage.registry.models import Person
from safepassage.registry.selectors import search_condition
from tests.factories import register

# An index condition with a LIKE pattern holding three letters in a row.
_SELECTIVE = re.compile(r"Index Cond: .*~~ '%[^']*[^\s%']{3}[^']*%'")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
@pytest.mark.parametrize("query", ["김 철수", "철수 김", "김철수", "kovalev", "kim chol su"])
def test_the_search_looks_up_the_trigram_index_with_three_letters(query, people):
    register(people.registrar, family="김", given="철수")
    with transaction.atomic(), connection.cursor() as cursor:
        # On a table this small a scan is cheapest: forbid scans of the table and whole-index
        # walks, and see how the trigram index is asked (a bitmap scan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Person.objects.filter(search_condition(query)).order_by().explain()
    assert "registry_person_search_trgm" in plan and _SELECTIVE.search(plan), plan
