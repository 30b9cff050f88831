"""Errors are RFC 9457 problem details with a stable type; bad input is never a 500."""

import json

import pytest

from safepassage.api.problems import PROBLEM_TYPES
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.lib.errors import ReasonedRefusal
from tests.api.conftest import PROBLEM_JSON
from tests.cases.builders import accepted
from tests.factories import assess, tomorrow

PERSONS = "/api/v1/persons/"


def _problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == f"/api/v1/problems/{slug}"
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_a_refused_route_is_a_non_refoulement_problem_naming_each_rule(people, api):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "CN", persecution="high", onward="high")
    response = api(people.planner).post(
        "/api/v1/transfers/",
        {"person": person.pk, "destination": "KR", "transit": ["CN", "KP"],
         "scheduled_for": str(tomorrow())},
        format="json",
    )  # fmt: skip
    body = _problem(response, 422, "non-refoulement")
    assert body["type"].endswith("/non-refoulement")
    # The planner may not read his will: its refusal of KP is "blocked", naming no state.
    assert body["rules"] == ["blocked", "high_risk", "not_assessed", "onward_risk"]
    by_country = {(v["country"], v["rule"]) for v in body["violations"]}
    assert by_country == {
        ("CN", "high_risk"), ("CN", "onward_risk"), ("KP", "not_assessed"), (None, "blocked"),
    }  # fmt: skip
    assert all(v["as_transit"] for v in body["violations"] if v["rule"] != "blocked")
    blocked = next(v for v in body["violations"] if v["rule"] == "blocked")
    assert blocked["will_expression"] is None and "KP" not in blocked["detail"]
    assert "(his will or an assessment)" in blocked["detail"]


def test_validation_errors_name_each_field(people, api):
    response = api(people.registrar).post(
        PERSONS,
        {"names": [{"family_name": "", "script": "Klingon"}], "nationalities": ["XX", "kp"],
         "birth_date": "yesterday", "sex": 7, "colour": "blue"},
        format="json",
    )  # fmt: skip
    body = _problem(response, 400, "validation")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"colour"}  # unknown fields are refused first, before anything else
    response = api(people.registrar).post(
        PERSONS,
        {"names": [{"family_name": "", "script": "Klingon"}], "nationalities": ["XX", "kp"],
         "birth_date": "yesterday", "sex": 7},
        format="json",
    )  # fmt: skip
    body = _problem(response, 400, "validation")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"names[0].script", "nationalities[0]", "birth_date", "sex"}
    assert any("XX" in e["detail"] for e in body["errors"])


def test_a_service_error_that_names_a_field_is_a_validation_problem(people, api):
    response = api(people.registrar).post(
        PERSONS,
        {"names": [{"family_name": "Kim"}], "birth_date": "2999-01-01"},
        format="json",
    )
    body = _problem(response, 400, "validation")
    assert body["errors"][0]["field"] == "birth_date"
    assert "future" in body["errors"][0]["detail"]


def test_a_workflow_step_the_state_does_not_allow_is_a_rule_refused_problem(people, kim, api):
    response = api(people.registrar).post(
        f"/api/v1/persons/{kim.pk}/transitions/",
        {"to_state": "closed", "reason": "Done."},
        format="json",
    )
    body = _problem(response, 422, "rule-refused")
    assert "cannot move" in body["detail"]


@pytest.mark.parametrize(
    "body, content_type, status, slug",
    [
        (b"{not json", "application/json", 400, "malformed-request"),
        (b"[1, 2]", "application/json", 400, "validation"),
        (b'"text"', "application/json", 400, "validation"),
        (b"null", "application/json", 400, "validation"),
        (b'{"names": "Kim"}', "application/json", 400, "validation"),
        (b'{"names": [{"family_name": "\\ud800"}]}', "application/json", 400, "validation"),
        (b'{"names": [{"family_name": "a\\u0000b"}]}', "application/json", 400, "validation"),
        (b'{"names": [{"family_name": NaN}]}', "application/json", 400, "malformed-request"),
        (b"names=Kim", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
        (b"<xml/>", "text/xml", 415, "unsupported-media-type"),
    ],
)
def test_bad_bodies_are_problems_never_server_errors(people, api, body, content_type, status, slug):
    response = api(people.registrar).generic("POST", PERSONS, body, content_type=content_type)
    _problem(response, status, slug)


def test_a_body_over_the_limit_is_413(people, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = json.dumps({"names": [{"family_name": "K" * 2000}]}).encode()
    response = api(people.registrar).generic("POST", PERSONS, big, content_type="application/json")
    _problem(response, 413, "request-too-large")


def test_the_default_limit_is_one_mebibyte(people, api):
    big = json.dumps({"names": [{"family_name": "K" * (1024 * 1024)}]}).encode()
    response = api(people.registrar).generic("POST", PERSONS, big, content_type="application/json")
    _problem(response, 413, "request-too-large")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/persons/?status=lost",
        "/api/v1/persons/?nationality=XX",
        "/api/v1/persons/?q=%00",
        "/api/v1/persons/?ordering=password",
        "/api/v1/persons/?page_size=0",
        "/api/v1/persons/?cursor=garbage",
        "/api/v1/persons/?unknown=1",
        "/api/v1/transfers/?person=abc",
        "/api/v1/transfers/?person=99999999999999999999999",
    ],
)
def test_bad_query_parameters_are_400(people, api, url):
    _problem(api(people.registrar).get(url), 400, "validation")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/persons/99999999999999999999/",
        "/api/v1/persons/9223372036854775808/",
        "/api/v1/persons/0/",
        "/api/v1/persons/12345/",
        "/api/v1/persons/abc/",
        "/api/v1/no-such-thing/",
        # A line break (%0A) in the path: found by tests/api/test_schemathesis.py, it answered
        # the site's HTML 404 page, as no API route, not even the catch-all, matched it.
        "/api/v1/problems/a%0Ab",
        "/api/v1/persons/1%0A/",
    ],
)
def test_unknown_resources_are_404_problems(people, api, url):
    _problem(api(people.registrar).get(url), 404, "not-found")


def test_a_wrong_method_is_405(people, api):
    _problem(api(people.registrar).delete(PERSONS), 405, "method-not-allowed")


def test_an_unexpected_error_is_a_500_problem_that_leaks_nothing(people, api, monkeypatch):
    from safepassage.registry import selectors

    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "person_list", explode)
    client = api(people.registrar)
    client.raise_request_exception = False
    response = client.get(PERSONS)
    body = _problem(response, 500, "server-error")
    assert "secret internals" not in response.content.decode()
    assert "RuntimeError" not in json.dumps(body)


def test_every_problem_type_is_documented_at_its_uri(api):
    catalogue = api(None).get("/api/v1/problems/").json()
    assert {p["type"] for p in catalogue} == {p.uri for p in PROBLEM_TYPES.values()}
    one = api(None).get("/api/v1/problems/non-refoulement")
    assert one.status_code == 200 and one.json()["status"] == 422
    _problem(api(None).get("/api/v1/problems/nonsense"), 404, "not-found")


@pytest.mark.parametrize("refusal", [ReasonedRefusal, NonRefoulementViolation])
def test_a_refusal_with_reasons_answers_a_problem_type_the_api_lists(refusal):
    assert refusal.problem_slug in PROBLEM_TYPES
