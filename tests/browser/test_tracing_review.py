"""A tracing request reviewed in the browser: his mother wrote his name in Cyrillic, the
registry has him in Hangul and a DPRK romanization; the search proposes him with its reasons,
a namesake born long before below the threshold's line, and the tracing officer confirms the
link."""

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.tracing.models import TracingStatus
from tests.tracing.tracing_data import mother_request, register_kim


def test_a_tracing_officer_searches_and_confirms_a_candidate(people, browsing):
    kim = register_kim(people.registrar)
    namesake = register_kim(people.registrar, birth_date=datetime.date(1970, 1, 5), unit="")
    request = mother_request(people.interviewer)
    page = browsing.open(people.interviewer, path=reverse("tracing:request_list"))
    page.get_by_role("link", name=f"#{request.pk}").click()
    expect(page.get_by_text("Not searched yet.")).to_be_visible()
    browsing.shot(page, "request")

    page.get_by_role("button", name="Search the registry").click()
    candidate = page.locator("article").filter(has_text=kim.registry_number)
    expect(candidate.get_by_role("table", name="Why the search proposes him")).to_be_visible()
    line = page.get_by_text("Below this line: less likely than the threshold 0.05")
    expect(line).to_be_visible()
    weak = page.locator("article").filter(has_text=namesake.registry_number)
    expect(weak.get_by_text("below the threshold")).to_be_visible()
    # The line falls between the two: him above it, the namesake after it.
    assert candidate.bounding_box()["y"] < line.bounding_box()["y"] < weak.bounding_box()["y"]
    browsing.shot(page, "candidates")

    candidate.get_by_role("link", name="Confirm: it is him").click()
    expect(page.get_by_role("heading", name=f"Confirm: {kim.registry_number}")).to_be_visible()
    page.get_by_label("Reason").fill("Same month of birth, same unit, same name in two scripts.")
    browsing.shot(page, "confirm-form")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("Link confirmed.")).to_be_visible()
    request.refresh_from_db()
    assert request.status == TracingStatus.LINKED and request.linked_person == kim
    expect(candidate.get_by_text("Confirmed")).to_be_visible()
    browsing.shot(page, "linked")
