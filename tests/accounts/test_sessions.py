"""Sessions end at once when an account is disabled or its roles change, after 30 idle minutes,
and after an absolute maximum; a request writes the session only when it changes, or once a
minute to note the activity."""

import time
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safepassage.accounts.middleware import SEEN, STARTED
from safepassage.accounts.models import Role
from safepassage.accounts.services import user_disable, user_enable, user_roles_set
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from tests.factories import PASSWORD, login_with_mfa

HOME = reverse("registry:person_list")


def _logged_in(user) -> Client:
    client = Client()
    login_with_mfa(client, user.username)
    assert client.get(HOME).status_code == 200
    return client


def _ended(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_disabling_a_user_ends_his_open_session_at_the_next_request(people):
    client = _logged_in(people.registrar)
    user_disable(user=people.registrar, actor=people.admin)
    assert _ended(client)
    assert client.post(
        reverse("login"), {"login": "alice", "password": PASSWORD}
    ).status_code == 200  # fmt: skip


def test_disabling_a_user_stops_his_api_tokens(people):
    _token, raw = api_token_create(user=people.registrar, name="sync")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/v1/persons/", **headers).status_code == 200
    user_disable(user=people.registrar)
    assert Client().get("/api/v1/persons/", **headers).status_code == 401


def test_changing_roles_ends_his_open_sessions(people):
    client = _logged_in(people.registrar)
    api_session = _logged_in(people.registrar)
    user_roles_set(user=people.registrar, roles=[Role.AUDITOR], actor=people.admin)
    assert _ended(client)
    assert api_session.get("/api/v1/persons/").status_code in {401, 403}
    fresh = _logged_in(people.registrar)
    assert fresh.get(reverse("registry:person_new")).status_code == 403
    assert fresh.get(reverse("audit:audit_list")).status_code == 200


def test_other_users_keep_their_sessions(people):
    mine, theirs = _logged_in(people.registrar), _logged_in(people.auditor)
    user_disable(user=people.registrar)
    assert _ended(mine)
    assert not _ended(theirs)


def test_role_changes_and_disabling_are_audited(people):
    user_roles_set(user=people.registrar, roles=[Role.AUDITOR, Role.REGISTRAR], actor=people.admin)
    user_disable(user=people.registrar, actor=people.admin)
    user_enable(user=people.registrar, actor=people.admin)
    actions = list(
        AuditEvent.objects.filter(object_id=str(people.registrar.pk), action__startswith="user.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["user.roles", "user.disable", "user.enable"]


def test_the_console_disables_and_sets_roles(people):
    client = _logged_in(people.registrar)
    out = StringIO()
    call_command("user", "roles", "alice", "--role", "auditor", "--role", "registrar", stdout=out)
    assert "auditor, registrar" in out.getvalue()
    assert _ended(client)
    call_command("user", "disable", "alice", stdout=out)
    people.registrar.refresh_from_db()
    assert not people.registrar.is_active


def _age(client, key, seconds) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_an_idle_session_ends_after_thirty_minutes(people, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = _logged_in(people.registrar)
    _age(client, SEEN, 29 * 60)
    assert not _ended(client)  # activity renews it
    _age(client, SEEN, 31 * 60)
    assert _ended(client)


def test_a_busy_session_still_ends_after_the_absolute_maximum(people, settings):
    client = _logged_in(people.registrar)
    _age(client, STARTED, settings.SESSION_ABSOLUTE_AGE - 60)
    assert not _ended(client)
    _age(client, STARTED, settings.SESSION_ABSOLUTE_AGE + 1)
    assert _ended(client)


def test_a_session_without_its_start_time_is_not_trusted(people):
    client = _logged_in(people.registrar)
    session = client.session
    del session[STARTED]
    session.save()
    assert _ended(client)


def _session_writes(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return sum(1 for q in captured if q["sql"].startswith(("UPDATE", "INSERT")) and
               "django_session" in q["sql"])  # fmt: skip


def test_a_request_within_a_minute_of_the_last_noted_one_writes_no_session(people, settings):
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    client = _logged_in(people.registrar)
    _age(client, SEEN, 30)
    assert _session_writes(client) == 0
    assert 29 <= time.time() - client.session[SEEN] <= 60  # not renewed


def test_a_request_a_minute_after_the_last_noted_one_notes_it_and_renews_the_session(people):
    client = _logged_in(people.registrar)
    _age(client, SEEN, 61)
    assert _session_writes(client) == 1
    assert time.time() - client.session[SEEN] < 5


def test_the_session_cookie_expires_with_the_idle_timeout(people):
    client = _logged_in(people.registrar)
    _age(client, SEEN, 61)  # the cookie is sent again whenever the session is saved
    response = client.get(HOME)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert response.cookies["sessionid"]["httponly"]
