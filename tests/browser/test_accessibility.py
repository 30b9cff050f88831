"""axe-core on every page of the web UI (tests/browser/pages.py), as each user sees it and in
its telling states (errors, the guard's refusal): no serious or critical violation. No rule is
disabled. Each page's full axe report (every impact) goes to var/test-artifacts/browser/, with a
screenshot of each page that fails."""

from django.urls import NoReverseMatch

from tests.browser.conftest import axe_report, axe_run, axe_summary
from tests.browser.pages import SCREENS, censoring, routes_not_covered, user_of, world


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    people, browsing, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"  # an upload's progress file goes there
    settings.FIELD_SERVER_KEY_FILE = tmp_path / "field-server.key"  # the world's field package
    censoring(settings, people)
    w = world(people)
    pages, failures, absent = {}, [], []
    for screen in SCREENS:
        try:
            path = screen.path(w)
        except NoReverseMatch:
            if not screen.optional:
                raise
            absent.append(screen.name)
            continue
        key = (screen.who, screen.locale)
        if key not in pages:
            user = user_of(people, w, screen.who)
            pages[key] = browsing.open(user, path="", axe=True, locale=screen.locale)
        page = pages[key]
        response = page.goto(path)
        assert response.status == screen.status, f"{screen.name}: {response.status} for {path}"
        if screen.act is not None:
            screen.act(page)
        lang = screen.locale.split("-")[0]
        assert page.locator("html").get_attribute("lang") == lang, f"{screen.name}: not in {lang}"
        violations = axe_run(page)
        axe_report(browsing.folder, screen.name, violations)
        found = axe_summary(violations)
        if found:
            browsing.shot(page, screen.name)
        failures += [f"{screen.name} ({page.url}): {line}" for line in found]
    assert not failures, "\n".join(failures)
    print(f"pages not (yet) in the product, skipped: {absent}" if absent else "")


def test_every_page_of_the_web_ui_is_in_the_accessibility_walk():
    missing = routes_not_covered()
    assert not missing, (
        "Pages the accessibility walk does not visit: add each to SCREENS in "
        f"tests/browser/pages.py, or to NOT_PAGES with the reason: {missing}"
    )
