"""Every POST form of the web UI, the login and logout refuse a request without the CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.test_permissions import MATRIX, _url

POST_PAGES = sorted(name for name, (methods, _who) in MATRIX.items() if "POST" in methods)


def _allowed_user(people, name):
    by_name = {user.username: user for user in vars(people).values()}
    _methods, expected = MATRIX[name]
    return by_name[next(u for u, want in expected.items() if want == "ok")]


@pytest.mark.parametrize("name", POST_PAGES)
def test_each_form_refuses_a_post_without_the_csrf_token(name, people, kim, scheduled, login):
    kim.refresh_from_db()
    url = _url(name, kim, scheduled)
    client = Client(enforce_csrf_checks=True)
    client.force_login(_allowed_user(people, name))
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code in {200, 302}


@pytest.mark.parametrize("url", ["login", "logout", "set_language"])
def test_login_logout_and_language_refuse_a_post_without_the_token(url, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.registrar)
    assert client.post(reverse(url), {"username": "alice", "password": "x"}).status_code == 403


def test_api_writes_with_a_browser_session_need_the_token(people, login):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.registrar)
    response = client.post("/api/v1/persons/", {}, content_type="application/json")
    assert response.status_code == 403
