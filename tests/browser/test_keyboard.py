"""Recording an interview with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing; no
click anywhere. Every element that takes the focus on the way must show it."""

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.cases.models import Case
from tests.browser.conftest import focus_visibly, tab_until
from tests.cases.builders import awaiting_interview


def test_the_verifier_records_an_interview_with_the_keyboard_alone(people, browsing):
    person = awaiting_interview(people)
    page = browsing.open(
        people.interviewer, path=reverse("registry:person_detail", args=[person.registry_number])
    )
    keys = page.keyboard

    # The first Tab reaches the skip link, which shows itself; Enter skips the menus.
    keys.press("Tab")
    skip = focus_visibly(page)
    assert skip["text"] == "Skip to content"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    keys.press("Enter")
    passed = tab_until(page, "a[href$='/wills/new/']")
    assert passed[0]["inMain"], f"after the skip link, focus went to {passed[0]}"
    browsing.shot(page, "link-focused")
    keys.press("Enter")
    page.wait_for_url("**/wills/new/")

    # Source and setting come set for the verifier: pass them, checking focus on each.
    tab_until(page, "#id_interpreter")
    keys.type("Mission interpreter (Korean)")
    keys.press("Tab")
    assert focus_visibly(page)["id"] == "id_interpreter_affiliation"
    keys.type("The neutral")  # the verifier's own interpreter
    expect(page.locator("#id_interpreter_affiliation")).to_have_value("verifier")
    keys.press("Tab")
    keys.type("Korean")
    keys.press("Tab")
    assert focus_visibly(page)["id"] == "id_wish"
    keys.type("Go to")  # a closed select takes the typed start of an option
    expect(page.locator("#id_wish")).to_have_value("named_states")
    keys.press("Tab")
    keys.type("KR")
    keys.press("Tab")
    keys.type("KP")
    keys.press("Tab")
    assert focus_visibly(page)["id"] == "id_certainty"
    keys.press("Shift+Tab")  # back, to add a state he refused as well
    assert focus_visibly(page)["id"] == "id_destinations_refused"
    keys.type("KP, RU")  # the field's text is selected on focus: this replaces it
    keys.press("Tab")
    keys.type("80")
    keys.press("Tab")
    assert focus_visibly(page)["id"] == "id_statement"
    keys.type("I want a family, a home and basic rights.")
    tab_until(page, "button[type=submit]")
    browsing.shot(page, "submit-focused")
    keys.press("Space")

    page.wait_for_url("**" + reverse("registry:person_detail", args=[person.registry_number]))
    expect(page.get_by_text("Will expression recorded.")).to_be_visible()
    will = Case.objects.get(person=person).governing_will
    assert will.verified and will.interpreter == "Mission interpreter (Korean)"
    assert will.interpreter_affiliation == "verifier"
    assert [c.code for c in will.destinations_refused] == ["KP", "RU"]
    assert will.certainty == 80
    browsing.shot(page, "recorded")
