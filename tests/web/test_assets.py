"""Every asset is served locally: no CDN, no network. Error pages are calm."""

import re

from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_pages_load_only_local_assets(people, kim, login):
    html = login(people.registrar).get(
        reverse("registry:person_detail", args=[kim.registry_number])
    )
    sources = re.findall(r'(?:src|href)="([^"]+)"', html.content.decode())
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]


def test_the_stylesheet_and_vendored_htmx_are_found_with_its_licence():
    assert finders.find("web/safepassage.css")
    assert finders.find("web/vendor/htmx.min.js")
    assert finders.find("web/vendor/htmx.LICENSE")


def test_the_login_page_gets_its_stylesheet_without_logging_in(client):
    response = client.get("/static/web/safepassage.css")
    assert response.status_code == 200


def test_a_server_error_shows_a_calm_page_without_a_traceback():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content
