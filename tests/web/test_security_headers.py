"""Headers on every answer: CSP, no caching of pages about people, no framing, no features."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import safepassage

TEMPLATES = Path(safepassage.__file__).parent


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/login/", "/api/v1/problems/", "/api/v1/persons/"])
def test_anonymous_answers_carry_the_site_policy(client, url):
    response = client.get(url)
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_pages_behind_the_login_are_never_stored(people, kim, login):
    client = login(people.registrar)
    for url in [
        reverse("registry:person_list"),
        reverse("registry:person_detail", args=[kim.registry_number]),
        reverse("registry:person_edit", args=[kim.registry_number]),
        reverse("tokens:api_tokens"),
        "/api/v1/persons/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url


def test_static_files_are_served_under_the_policy_without_inline_code(client):
    page = client.get("/login/").content.decode()
    assert "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert '"includeIndicatorStyles": false' in page
    assert '"historyCacheSize": 0' in page


def test_no_template_has_an_inline_script_style_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if template.name == "swagger_ui.html":
            # Its one <style> carries the nonce of a per-view policy (see the test below).
            assert '<style nonce="{{ csp_nonce }}">' in text
            text = text.replace('<style nonce="{{ csp_nonce }}">', "")
        if re.search(r"<script(?![^>]*\bsrc=)", text):
            offenders.append(f"{template}: inline <script>")
        if "<style" in text or re.search(r"\sstyle=", text):
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text or "hx-on" in text:
            offenders.append(f"{template}: inline event handler")
    assert not offenders, offenders


def test_the_api_docs_page_loads_everything_under_its_own_narrow_policy():
    client = Client()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    policy = _csp(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert f'<style nonce="{nonce}">' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert asset.startswith("/"), asset  # same origin: allowed by 'self'
        loaded = client.get(asset.replace("&amp;", "&"))
        assert loaded.status_code == 200, asset
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    # A pasted token must not be kept in localStorage.
    assert '"persistAuthorization": false' in script.content.decode()


def test_the_nonce_is_new_on_every_request():
    client = Client()
    first = client.get("/api/v1/docs/")["Content-Security-Policy"]
    second = client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert first != second
