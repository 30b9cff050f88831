"""Every account logs in with a second factor; the demo's alone are exempt."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection
from django.test import Client
from django.urls import reverse

from safepassage.accounts.mfa import MFAAdapter, mfa_enrolled
from safepassage.accounts.models import Role
from tests.factories import PASSWORD, TOTP_SECRET, login_with_mfa, make_user, totp_code

HOME = reverse("registry:person_list")


@pytest.fixture
def client():
    return Client()


def _password(client, username="alice"):
    return client.post(reverse("login"), {"login": username, "password": PASSWORD})


def test_a_password_alone_does_not_log_in(client, people):
    response = _password(client)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302


def test_the_authenticator_code_completes_the_login(client, people):
    response = login_with_mfa(client, "alice")
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused(client, people):
    _password(client)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_code_opens_one_login_only(people):
    first, second = Client(), Client()
    code = totp_code()
    _password(first)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    _password(second)
    replay = second.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert second.get(HOME).status_code == 302


def test_a_recovery_code_stands_in_for_a_lost_phone(client, people):
    codes = RecoveryCodes.activate(people.registrar).generate_codes()
    _password(client)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_an_account_without_a_second_factor_must_enrol_before_anything(client, orgs):
    make_user(orgs.detaining, Role.REGISTRAR, username="newcomer", mfa=False)
    _password(client, "newcomer")  # no factor yet: the password alone lets him in …
    response = client.get(HOME)
    assert response.status_code == 302  # … to enrol one, and nowhere else
    assert response.url == reverse("mfa_index")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    api = client.get("/api/v1/persons/")
    assert api.status_code == 403
    assert api.json()["type"].endswith("/mfa-enrolment-required")


def test_enrolling_an_authenticator_app_opens_the_application(client, orgs):
    user = make_user(orgs.detaining, Role.REGISTRAR, username="newcomer", mfa=False)
    _password(client, "newcomer")
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert mfa_enrolled(user)
    assert client.get(HOME).status_code == 200


def test_demo_accounts_may_work_without_a_second_factor(client, orgs):
    user = make_user(orgs.detaining, Role.REGISTRAR, username="demo-registrar", mfa=False)
    user.mfa_required = False
    user.save()
    _password(client, "demo-registrar")
    assert client.get(HOME).status_code == 200


def test_security_keys_can_be_added(client, people):
    login_with_mfa(client, "alice")
    page = client.get(reverse("mfa_index"))
    assert reverse("mfa_add_webauthn") in page.content.decode()
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200


def test_the_last_factor_of_an_account_cannot_be_removed(people):
    totp = Authenticator.objects.get(user=people.registrar, type=Authenticator.Type.TOTP)
    adapter = MFAAdapter()
    assert not adapter.can_delete_authenticator(totp)
    key = Authenticator.objects.create(
        user=people.registrar, type=Authenticator.Type.WEBAUTHN, data={"name": "key"}
    )
    assert adapter.can_delete_authenticator(totp)
    assert adapter.can_delete_authenticator(key)


def test_authenticator_secrets_are_sealed_in_the_database(people):
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert TOTP_SECRET not in stored
    totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).first()
    assert MFAAdapter().decrypt(totp.data["secret"]) == TOTP_SECRET
