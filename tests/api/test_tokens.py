"""API tokens: created by the console or the settings page, shown once, stored hashed, with
an expiry, revocable; a dead token or a disabled user is a 401."""

import datetime
import hashlib
import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safepassage.accounts.models import User
from safepassage.api.models import ApiToken
from safepassage.api.services import api_token_authenticate, api_token_create
from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError, NotAllowed
from tests.factories import PASSWORD, force_login_fresh

PERSONS = "/api/v1/persons/"
NEW_PASSWORD = "another long passphrase 42"


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
    with pytest.raises(CommandError, match="1 to 90 days"):
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

PAGE = reverse("tokens:api_tokens")


def test_the_settings_page_shows_a_new_token_once(people, client, api):
    force_login_fresh(client, people.interviewer)
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
    force_login_fresh(client, people.interviewer)
    response = client.post(PAGE, {"name": "", "days": "400"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_a_session_without_a_recent_login_is_asked_again_before_creating_a_token(people, client):
    client.force_login(people.interviewer)  # logged in, but not within the last 5 minutes
    response = client.post(PAGE, {"name": "laptop", "days": "7"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()
    resumed = client.post(response.url, {"password": PASSWORD}, follow=True)
    token = ApiToken.objects.get(user=people.interviewer)
    assert f"sp_{token.prefix}_" in resumed.content.decode()
    assert timezone.now() - token.authenticated_at < datetime.timedelta(minutes=1)


def test_the_service_refuses_a_users_own_token_without_a_recent_login(people):
    user = people.interviewer
    stale = timezone.now() - datetime.timedelta(minutes=6)
    for authenticated_at in (None, stale):
        with pytest.raises(NotAllowed, match="Confirm it is you"):
            api_token_create(user=user, actor=user, name="x", authenticated_at=authenticated_at)
    assert not ApiToken.objects.exists()


# --- the longest life -------------------------------------------------------------------------


def test_a_token_lives_at_most_ninety_days_by_default(people):
    token, _raw = api_token_create(user=people.registrar, name="x", days=90)
    assert token.expires_at - timezone.now() > datetime.timedelta(days=89)
    with pytest.raises(DomainError, match="at most 90 days"):
        api_token_create(user=people.registrar, name="x", days=91)
    with pytest.raises(CommandError, match=r"at most 90 days \(the API_TOKEN_MAX_DAYS"):
        _command("create", "alice", "--days", "365")
    assert ApiToken.objects.count() == 1


def test_the_longest_life_is_a_setting_the_page_follows(people, client, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    force_login_fresh(client, people.interviewer)
    page = client.get(PAGE).content.decode()
    assert 'max="30"' in page and "1 to 30 days" in page
    refused = client.post(PAGE, {"name": "laptop", "days": "31"})
    assert refused.context["form"].errors.keys() == {"days"}
    assert client.post(PAGE, {"name": "laptop", "days": "30"}).context["created"]


def test_a_token_made_under_a_longer_limit_stops_at_the_current_one(people, api):
    token, raw = api_token_create(user=people.registrar, name="old")
    # Made 100 days ago under the old 365-day limit: past today's 90 days, so refused.
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100),
        expires_at=timezone.now() + datetime.timedelta(days=265),
    )
    assert api(raw=raw).get(PERSONS).status_code == 401
    assert "expired" in _command("list", "alice")[0]


# --- revoked when the credentials change ------------------------------------------------------


def _live_tokens(user) -> int:
    return sum(token.is_active for token in ApiToken.objects.filter(user=user))


def _revocations(reason: str) -> list[str]:
    return [
        event.object_id
        for event in AuditEvent.objects.filter(action="api_token.revoke")
        if event.changes.get("reason") == [None, reason]
    ]


def test_changing_the_password_on_the_page_revokes_every_token(people, client, api):
    user = people.interviewer
    tokens = [api_token_create(user=user, name=n) for n in ("a", "b")]
    other, other_raw = api_token_create(user=people.registrar, name="theirs")
    force_login_fresh(client, user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert _live_tokens(user) == 0
    assert all(api(raw=raw).get(PERSONS).status_code == 401 for _t, raw in tokens)
    assert sorted(_revocations("password_changed")) == sorted(str(t.pk) for t, _r in tokens)
    revoked = AuditEvent.objects.filter(action="api_token.revoke")
    assert {event.actor_id for event in revoked} == {user.pk}  # he did it, on his own page
    assert api(raw=other_raw).get(PERSONS).status_code == 200


def test_a_password_set_by_any_path_revokes_and_a_hash_upgrade_does_not(people, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = people.interviewer
    api_token_create(user=user, name="a")
    # An older hasher's hash of the same password: checking it upgrades the hash, no change.
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256$")
    assert _live_tokens(user) == 1
    user.set_password(NEW_PASSWORD)  # as `safepassage changepassword` does
    user.save()
    assert _live_tokens(user) == 0


def test_changing_a_second_factor_revokes_every_token(
    people, client, django_capture_on_commit_callbacks
):
    user = people.interviewer
    api_token_create(user=user, name="a")
    force_login_fresh(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"), {})
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert _live_tokens(user) == 0
    assert len(_revocations("second_factor_changed")) == 1


# --- the console and a recent login -----------------------------------------------------------


def test_a_console_token_records_no_login_unless_the_users_password_is_given(people):
    plain = _command("create", "petro")[0].strip()
    assert ApiToken.objects.get(prefix=plain.split("_")[1]).authenticated_at is None
    out = io.StringIO()
    call_command(
        "api-token", "create", "petro", "--password-stdin",
        stdin=io.StringIO(PASSWORD + "\n"), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    token = ApiToken.objects.get(prefix=out.getvalue().strip().split("_")[1])
    assert timezone.now() - token.authenticated_at < datetime.timedelta(minutes=1)


def test_a_wrong_console_password_makes_no_token_and_counts_toward_the_lock(people):
    for _ in range(5):
        with pytest.raises(CommandError, match="Wrong password"):
            call_command(
                "api-token", "create", "petro", "--password-stdin",
                stdin=io.StringIO("wrong-password-123\n"), stdout=io.StringIO(),
            )  # fmt: skip
    with pytest.raises(CommandError, match="locked"):
        call_command(
            "api-token", "create", "petro", "--password-stdin",
            stdin=io.StringIO(PASSWORD + "\n"), stdout=io.StringIO(),
        )  # fmt: skip
    assert not ApiToken.objects.exists()
