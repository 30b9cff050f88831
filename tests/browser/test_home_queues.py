"""Every demo account logs in and finds its work on its home page: each queue of its roles with
the demo's waiting cases in it, oldest first; the accounts whose roles take no step are told
where their work is. The demo is seeded through its own loader (fewer persons, every queue)."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.accounts.models import User
from safepassage.demo.cast import ACCOUNTS, DEMO_PASSWORD
from safepassage.demo.seed import demo_seed

# The queues each demo account works on; every one of them must hold a waiting case.
EXPECTED = {
    "ua-registrar": ["to_notify", "duplicates_to_review"],
    "ua-interviewer": ["to_be_seen"],
    "ua-decision": ["to_refer", "to_decide"],
    "ua-planner": ["to_schedule", "handovers_due", "medical_not_planned"],
    "ua-auditor": [],
    "ua-admin": [],
    "ua-doctor": ["medical_to_examine"],
    "verifier-interviewer": [
        "to_be_seen",
        "interviews_to_finalise",
        "to_refer",
        "onward_risk",
        "tracing_to_review",
        "field_conflicts_to_review",
        "medical_awaiting_consent",
    ],  # fmt: skip
    "verifier-legal": ["to_assess", "onward_risk"],
    "verifier-auditor": [],
    "verifier-doctor": ["medical_to_examine"],
    "ngo-legal": ["to_assess", "onward_risk"],
    "kr-decision": ["to_accept"],
    "br-decision": ["to_accept"],
    "in-decision": ["to_accept"],
    "ru-registrar": ["to_notify", "duplicates_to_review"],
    "ru-decision": ["to_refer", "to_decide"],
    "ru-planner": ["to_schedule", "handovers_due", "medical_not_planned"],
}
# Queues the demo leaves empty, shown with their empty message: no team has returned from the
# field, so no field conflict waits; India declined the one man referred to it; the other
# party holds no one who asked for a third country; no follow-up has reported onward removal;
# the one man found eligible for direct repatriation refused it, so none waits to be planned,
# no other man is yet waiting to be presented to the commission, and he has answered.
EMPTY_IN_THE_DEMO = {
    "field_conflicts_to_review", "medical_not_planned", "medical_to_examine",
    "medical_awaiting_consent", "onward_risk", ("in-decision", "to_accept"),
    ("ru-decision", "to_refer"),
}  # fmt: skip
# The accounts shown the demo's next visit (planned by the verifier) and its persons to see.
NEXT_VISIT = {"verifier-interviewer"}


def test_the_expectations_name_every_demo_account():
    assert set(EXPECTED) == {username for username, _org, _roles in ACCOUNTS}


def test_each_demo_account_finds_its_queues_with_the_demos_waiting_cases(browsing):
    demo_seed(persons=60)

    # One of them through the login form, as a person does: he lands on his home page.
    page = browsing.open(path=reverse("login"))
    page.get_by_label("Username").fill("ua-decision")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    page.wait_for_url(f"**{reverse('work:home')}")
    expect(page.get_by_role("heading", name="Your work", exact=True)).to_be_visible()
    browsing.shot(page, "ua-decision-after-login")

    for username, queues in EXPECTED.items():
        user = User.objects.get(username=username)
        page = browsing.open(user, path=reverse("work:home"))
        expect(page.get_by_role("heading", name="Your work", exact=True)).to_be_visible()
        shown = page.locator("main section[id^=queue-]")
        visit = ["next_visit"] if username in NEXT_VISIT else []
        assert [s.get_attribute("id") for s in shown.all()] == [
            f"queue-{q}" for q in [*queues, *visit]
        ]
        for queue in queues:
            section = page.locator(f"#queue-{queue}")
            count = section.locator("h2 .badge").inner_text()
            if queue in EMPTY_IN_THE_DEMO or (username, queue) in EMPTY_IN_THE_DEMO:
                assert int(count) == 0, (username, queue, count)
                expect(section.locator(".empty")).to_be_visible()
                continue
            assert int(count) > 0, (username, queue, count)
            first = section.locator("li").first
            expect(first.get_by_role("link")).to_be_visible()
            expect(first.locator(".queue__waiting")).to_have_text(
                re.compile(r"^\d+ days? waiting$")
            )
        if visit:
            section = page.locator("#queue-next_visit")
            assert int(section.locator("h2 .badge").inner_text()) > 0, username
            expect(section.locator("li").first.get_by_role("link")).to_be_visible()
        if not queues:
            expect(page.get_by_text("no work queue is yours")).to_be_visible()
        browsing.shot(page, username)


def test_the_bell_leads_to_the_notifications_and_opening_one_shows_the_person(people, browsing):
    from tests.cases.builders import decided

    person = decided(people, "KR")
    page = browsing.open(people.receiving_officer, path=reverse("work:home"))
    bell = page.get_by_role("link", name="Notifications: 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    page.wait_for_url(f"**{reverse('notifications:list')}")
    browsing.shot(page, "notifications")
    page.get_by_role("button", name=f"Open {person.registry_number}").click()
    page.wait_for_url(f"**{reverse('registry:person_detail', args=[person.registry_number])}")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
