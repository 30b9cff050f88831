"""Who may open and submit the page of his capture card choice, checked for every user."""

import pytest
from django.urls import reverse

from safepassage.family import services
from safepassage.family import urls as family_urls
from safepassage.family.models import CaptureCardChoice, MessageState
from tests.family.builders import DETAINING, MOTHER, NEWS, STRANGER, correspondents, message
from tests.web.test_permissions import USERS, _parse, _secrets, check_matrix_row

# Kim is held by alice's detaining power; no NGO represents him and no state is named.
TABLE = """
url                 methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
capture_card_choice GET,POST 403   403    403   403  403    403  ok   403    404  404    404   404
"""
# Family messages: the verifier, and for censorship (here allowed by alice's agreement) the
# detaining power's registrars; everyone else sees nothing of them (404).
MESSAGES_TABLE = """
url                  methods alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
family_messages       GET      ok    404    404   404  404    404  ok   404    404  404    404   404
family_message_write  GET,POST 404   404    404   404  404    404  ok   404    404  404    404   404
family_message_censor GET,POST ok    404    404   404  404    404  404  404    404  404    404   404
family_message_step   GET,POST 404   404    404   404  404    404  ok   404    404  404    404   404
correspondence_choice GET,POST 404   404    404   404  404    404  ok   404    404  404    404   404
"""
MESSAGES_MATRIX = _parse(MESSAGES_TABLE)
MATRIX = {**_parse(TABLE), **MESSAGES_MATRIX}
assert USERS


def _url(name, kim) -> str:
    return reverse(f"family:{name}", args=[kim.registry_number])


def _message_url(name, kim, people) -> str:
    """The censor's page on a message waiting for him; the step page on a passed one."""
    correspondents(people, kim)
    waiting, passed = message(people, kim), message(people, kim)
    services.family_message_censor(actor=people.registrar, message=passed)
    if name in ("family_message_censor", "family_message_step"):
        pk = waiting.pk if name == "family_message_censor" else passed.pk
        return reverse(f"family:{name}", args=[kim.registry_number, pk])
    return _url(name, kim)


def test_the_matrix_covers_every_page_of_family_links():
    assert {p.name for p in family_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(set(MATRIX) - set(MESSAGES_MATRIX)))
def test_each_family_page_admits_exactly_the_people_the_table_names(name, people, kim, login):
    methods, expected = MATRIX[name]
    check_matrix_row(name, _url(name, kim), methods, expected, people, login, _secrets(kim))


@pytest.mark.parametrize("name", sorted(MESSAGES_MATRIX))
def test_each_family_message_page_admits_exactly_the_people_the_table_names(
    name, people, kim, login, settings
):
    settings.FAMILY_CENSORSHIP_BY = [DETAINING]
    methods, expected = MATRIX[name]
    url = _message_url(name, kim, people)
    check_matrix_row(name, url, methods, expected, people, login, [*_secrets(kim), NEWS])


def test_the_verifier_writes_a_message_and_a_refused_correspondent_is_named(people, kim, login):
    correspondents(people, kim)
    client = login(people.interviewer)
    url = _url("family_message_write", kim)
    refused = client.post(url, {"direction": "to_him", "correspondent_name": STRANGER,
                                "text": "hello"})  # fmt: skip
    assert refused.status_code == 200 and "has not allowed" in refused.content.decode()
    made = client.post(url, {"direction": "to_him", "correspondent_name": MOTHER,
                             "text": "우리는 잘 있다"})  # fmt: skip
    assert made.status_code == 302
    page = client.get(_url("family_messages", kim)).content.decode()
    assert "우리는 잘 있다" in page


def test_the_censor_strikes_a_passage_on_the_page(people, kim, login, settings):
    settings.FAMILY_CENSORSHIP_BY = [DETAINING]
    correspondents(people, kim)
    msg = message(people, kim, text="We are well. The soldiers came. Love.")
    url = reverse("family:family_message_censor", args=[kim.registry_number, msg.pk])
    response = login(people.registrar).post(
        url, {"strike": "The soldiers came.", "reason": "Art. 76", "expected_version": msg.version}
    )
    assert response.status_code == 302
    msg.refresh_from_db()
    assert msg.state == MessageState.CENSORED and "soldiers" not in msg.forwarded_text


def test_a_step_on_a_stale_page_is_a_409_with_the_form_again(people, kim, login):
    correspondents(people, kim)
    msg = message(people, kim)
    url = reverse("family:family_message_step", args=[kim.registry_number, msg.pk])
    client = login(people.interviewer)
    client.post(url, {"target": "forwarded", "expected_version": msg.version})
    stale = client.post(url, {"target": "delivered", "expected_version": msg.version})
    assert stale.status_code == 409
    msg.refresh_from_db()
    assert msg.state == MessageState.FORWARDED


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
