"""A number decides the form of the words it counts: "1 row", "2 rows"; Ukrainian and Russian
have three forms (one, few, many), Korean one. No message counts with a bracketed "(s)"."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import ngettext, override

from safepassage.lib.catalog import read_catalog
from tests.exchanges.builders import agreement, returning
from tests.factories import force_login_fresh
from tests.i18n.leftovers import catalog_path

# A placeholder, then a word with "(s)" or "(es)": a count that should have chosen its form.
BRACKETED = re.compile(r"%\(\w+\)[sd].*\b\w+\((s|es)\)")

COUNTED = [
    ("%(total)s row", "%(total)s rows"),
    ("%(n)s person added to the pool.", "%(n)s persons added to the pool."),
    ("%(count)s problem: nothing was imported. Correct the file and run again.",
     "%(count)s problems: nothing was imported. Correct the file and run again."),
    ("Search done: %(count)d candidate, %(likely)d above the threshold.",
     "Search done: %(count)d candidates, %(likely)d above the threshold."),
    ("%(count)s field needs attention: %(fields)s.",
     "%(count)s fields need attention: %(fields)s."),
    ("Last search, %(when)s: %(added)s new pair among your organisation's records.",
     "Last search, %(when)s: %(added)s new pairs among your organisation's records."),
]  # fmt: skip


def test_no_message_counts_with_a_bracketed_plural():
    bracketed = [e.msgid for e in read_catalog(catalog_path("uk")) if BRACKETED.search(e.msgid)]
    assert not bracketed


@pytest.mark.parametrize(("singular", "plural"), COUNTED)
@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_count_takes_one_few_and_many_forms(language, singular, plural):
    values = {
        "total": 0, "n": 0, "count": 0, "likely": 0, "fields": "name", "when": "today", "added": 0
    }  # fmt: skip
    with override(language):
        forms = []
        for n in (1, 3, 5):
            text = ngettext(singular, plural, n) % {**values, **dict.fromkeys(values, n),
                                                   "fields": "name", "when": "today"}  # fmt: skip
            assert str(n) in text and text not in (singular, plural)
            forms.append(text.replace(str(n), "#"))
        with override("en"):
            english = {ngettext(singular, plural, n) for n in (1, 2)}
    assert len(set(forms)) == 3, forms
    assert len(english) == 2


@pytest.mark.parametrize(("singular", "plural"), COUNTED)
def test_korean_has_one_form(singular, plural):
    with override("ko"):
        assert ngettext(singular, plural, 1) == ngettext(singular, plural, 5) != plural


def test_the_pool_says_one_person_in_the_singular_in_ukrainian(people):
    returning(people)
    deal = agreement(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="uk")
    force_login_fresh(client, people.planner)
    response = client.post(reverse("exchanges:pool_add_registry", args=[deal.pk]), follow=True)
    assert "До пулу додано 1 особу." in response.content.decode()
