"""A list with nothing in it says what empty means and what to do next, with a link to the
action when the reader may take it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import force_login_fresh

# (who, the list, words that explain it, the action it links to or None)
EMPTY_LISTS = [
    ("registrar", "registry:person_list", "the registry shows the persons your organisation holds",
     "registry:person_new"),
    ("planner", "exchanges:agreement_list", "An agreement records the other party, the ratio",
     "exchanges:agreement_new"),
    ("interviewer", "tracing:request_list", "Record one when a family, a bureau",
     "tracing:request_new"),
    ("registrar", "tracing:duplicate_list", "Look for new pairs after new records arrive", None),
    ("registrar", "imports:job_list", "every row is checked and shown to you", "imports:upload"),
    ("registrar", "exports:index", "each export you make is listed here", None),
]  # fmt: skip


@pytest.mark.parametrize(("who", "route", "words", "action"), EMPTY_LISTS)
def test_an_empty_list_says_what_it_means_and_what_to_do(people, who, route, words, action):
    client = Client()
    force_login_fresh(client, getattr(people, who))
    page = client.get(reverse(route)).content.decode()
    assert words in page
    if action:
        # Its own words, beside the page's button: "Register the first prisoner of war".
        assert re.search(rf'<a href="{reverse(action)}">[^<]* first [^<]*</a>', page)


def test_an_empty_pool_links_to_filling_each_side(people):
    from tests.exchanges.builders import agreement

    deal = agreement(people)
    client = Client()
    force_login_fresh(client, people.planner)
    page = client.get(reverse("exchanges:agreement_detail", args=[deal.pk])).content.decode()
    assert "No one of ours is in the pool yet" in page
    assert "No one of theirs is in the pool yet" in page
    assert "No batch planned yet. Fill the pool" in page
