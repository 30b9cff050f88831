"""API tokens: created by the console or the settings page, shown once, stored hashed, with
an expiry, revocable; a dead token or a disabled user is a 401."""

import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safepassage.api.models import ApiToken
from safepassage.api.services import api_token_authenticate, api_token_create
from safepassage.audit.models import AuditEvent

PERSONS = "/api/v1/persons/"


def _command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api-token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _all_text_in_the_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prefix, secret_hash, name FROM api_apitoken")
        tokens = cursor.fetchall()
        cursor.execute("SELECT changes, object_repr FROM audit_auditevent")
        events = cursor.fetchall()
    return repr(tokens) + repr(events)


def test_the_command_prints_the_token_once_and_stores_only_its_hash(people, api):
    out, err = _command("create", "alice", "--name", "partner sync", "--days", "30")
    raw = out.strip()
    assert raw.startswith("sp_") and len(out.strip().splitlines()) == 1
    assert "shown only now" in err and raw not in err
    token = ApiToken.objects.get(user=people.registrar)
    secret = raw.split("_", 2)[2]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in _all_text_in_the_database()
    assert token.name == "partner sync"
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))).seconds < 60
    assert api(raw=raw).get(PERSONS).status_code == 200


def test_the_command_lists_tokens_without_secrets_and_revokes_by_prefix(people, api):
    raw = _command("create", "alice")[0].strip()
    prefix = raw.split("_")[1]
    listing = _command("list", "alice")[0]
    assert prefix in listing and "live" in listing and raw.split("_", 2)[2] not in listing
    assert "Revoked" in _command("revoke", prefix)[0]
    assert "revoked" in _command("list", "alice")[0]
    assert api(raw=raw).get(PERSONS).status_code == 401


def test_the_command_refuses_an_unknown_user_and_a_bad_lifetime(people):
    with pytest.raises(CommandError, match="Unknown user"):
        _command("create", "nobody")
    with pytest.raises(CommandError, match="1 to 365 days"):
        _command("create", "alice", "--days", "0")
    with pytest.raises(CommandError, match="No token"):
        _command("revoke", "deadbeef")


def test_creating_and_revoking_a_token_are_audited_without_the_secret(people):
    raw = _command("create", "alice", "--name", "sync")[0].strip()
    _command("revoke", raw)
    actions = list(
        AuditEvent.objects.filter(action__startswith="api_token").values_list("action", flat=True)
    )
    assert actions == ["api_token.create", "api_token.revoke"]
    assert raw.split("_", 2)[2] not in _all_text_in_the_database()


def test_an_expired_token_is_refused(people, api):
    token, raw = api_token_create(user=people.registrar, name="old", days=1)
    assert api(raw=raw).get(PERSONS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = api(raw=raw).get(PERSONS)
    assert response.status_code == 401
    assert response.json()["type"] == "/api/v1/problems/not-authenticated"


def test_a_wrong_secret_with_a_real_prefix_is_refused(people, api):
    _token, raw = api_token_create(user=people.registrar, name="x")
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert api(raw=forged).get(PERSONS).status_code == 401
    assert api_token_authenticate(forged) is None


def test_a_disabled_user_gets_401_with_a_live_token(people, api):
    _token, raw = api_token_create(user=people.registrar, name="x")
    people.registrar.is_active = False
    people.registrar.save()
    assert api(raw=raw).get(PERSONS).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(people, api):
    token, raw = api_token_create(user=people.registrar, name="x")
    client = api(raw=raw)
    client.get(PERSONS)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get(PERSONS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(PERSONS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(people, client):
    client.force_login(people.registrar)
    assert client.get(PERSONS).status_code == 200
    client.handler.enforce_csrf_checks = True
    response = client.post(PERSONS, {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- the settings page ------------------------------------------------------------------------

PAGE = reverse("web:api_tokens")


def test_the_settings_page_shows_a_new_token_once(people, client, api):
    client.force_login(people.interviewer)
    response = client.post(PAGE, {"name": "laptop", "days": "7"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=people.interviewer)
    raw = response.context["created"]["secret"]
    assert raw.startswith(f"sp_{token.prefix}_") and raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(PAGE).content.decode()
    assert f"sp_{token.prefix}_" in again and raw not in again
    assert api(raw=raw).get(PERSONS).status_code == 200


def test_the_settings_page_revokes_only_the_users_own_tokens(people, client, api):
    mine, my_raw = api_token_create(user=people.interviewer, name="mine")
    theirs, their_raw = api_token_create(user=people.registrar, name="theirs")
    client.force_login(people.interviewer)
    assert client.post(PAGE, {"revoke": theirs.pk}).status_code == 404
    assert client.post(PAGE, {"revoke": "not-a-number"}).status_code == 404
    assert "theirs" not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"revoke": mine.pk}).status_code == 302
    assert api(raw=my_raw).get(PERSONS).status_code == 401
    assert api(raw=their_raw).get(PERSONS).status_code == 200


def test_the_settings_page_refuses_a_nameless_token(people, client):
    client.force_login(people.interviewer)
    response = client.post(PAGE, {"name": "", "days": "400"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "days"}
    assert not ApiToken.objects.exists()
