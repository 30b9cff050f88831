"""Rate limits per API token (and per user for sessions): 429 with Retry-After."""

from safepassage.api.services import api_token_create


def test_a_token_over_its_rate_gets_429_with_retry_after(people, api, settings):
    settings.API_RATE = "3/min"
    client = api(people.registrar)
    statuses = [client.get("/api/v1/persons/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/persons/")
    assert response.json()["type"] == "/api/v1/problems/throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(people, api, settings):
    settings.API_RATE = "2/min"
    first, second = api(people.registrar), api(people.registrar)
    for _ in range(2):
        first.get("/api/v1/persons/")
    assert first.get("/api/v1/persons/").status_code == 429
    assert second.get("/api/v1/persons/").status_code == 200


def test_a_browser_session_is_limited_per_user(people, client, settings):
    settings.API_RATE = "2/min"
    client.force_login(people.registrar)
    assert [client.get("/api/v1/persons/").status_code for _ in range(3)] == [200, 200, 429]
    _token, raw = api_token_create(user=people.registrar, name="other budget")
    other = client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert other.status_code == 200
