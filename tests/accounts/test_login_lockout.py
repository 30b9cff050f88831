"""Five wrong passwords lock the name for fifteen minutes, whether or not the account exists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safepassage.accounts.models import LoginThrottle
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from tests.factories import PASSWORD, login_with_mfa

LOCKED = "Too many failed attempts"
INVALID = "The username and/or password you specified are not correct"


WRONG = "wrong-password-123"


def _attempt(client, username, password=WRONG, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        _attempt(client, username, address=address)


@pytest.fixture
def client():
    return Client()


def test_it_locks_the_username_after_five_failures(client, people):
    _fail(client, "alice", 3)
    assert INVALID in _attempt(client, "alice", address="10.0.0.9").content.decode()
    assert LOCKED in _attempt(client, "alice").content.decode()  # the fifth failure locks
    response = _attempt(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_and_a_completed_login_let_him_in_and_reset_the_count(client, people):
    _fail(client, "alice", 4)
    assert login_with_mfa(client, "alice", REMOTE_ADDR="10.0.0.1").status_code == 302
    other = Client()
    _fail(other, "alice", 4)
    assert _attempt(other, "alice", PASSWORD).status_code == 302


def test_the_right_password_alone_does_not_reset_the_count(client, people):
    _fail(client, "alice", 4)
    assert _attempt(client, "alice", PASSWORD).status_code == 302  # on to the second factor
    assert LOCKED in _attempt(Client(), "alice").content.decode()  # 4 + 1: locked


def test_the_message_is_the_same_for_an_account_that_does_not_exist(client, people):
    _fail(client, "alice", 5)
    _fail(client, "nobody-here", 5, address="10.0.0.2")
    real = _attempt(client, "alice", address="10.0.0.3").content.decode()
    fake = _attempt(client, "nobody-here", address="10.0.0.4").content.decode()
    assert LOCKED in real and LOCKED in fake
    strip = lambda page: page.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(real.replace("alice", "X")) == strip(fake.replace("nobody-here", "X"))


def test_the_lock_is_on_the_name_in_any_case_and_from_any_address(client, people):
    _fail(client, "Alice", 5, address="10.0.0.5")
    assert LOCKED in _attempt(Client(), "ALICE", PASSWORD, address="10.9.9.9").content.decode()


def test_it_unlocks_after_the_period(client, people):
    _fail(client, "alice", 5)
    assert LOCKED in _attempt(client, "alice", PASSWORD).content.decode()
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _attempt(client, "alice", PASSWORD).status_code == 302


def test_the_lockout_lasts_fifteen_minutes(client, people):
    before = timezone.now()
    _fail(client, "alice", 5)
    until = LoginThrottle.objects.get(kind="username").locked_until
    assert timedelta(minutes=14) < until - before <= timedelta(minutes=15, seconds=5)


def test_failures_spread_over_names_lock_the_address(client, people, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 6
    for n in range(6):
        _attempt(client, f"guess{n}", address="10.6.6.6")
    assert LOCKED in _attempt(client, "alice", PASSWORD, address="10.6.6.6").content.decode()
    assert _attempt(client, "alice", PASSWORD, address="10.7.7.7").status_code == 302


def test_a_lockout_is_audited_without_the_attempted_password(client, people):
    _fail(client, "alice", 5)
    event = AuditEvent.objects.get(action="login.lockout")
    assert event.object_id == str(people.registrar.pk)
    assert "wrong-password" not in str(event.changes)
    assert "10.0.0.1" in str(event.changes)


def test_an_unknown_name_is_not_written_into_the_audit_or_the_counter(client, people):
    typed = "MySecretPassw0rd!"  # typed into the username box by mistake
    _fail(client, typed, 5)
    event = AuditEvent.objects.get(action="login.lockout")
    assert typed not in str(event.changes) and typed not in event.object_repr
    assert not LoginThrottle.objects.filter(key__icontains=typed).exists()


def test_wrong_api_tokens_lock_the_address(people, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    _token, raw = api_token_create(user=people.registrar, name="sync")
    wrong = {"HTTP_AUTHORIZATION": "Bearer sp_abc_wrong", "REMOTE_ADDR": "10.8.8.8"}
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/persons/", **wrong).status_code == 401
    assert AuditEvent.objects.filter(action="login.lockout").exists()
    # Locked: even the right token is refused from that address, and guessing learns nothing.
    right = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/persons/", REMOTE_ADDR="10.8.8.8", **right).status_code == 401
    assert client.get("/api/v1/persons/", REMOTE_ADDR="10.9.9.9", **right).status_code == 200
