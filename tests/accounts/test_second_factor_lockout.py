"""Wrong second-factor codes lock the account and the address like wrong passwords do; a right
password alone does not clear the count, only a completed login does."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safepassage.audit.models import AuditEvent
from tests.factories import PASSWORD, login_age, login_with_mfa, totp_code

LOCKED = "Too many failed attempts"
INCORRECT = "Incorrect code"
HOME = reverse("registry:person_list")


def _password(client, username="alice", address="10.0.0.1"):
    return client.post(
        reverse("login"), {"login": username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def _wrong_code() -> str:
    # Neither this period's code nor its neighbours', so it is wrong whatever the tolerance.
    near = {totp_code(offset=k) for k in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1, 10)) if c not in near)


def _code(client, code, address="10.0.0.1"):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=address)


def _right_code(client, username_pk, address="10.0.0.1"):
    code = totp_code()
    response = _code(client, code, address)
    cache.delete(f"allauth.mfa.totp.used?user={username_pk}&code={code}")
    return response


def test_two_hundred_wrong_codes_lock_the_account_and_the_right_one_is_then_refused(people):
    client = Client()
    assert _password(client).status_code == 302
    answers = [_code(client, _wrong_code()).content.decode() for _ in range(200)]
    assert all(INCORRECT in page for page in answers[:4])
    assert all(LOCKED in page for page in answers[4:])  # the fifth wrong code locks
    response = _right_code(client, people.registrar.pk)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert client.get(HOME).status_code == 302  # not logged in
    # The lock is on the account: the password is refused now too, from any address.
    assert LOCKED in _password(Client(), address="10.9.9.9").content.decode()


def test_a_right_password_between_wrong_codes_does_not_reset_the_count(people):
    first = Client()
    _password(first)
    for _ in range(3):
        assert INCORRECT in _code(first, _wrong_code()).content.decode()
    second = Client()
    assert _password(second).status_code == 302  # the right password, again
    assert INCORRECT in _code(second, _wrong_code()).content.decode()
    assert LOCKED in _code(second, _wrong_code()).content.decode()  # 3 + 2: locked
    assert LOCKED in _right_code(second, people.registrar.pk).content.decode()


def test_a_completed_login_clears_the_accounts_count(people):
    client = Client()
    _password(client)
    for _ in range(4):
        _code(client, _wrong_code())
    assert _right_code(client, people.registrar.pk).status_code == 302
    again = Client()
    _password(again)
    for _ in range(4):
        assert INCORRECT in _code(again, _wrong_code()).content.decode()
    assert _right_code(again, people.registrar.pk).status_code == 302


def test_wrong_codes_for_several_accounts_lock_the_address(people, settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 4
    for username in ("alice", "dmitro"):
        client = Client()
        _password(client, username, address="10.6.6.6")
        for _ in range(2):
            _code(client, _wrong_code(), address="10.6.6.6")
    client = Client()
    assert LOCKED in _password(client, "petro", address="10.6.6.6").content.decode()
    assert _password(client, "petro", address="10.7.7.7").status_code == 302
    assert _right_code(client, people.planner.pk, address="10.7.7.7").status_code == 302


def test_a_code_stage_reached_before_the_address_was_locked_is_refused_after(people, settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    waiting = Client()
    _password(waiting, "petro", address="10.6.6.6")
    guesser = Client()
    _password(guesser, "alice", address="10.6.6.6")
    for _ in range(3):
        _code(guesser, _wrong_code(), address="10.6.6.6")
    response = _right_code(waiting, people.planner.pk, address="10.6.6.6")
    assert LOCKED in response.content.decode()


def test_a_lockout_by_codes_is_audited_naming_the_account(people):
    client = Client()
    _password(client)
    for _ in range(5):
        _code(client, _wrong_code())
    event = AuditEvent.objects.get(action="login.lockout")
    assert event.object_id == str(people.registrar.pk)
    assert "10.0.0.1" in str(event.changes)


def _reauthenticate_with_code(client, code):
    return client.post(reverse("mfa_reauthenticate"), {"code": code}, REMOTE_ADDR="10.0.0.1")


@pytest.fixture
def stale_session(people):
    """Alice, logged in with both factors ten minutes ago: sensitive actions ask again."""
    client = Client()
    login_with_mfa(client, "alice", REMOTE_ADDR="10.0.0.1")
    login_age(client, 10 * 60)
    return client


def test_wrong_codes_at_re_authentication_count_toward_the_lock(people, stale_session):
    for _ in range(4):
        page = _reauthenticate_with_code(stale_session, _wrong_code()).content.decode()
        assert INCORRECT in page
    assert LOCKED in _reauthenticate_with_code(stale_session, _wrong_code()).content.decode()
    code = totp_code()
    assert LOCKED in _reauthenticate_with_code(stale_session, code).content.decode()


def test_wrong_passwords_at_re_authentication_count_toward_the_lock(people, stale_session):
    url = reverse("account_reauthenticate")
    for _ in range(5):
        stale_session.post(url, {"password": "wrong-password-123"}, REMOTE_ADDR="10.0.0.1")
    response = stale_session.post(url, {"password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200 and LOCKED in response.content.decode()
