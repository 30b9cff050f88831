"""The interface language: the user's setting, else the browser's, else English."""

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.accounts.models import User
from safepassage.accounts.services import user_language_set
from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from tests.factories import force_login_fresh
from tests.tracing.tracing_data import register_kim


def _logged_in(user, **headers) -> Client:
    client = Client(**headers)
    force_login_fresh(client, user)
    return client


def _language_of(response) -> str:
    return response.headers["Content-Language"]


def test_the_users_setting_wins_over_the_browsers(people):
    user_language_set(user=people.registrar, language="ko", actor=people.registrar)
    response = _logged_in(people.registrar, HTTP_ACCEPT_LANGUAGE="uk").get(
        reverse("registry:person_list")
    )
    assert _language_of(response) == "ko"
    assert (
        '<html lang="ko">' in response.content.decode() and "전쟁포로" in response.content.decode()
    )


def test_without_a_setting_the_browsers_language_is_used(people):
    response = _logged_in(people.registrar, HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5").get(
        reverse("registry:person_list")
    )
    assert _language_of(response) == "ru" and "Военнопленные" in response.content.decode()


def test_without_either_it_is_english(people):
    response = _logged_in(people.registrar, HTTP_ACCEPT_LANGUAGE="de").get(
        reverse("registry:person_list")
    )
    assert _language_of(response) == "en" and "Prisoners of war" in response.content.decode()


def test_switching_keeps_the_choice_on_the_account_and_audits_it(people):
    client = _logged_in(people.registrar)
    response = client.post(
        reverse("set_language"), {"language": "uk", "next": reverse("accounts:members")}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:members")
    assert User.objects.get(pk=people.registrar.pk).language == "uk"
    event = AuditEvent.objects.get(action="user.language")
    assert event.changes == {"language": ["", "uk"]} and event.actor_username == "alice"
    # Another browser, which asks for English, still gets his language.
    other = _logged_in(people.registrar, HTTP_ACCEPT_LANGUAGE="en")
    assert _language_of(other.get(reverse("registry:person_list"))) == "uk"


def test_a_visitor_switches_on_the_login_page_without_an_account(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/login/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ko"
    page = client.get(reverse("login"))
    assert _language_of(page) == "ko" and "로그인" in page.content.decode()
    assert not AuditEvent.objects.filter(action="user.language").exists()


def test_an_unknown_language_is_refused_and_nothing_changes(people):
    with pytest.raises(DomainError, match="Unknown language"):
        user_language_set(user=people.registrar, language="xx", actor=people.registrar)
    client = _logged_in(people.registrar)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(pk=people.registrar.pk).language == ""
    assert not AuditEvent.objects.filter(action="user.language").exists()


def test_the_switch_is_a_post_form(people):
    client = _logged_in(people.registrar)
    assert client.get(reverse("set_language") + "?language=uk").status_code == 405
    page = client.get(reverse("registry:person_list")).content.decode()
    assert f'action="{reverse("set_language")}"' in page and 'name="language"' in page


def test_the_menu_names_each_language_in_itself(people):
    User.objects.filter(pk=people.registrar.pk).update(language="ko")
    page = _logged_in(people.registrar).get(reverse("registry:person_list")).content.decode()
    for code, name in [
        ("en", "English"),
        ("uk", "Українська"),
        ("ko", "한국어"),
        ("ru", "Русский"),
    ]:
        assert f'<option value="{code}" lang="{code}"' in page and f">{name}</option>" in page
    assert '<option value="ko" lang="ko" selected>' in page


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "1999-04-01"), ("uk", "01.04.1999"), ("ru", "01.04.1999"), ("ko", "1999. 4. 1.")],
)
def test_dates_are_written_as_the_language_writes_them(people, language, written):
    person = register_kim(people.registrar)
    User.objects.filter(pk=people.registrar.pk).update(language=language)
    page = _logged_in(people.registrar).get(
        reverse("registry:person_detail", args=[person.registry_number])
    )
    assert written in page.content.decode()


def test_a_date_input_keeps_the_iso_form_browsers_need_in_every_language(people):
    person = register_kim(people.registrar)
    User.objects.filter(pk=people.registrar.pk).update(language="uk")
    page = _logged_in(people.registrar).get(
        reverse("registry:person_edit", args=[person.registry_number])
    )
    assert 'type="date" name="birth_date" value="1999-04-01"' in page.content.decode()


@pytest.mark.parametrize("language", ["en", "uk", "ko", "ru"])
def test_names_stay_in_their_own_scripts_with_the_romanization_beside_them(people, language):
    person = register_kim(people.registrar)
    User.objects.filter(pk=people.registrar.pk).update(language=language)
    client = _logged_in(people.registrar)
    for url in (
        reverse("registry:person_list"),
        reverse("registry:person_detail", args=[person.registry_number]),
    ):
        text = client.get(url).content.decode()
        assert "김 철수" in text and "Kim Chol Su" in text


@pytest.mark.parametrize(
    ("language", "north_korea"),
    [("en", "North Korea"), ("uk", "Північна Корея"), ("ko", "조선민주주의인민공화국"),
     ("ru", "Северная Корея")],
)  # fmt: skip
def test_country_names_are_in_the_page_language(people, language, north_korea):
    person = register_kim(people.registrar)
    User.objects.filter(pk=people.registrar.pk).update(language=language)
    page = _logged_in(people.registrar).get(
        reverse("registry:person_detail", args=[person.registry_number])
    )
    assert f"{north_korea} (KP)" in page.content.decode()


@pytest.mark.parametrize(("language", "title"), [("uk", "Не знайдено"), ("ko", "찾을 수 없음")])
def test_api_problems_speak_the_language_asked_for(people, language, title):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    force_login_fresh(client, people.registrar)
    response = client.get("/api/v1/persons/NO-SUCH/names/")
    assert response.status_code == 404 and response.json()["title"] == title
