"""/healthz and /readyz: unauthenticated probes that say nothing but which check failed."""

import json

import pytest

from safepassage.ops import readiness


def test_healthz_answers_without_login_and_without_the_database(client):
    response = client.get("/healthz")  # no `db` fixture: any query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_readyz_is_ready_when_the_database_migrations_and_keys_are(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "keys": "ok"},
    }


def test_readyz_fails_on_keys_that_do_not_load_and_does_not_show_them(client, db, settings):
    settings.FIELD_KEYS = "broken:not-base64-at-all"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "keys": "failing"}
    assert b"not-base64" not in response.content


def test_readyz_fails_while_migrations_are_pending(client, db, monkeypatch):
    class Pending:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            return [("registry", "9999_future")]

    monkeypatch.setattr(readiness, "MigrationExecutor", Pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_readyz_fails_when_the_database_does_not_answer(client, db, monkeypatch):
    monkeypatch.setattr(readiness, "database_reachable", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "failing", "migrations": "failing", "keys": "failing"},
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_probes_accept_only_get_and_head(client, db, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code in {200, 503}


def test_the_probes_show_no_data(client, db, people):
    from tests.factories import register

    register(people.registrar, family="Kovalenko")
    body = client.get("/readyz").content + client.get("/healthz").content
    assert b"Kovalenko" not in body
    assert set(json.loads(client.get("/readyz").content)) == {"status", "checks"}
