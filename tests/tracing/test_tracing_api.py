"""/api/v1/tracing-requests/: create (idempotent), list (cursor pages), retrieve, candidates
with explanations, confirm / reject, inform; problems for every refusal; other agencies 404."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.api.services import api_token_create
from tests.factories import make_org, make_user
from tests.tracing.tracing_data import CONTACT_MARKER, register_kim

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tracing-requests/"
BODY = {
    "requester_kind": "family",
    "requester_name": "Ким Ок Сун",
    "requester_relationship": "mother",
    "requester_contact": CONTACT_MARKER,
    "family_name": "Ким",
    "given_name": "Чхоль Су",
    "birth_date": "1999",
    "nationality": "kp",
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE = "100000/min"
    cache.clear()


def client_of(user) -> APIClient:
    _token, raw = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def vera(people):
    return client_of(people.interviewer)


def _create(vera, **extra):
    response = vera.post(BASE, BODY | extra, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_the_whole_path_create_search_confirm_inform(people, vera):
    kim = register_kim(people.registrar)
    created = _create(vera)
    assert created["status"] == "open" and created["nationality"] == "KP"
    assert created["requester_contact"] == CONTACT_MARKER

    found = vera.post(f"{BASE}{created['id']}/candidates/", format="json")
    assert found.status_code == 200, found.content
    best = found.json()[0]
    assert best["person"] == kim.pk and best["status"] == "proposed"
    assert best["explanation"] and all(e["words"] for e in best["explanation"])
    assert "김 철수" in best["names"]

    url = f"{BASE}{created['id']}/candidates/{best['id']}/confirm/"
    confirmed = vera.post(url, {"reason": "Same month of birth and unit."}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    inform = f"{BASE}{created['id']}/inform/"
    refused = vera.post(inform, {"consent": "given", "items": ["internment_place"]}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "items"
    told = vera.post(
        inform, {"consent": "given", "items": ["alive_registered"], "channel": "letter"},
        format="json",
    )  # fmt: skip
    assert told.status_code == 201, told.content
    detail = vera.get(f"{BASE}{created['id']}/").json()
    assert detail["status"] == "informed" and detail["linked_person"] == kim.pk
    assert [d["items"] for d in detail["disclosures"]] == [["alive_registered"]]


def test_creating_is_idempotent(vera):
    headers = {"HTTP_IDEMPOTENCY_KEY": "mother-letter-17"}
    first = vera.post(BASE, BODY, format="json", **headers)
    again = vera.post(BASE, BODY, format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(vera.get(BASE).json()["results"]) == 1


def test_bad_input_is_a_problem_naming_the_field(vera):
    response = vera.post(BASE, BODY | {"birth_date": "04/1999"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"birth_date"}
    nameless = vera.post(BASE, BODY | {"family_name": "", "given_name": ""}, format="json")
    assert nameless.status_code == 400


def test_the_list_pages_with_a_cursor_and_filters_by_status(vera):
    for _ in range(3):
        _create(vera)
    page = vera.get(BASE, {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = vera.get(page["next"]).json()
    assert len(rest["results"]) == 1
    assert vera.get(BASE, {"status": "closed"}).json()["results"] == []


def test_a_reject_needs_a_reason(people, vera):
    register_kim(people.registrar)
    created = _create(vera)
    best = vera.post(f"{BASE}{created['id']}/candidates/", format="json").json()[0]
    url = f"{BASE}{created['id']}/candidates/{best['id']}/reject/"
    assert vera.post(url, {}, format="json").status_code == 400
    assert vera.post(url, {"reason": "Born 1978."}, format="json").json()["status"] == "rejected"


def test_another_tracing_agency_gets_404_and_no_one_else_gets_in(people, vera):
    register_kim(people.registrar)
    created = _create(vera)
    other = make_org("Other Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    sven = client_of(make_user(other, Role.INTERVIEWER, username="sven"))
    for url in (f"{BASE}{created['id']}/", f"{BASE}{created['id']}/candidates/"):
        response = sven.get(url)
        assert response.status_code == 404 and CONTACT_MARKER not in response.content.decode()
    assert sven.get(BASE).json()["results"] == []
    assert client_of(people.registrar).get(BASE).status_code == 403


def _widened(monkeypatch):
    """The policy widened for a test: a detaining power's registrar handles tracing, and may
    see only the persons his organisation holds."""
    from safepassage.access import policy

    rules = dict(policy._RULES)
    rules[policy.Action.TRACING_HANDLE] = [({OrganisationKind.DETAINING_POWER}, {Role.REGISTRAR})]
    monkeypatch.setattr(policy, "_RULES", rules)


def test_the_candidates_say_whether_each_is_above_the_threshold_best_first(people, monkeypatch):
    from tests.tracing.tracing_data import register_kuznetsov

    likely = register_kuznetsov(people.registrar, year=1995)
    unlikely = register_kuznetsov(people.registrar, year=1960)
    hidden = register_kuznetsov(people.outsider, year=1995)  # another detaining power's twin
    _widened(monkeypatch)
    alice = client_of(people.registrar)
    created = _create(
        alice, family_name="Кузнецов", given_name="Алексей Иванович", birth_date="1995",
        nationality="RU",
    )  # fmt: skip
    found = alice.post(f"{BASE}{created['id']}/candidates/", format="json")
    assert found.status_code == 200, found.content
    listed = [(c["person"], c["above_threshold"]) for c in found.json()]
    assert listed == [(likely.pk, True), (unlikely.pk, False)]
    assert found.json()[1]["probability"] < 0.05
    assert found.json() == alice.get(f"{BASE}{created['id']}/candidates/").json()
    assert hidden.pk not in {c["person"] for c in found.json()}


def test_the_schema_documents_whether_a_candidate_is_above_the_threshold():
    from django.test import Client

    schema = Client().get("/api/v1/schema/?format=json").json()
    candidate = schema["components"]["schemas"]["Candidate"]
    assert candidate["properties"]["above_threshold"]["type"] == "boolean"
    assert "0.05" in candidate["properties"]["above_threshold"]["description"]
    assert "above_threshold" in candidate["required"]
