"""What a screen reader hears of a form: each field's help and errors read with it, a field in
error announced as invalid, and a group of choices named by its legend."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.cases.builders import awaiting_interview
from tests.tracing.tracing_data import mother_request


def test_a_field_in_error_is_invalid_and_described_by_its_help_and_its_error(people, browsing):
    person = awaiting_interview(people)
    page = browsing.open(
        people.interviewer, path=reverse("cases:will_new", args=[person.registry_number])
    )
    certainty = page.get_by_label("Certainty (%)")
    expect(certainty).to_have_accessible_description(re.compile(r"^How sure he said he is"))
    page.get_by_role("button", name="Save").click()

    expect(certainty).to_have_attribute("aria-invalid", "true")
    expect(certainty).to_have_accessible_description(
        re.compile(r"How sure he said he is.*This field is required\.$")
    )
    expect(page.locator("[id$='_error']")).to_have_count(
        page.locator("[aria-invalid=true]").count()
    )
    browsing.shot(page, "errors")


def test_a_group_of_choices_is_named_by_its_legend_and_described_by_its_help(people, browsing):
    request = mother_request(people.interviewer)
    page = browsing.open(
        people.interviewer, path=reverse("tracing:request_inform", args=[request.pk])
    )
    group = page.get_by_role("group", name="What the requester is told")
    expect(group).to_have_accessible_description(re.compile("Only what his protection allows"))
    expect(group.get_by_role("checkbox")).not_to_have_count(0)
    browsing.shot(page, "group")


def test_the_authenticator_secret_can_be_reached_and_copied_and_is_described(orgs, browsing):
    from safepassage.accounts.models import Role
    from tests.factories import make_user

    newcomer = make_user(orgs.detaining, Role.REGISTRAR, username="olena", mfa=False)
    page = browsing.open(newcomer, path=reverse("mfa_activate_totp"))
    secret = page.get_by_label("Authenticator secret")
    expect(secret).to_be_editable(editable=False)
    expect(secret).to_be_enabled()
    expect(secret).to_have_accessible_description(re.compile("reinstall your authenticator"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(page.get_by_role("button", name="Activate")).to_have_class(re.compile("button--primary"))
