"""Logging in as a person does: the password, then the authenticator app's code; and a new
account's first login, which must enrol an authenticator before anything else opens."""

import re

from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import expect

from safepassage.accounts.models import Role
from tests.factories import PASSWORD, make_user, totp_code


def test_a_registrar_logs_in_with_her_password_and_her_authenticator_code(people, browsing):
    page = browsing.open(path=reverse("registry:person_list"))
    assert page.url.endswith(reverse("login") + "?next=/persons/")
    browsing.shot(page, "login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"**{reverse('mfa_authenticate')}")
    browsing.shot(page, "second-factor")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(f"**{reverse('registry:person_list')}")
    expect(page.get_by_role("heading", name="Prisoners of war")).to_be_visible()
    expect(page.get_by_text("alice · National Information Bureau")).to_be_visible()
    browsing.shot(page, "registry")


def test_a_new_account_enrols_an_authenticator_app_before_anything_opens(orgs, browsing):
    olena = make_user(orgs.detaining, Role.REGISTRAR, username="olena", mfa=False)
    page = browsing.open(path=reverse("login"))
    page.get_by_label("Username").fill("olena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Every page sends her to the second-factor settings until she has one.
    page.wait_for_url(f"**{reverse('mfa_index')}")
    expect(page.get_by_text("Protect your account with a second factor first")).to_be_visible()
    page.goto(reverse("registry:person_list"))
    assert page.url.endswith(reverse("mfa_index"))
    browsing.shot(page, "must-enrol")

    page.goto(reverse("mfa_activate_totp"))
    browsing.shot(page, "activate")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.get_by_role("textbox", name="Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # Then her recovery codes, to keep for the day she loses the phone.
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    browsing.shot(page, "recovery-codes")
    assert Authenticator.objects.filter(user=olena, type=Authenticator.Type.TOTP).exists()
    page.goto(reverse("registry:person_list"))
    expect(page.get_by_role("heading", name="Prisoners of war")).to_be_visible()
    browsing.shot(page, "registry")
