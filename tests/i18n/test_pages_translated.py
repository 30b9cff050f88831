"""Switching to Ukrainian, Korean or Russian leaves no English message on the main pages.

The walk logs in as people of every organisation kind (tests/i18n/pages.py lists the pages),
renders each page in the language of the user's own setting (the login page in the browser's),
and looks in its visible text for the English msgids of the catalog.
"""

import pytest
from django.test import Client
from django.utils import translation
from django.views.defaults import server_error

from safepassage.accounts.models import User
from tests.factories import force_login_fresh
from tests.i18n.leftovers import english_finder, visible_segments
from tests.i18n.pages import PAGES
from tests.i18n.world import world_build

LANGUAGES = ["uk", "ko", "ru"]


@pytest.fixture(scope="module")
def finder():
    return english_finder()


def _client(people, who: str | None, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if who is not None:
        user = getattr(people, who)
        User.objects.filter(pk=user.pk).update(language=language)
        user.refresh_from_db()
        force_login_fresh(client, user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_message_is_left_on_the_main_pages(people, finder, language):
    # Built in the page language: what the system writes into the record (a step's reason, an
    # exclusion's explanation) is in the language of whoever took the step, as in real use.
    with translation.override(language):
        world = world_build(people)
    clients: dict[str | None, Client] = {}
    left, wrong, seen_guard = {}, {}, False
    for page in PAGES:
        client = clients.get(page.who) or clients.setdefault(
            page.who, _client(people, page.who, language)
        )
        url = page.url(world)
        response = client.get(url) if page.post is None else client.post(url, page.post)
        html = response.content.decode()
        if response.status_code != page.status or f'<html lang="{language}"' not in html:
            wrong[page.name] = f"{response.status_code} {url}"
            continue
        seen_guard = seen_guard or "alert--guard" in html
        found = finder.find(html)
        if found:
            left[page.name] = found
    assert not wrong, f"pages that did not render in {language}: {wrong}"
    assert seen_guard, "the guard's refusal was not shown: the page list no longer reaches it"
    assert not left, f"English left in {language} (page: msgids): {left}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_page_is_translated(rf, finder, language):
    with translation.override(language):
        html = server_error(rf.get("/")).content.decode()
    assert visible_segments(html)
    assert finder.find(html) == []


def test_the_walk_finds_an_english_message_when_one_is_left(people, finder):
    """The check itself: a page in English is full of msgids (this test fails if it finds none)."""
    world = world_build(people)
    client = _client(people, "registrar", "en")
    html = client.get(PAGES[9].url(world)).content.decode()
    found = finder.find(html)
    assert {"Identity", "Registry number", "Names", "Actions"} <= set(found)
