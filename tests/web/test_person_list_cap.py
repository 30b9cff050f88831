"""A registry of a million: the person list counts at most a thousand matches, then says so."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safepassage.registry import views
from tests.factories import register


def test_below_the_cap_the_count_and_the_pages_are_exact(people, login, monkeypatch):
    monkeypatch.setattr(views, "PERSON_LIST_CAP", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(5):
        register(people.registrar, family=f"Ri{number}")
    html = login(people.registrar).get(reverse("registry:person_list")).content.decode()
    assert "5 persons" in html
    assert "Page 1 of 3" in html


def test_above_the_cap_it_says_more_than_and_pages_through_the_first_ones(
    people, login, monkeypatch
):
    monkeypatch.setattr(views, "PERSON_LIST_CAP", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(7):
        register(people.registrar, family=f"Pak{number}")
    client = login(people.registrar)
    response = client.get(reverse("registry:person_list"), {"q": "pak"})
    html = response.content.decode()
    assert "More than 4 persons: narrow the search to see them all." in html
    assert "Page 1<" in html and "Page 1 of" not in html
    last = client.get(reverse("registry:person_list"), {"q": "pak", "page": 2}).context["page"]
    assert [p.registry_number for p in last.object_list]  # the second page of the first four
    assert not last.has_next()


def test_the_count_reads_at_most_the_cap_and_one_more_row(people, login, monkeypatch):
    monkeypatch.setattr(views, "PERSON_LIST_CAP", 3)
    for number in range(6):
        register(people.registrar, family=f"Choe{number}")
    client = login(people.registrar)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("registry:person_list"))
    counts = [
        q["sql"]
        for q in captured
        if "COUNT(" in q["sql"].upper() and "notifications_notification" not in q["sql"]
    ]  # the header's unread notifications are counted apart
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]
    assert "ORDER BY" not in counts[0].upper()
