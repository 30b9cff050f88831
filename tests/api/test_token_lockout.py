"""Wrong API tokens lock their address: once locked it is refused whatever token it sends, a
valid one included, before any secret is compared; a good call reads the lock with the token,
in one query."""

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from safepassage.accounts import lockout
from safepassage.accounts.models import LoginThrottle
from safepassage.api.authentication import TokenAuthentication
from safepassage.api.services import api_token_create

PERSONS = "/api/v1/persons/"
LOCKED = "Too many invalid API tokens from this address; try again later."
ADDRESS = "127.0.0.1"  # the test client's


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3


def _lock(address: str = ADDRESS) -> None:
    for _n in range(3):
        lockout.api_failure_record(address=address)


def _authenticate(raw: str, address: str = ADDRESS):
    request = RequestFactory().get(
        PERSONS, headers={"authorization": f"Bearer {raw}"}, REMOTE_ADDR=address
    )
    return TokenAuthentication().authenticate(Request(request))


def _refused_as_locked(raw: str) -> bool:
    """Refused by the lock (the problem's text is the same as for any failed token), and not
    counted as one more wrong token."""
    failures = list(LoginThrottle.objects.values_list("failures", flat=True))
    with pytest.raises(AuthenticationFailed) as refused:
        _authenticate(raw)
    counted = list(LoginThrottle.objects.values_list("failures", flat=True))
    return str(refused.value.detail) == LOCKED and counted == failures


def test_wrong_tokens_lock_the_address_and_then_a_valid_token_is_refused(people, api):
    _token, raw = api_token_create(user=people.registrar, name="good")
    for _n in range(3):
        assert api(raw="sp_nosuch_secret").get(PERSONS).status_code == 401
    assert api(raw=raw).get(PERSONS).status_code == 401
    assert _refused_as_locked(raw)


@pytest.mark.parametrize("token", ["valid", "wrong secret", "unknown prefix", "malformed"])
def test_a_locked_address_is_refused_whatever_token_it_sends(people, api, token):
    _token, raw = api_token_create(user=people.registrar, name="good")
    sent = {
        "valid": raw,
        "wrong secret": raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB"),
        "unknown prefix": "sp_nosuch_secret",
        "malformed": "not-a-token",
    }[token]
    _lock()
    assert api(raw=sent).get(PERSONS).status_code == 401
    assert _refused_as_locked(sent)


def test_another_address_is_served_while_one_is_locked(people, api):
    _token, raw = api_token_create(user=people.registrar, name="good")
    _lock("10.0.0.9")
    assert api(raw=raw).get(PERSONS).status_code == 200


def test_the_address_is_served_again_when_its_lock_ends(people, api):
    _token, raw = api_token_create(user=people.registrar, name="good")
    _lock()
    LoginThrottle.objects.update(locked_until=timezone.now())
    assert api(raw=raw).get(PERSONS).status_code == 200


def test_a_good_call_reads_its_token_and_the_lock_in_one_query(people, django_assert_num_queries):
    token, raw = api_token_create(user=people.registrar, name="good")
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])  # no last-use write in the counted call
    with django_assert_num_queries(1):
        user, _auth = _authenticate(raw)
    assert user == people.registrar


def test_a_locked_address_learns_nothing_of_a_valid_token(people, api):
    _token, raw = api_token_create(user=people.registrar, name="good")
    _lock()
    valid, unknown = api(raw=raw).get(PERSONS), api(raw="sp_nosuch_secret").get(PERSONS)
    assert valid.status_code == unknown.status_code == 401
    assert valid.json() == unknown.json()
