"""Every list page and the person page make a bounded number of queries: no N+1.

Each page is measured with 3 rows and with 30; the count must not grow, and stays under a bound.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safepassage.accounts.models import Role
from safepassage.registry.services import NameInput, person_name_add
from tests.factories import make_user, record_will, register

MAX_QUERIES = 25


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    print(url, len(captured))  # noqa: T201 - shown with -s
    return len(captured)


def _grows(client, url, add_rows) -> tuple[int, int]:
    add_rows(3)
    few = _queries(client, url)
    add_rows(27)
    many = _queries(client, url)
    return few, many


def _persons(people, names=("Kim", "Chol Su")):
    def add(count):
        for _ in range(count):
            register(people.registrar, family=names[0], given=names[1], internment_place="Camp 3")

    return add


@pytest.mark.parametrize(
    "url",
    [
        "/persons/",
        "/persons/?q=kim+chol",
        "/persons/?q=kim&nationality=KP",
        "/persons/?status=registered&internment_place=camp",
    ],
)
def test_the_person_list_makes_the_same_queries_for_3_or_30_persons(db, people, login, url):
    client = login(people.registrar)
    few, many = _grows(client, url, _persons(people))
    assert few == many <= MAX_QUERIES


def test_the_person_page_makes_the_same_queries_for_3_or_30_names_and_wills(db, people, login):
    person = register(people.registrar)
    client = login(people.registrar)
    url = reverse("registry:person_detail", args=[person.registry_number])

    def add(count):
        for i in range(count):
            person_name_add(
                actor=people.registrar, person=person,
                name=NameInput(family_name="Kim", given_name=f"Alias {i}"),
            )  # fmt: skip
            record_will(people.interviewer, person, verified=False, statement=f"Press {i}.")

    few, many = _grows(client, url, add)
    assert few == many <= MAX_QUERIES


def test_the_audit_list_makes_the_same_queries_for_3_or_30_events(db, people, login):
    client = login(people.auditor)
    few, many = _grows(client, reverse("audit:audit_list"), _persons(people))
    assert few == many <= MAX_QUERIES


def test_the_members_page_makes_the_same_queries_for_3_or_30_members(db, people, login):
    client = login(people.admin)

    def add(count):
        for _ in range(count):
            make_user(people.admin.organisation, Role.REGISTRAR, Role.AUDITOR)

    few, many = _grows(client, reverse("accounts:members"), add)
    assert few == many <= MAX_QUERIES


def test_the_api_tokens_page_makes_the_same_queries_for_3_or_30_tokens(db, people, login):
    from safepassage.api.services import api_token_create

    client = login(people.registrar)

    def add(count):
        for i in range(count):
            api_token_create(user=people.registrar, name=f"partner {i}")

    few, many = _grows(client, reverse("tokens:api_tokens"), add)
    assert few == many <= MAX_QUERIES
