"""Who may open and submit the page of his capture card choice, checked for every user."""

import pytest
from django.urls import reverse

from safepassage.family import urls as family_urls
from safepassage.family.models import CaptureCardChoice
from tests.web.test_permissions import USERS, _parse, _secrets, check_matrix_row

# Kim is held by alice's detaining power; no NGO represents him and no state is named.
TABLE = """
url                 methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
capture_card_choice GET,POST 403   403    403   403  403    403  ok   403    404  404    404   404
"""
MATRIX = _parse(TABLE)
assert USERS


def _url(name, kim) -> str:
    return reverse(f"family:{name}", args=[kim.registry_number])


def test_the_matrix_covers_every_page_of_family_links():
    assert {p.name for p in family_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_family_page_admits_exactly_the_people_the_table_names(name, people, kim, login):
    methods, expected = MATRIX[name]
    check_matrix_row(name, _url(name, kim), methods, expected, people, login, _secrets(kim))


def test_the_verifier_records_his_choice_on_the_page(people, kim, login):
    response = login(people.interviewer).post(
        _url("capture_card_choice", kim),
        {"card_to_family": "on", "address_on_card": "", "expected_choice": "0"},
    )
    assert response.status_code == 302
    choice = CaptureCardChoice.objects.get(person=kim)
    assert choice.card_to_family and not choice.address_on_card


def test_an_address_without_a_card_to_his_family_is_refused_on_the_form(people, kim, login):
    response = login(people.interviewer).post(
        _url("capture_card_choice", kim), {"address_on_card": "on"}
    )
    assert response.status_code == 200 and "only on a card" in response.content.decode()
    assert not CaptureCardChoice.objects.exists()
