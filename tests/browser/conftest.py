"""Browser tests: Playwright (Python) driving Debian's chromium against a live server.

Never downloads a browser: chromium comes from Debian (`make test` installs it with apt-get when
/usr/bin/chromium is missing). Without it the tests skip, except under CI=true, where they fail.
They run in the SQLite pass only (see `pytest_collection_modifyitems`). One browser serves the
whole package; each test gets fresh contexts (cookies, storage) and committed data on a live
server. Screenshots of every step go to var/test-artifacts/browser/<test>/
(SAFEPASSAGE_TEST_ARTIFACTS moves them; SAFEPASSAGE_CHROMIUM names another chromium).
"""

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.audit.tamper import triggers_create, triggers_drop
from tests.factories import force_login_fresh

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path(os.environ.get("SAFEPASSAGE_CHROMIUM", "/usr/bin/chromium"))
# The flags of the machine notes: headless, no sandbox as root, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
ARTIFACTS = Path(os.environ.get("SAFEPASSAGE_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts"))
ARTIFACTS = ARTIFACTS / "browser"
AXE = HERE / "assets" / "axe.min.js"
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    """Every test here is a `browser` test; on PostgreSQL they are skipped, on purpose."""
    engine = settings.DATABASES["default"]["ENGINE"]
    on_sqlite = engine.endswith("sqlite3")
    skip = pytest.mark.skip(
        reason="browser tests run in the SQLite pass only: they test pages, not the database "
        "(SAFEPASSAGE_BROWSER_TESTS=always runs them here too)"
    )
    for item in items:
        if not Path(str(item.path)).is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if not on_sqlite and os.environ.get("SAFEPASSAGE_BROWSER_TESTS") != "always":
            item.add_marker(skip)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} CI must run the browser tests (`make test` installs chromium).")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser():
    """One headless chromium for the package. While Playwright's event loop runs in this thread,
    Django would refuse ORM calls from it (SynchronousOnlyOperation): the tests' own ORM calls
    are synchronous and safe, so the check is lifted exactly as long as the loop runs."""
    if not CHROMIUM.exists():
        _unavailable(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
            "a downloaded browser is never used."
        )
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[dev]'.")
    expect.set_options(timeout=30_000)  # as the contexts' timeout: a busy machine is slow
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def _append_only(django_db_blocker):
    """Whether the audit log's append-only triggers are dropped; put back when the package ends."""
    state = {"dropped": False}
    yield state
    if state["dropped"]:
        with django_db_blocker.unblock():
            triggers_create()


def _one_request_at_a_time(app):
    """`app` answering one request at a time, its body read under the same lock.

    On in-memory SQLite the live server hands the test's one connection to every request
    thread, and sqlite3 fails (`InterfaceError`) when two threads use it at once — as when a
    page loads its charts side by side (Django's LiveServerTestCase documents the hazard)."""
    lock = threading.Lock()

    def serve(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()

    return serve


@pytest.fixture
def live(_append_only, browser, live_server):
    """The live server on committed data. The flush that ends each test deletes the audit log,
    which its append-only triggers refuse: they are dropped before it and put back after it
    (here, when the next test starts, or at the end of the package)."""
    server = live_server.thread.httpd
    if connection.vendor == "sqlite" and not getattr(server, "one_at_a_time", False):
        server.set_app(_one_request_at_a_time(server.get_app()))
        server.one_at_a_time = True
    if _append_only["dropped"]:
        triggers_create()
        _append_only["dropped"] = False
    yield live_server
    triggers_drop()
    _append_only["dropped"] = True


class Browsing:
    """Pages for one test: `open(user)` gives a page logged in as `user` (None: anonymous) in
    a context of its own; `shot(page, step)` saves a numbered screenshot. Every page's console
    is watched: a Content-Security-Policy violation or a JavaScript error fails the test."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts: list = []
        self.problems: list[str] = []
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.steps = 0

    def open(self, user=None, *, path: str = "/", axe: bool = False, locale: str = "en-GB"):
        """A page in a new context; `axe`: axe-core is loaded into every document it opens;
        `locale`: the browser's language (the page's, unless the user chose another)."""
        context = self.browser.new_context(
            base_url=self.base_url, locale=locale, viewport=VIEWPORT, timezone_id="UTC"
        )
        # Generous: a busy two-core machine can be slow; a passing test never waits this long.
        context.set_default_timeout(30_000)
        if axe:
            context.add_init_script(path=str(AXE))
        self.contexts.append(context)
        if user is not None:
            context.add_cookies([self._session_cookie(user)])
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        if path:
            page.goto(path)
        return page

    def _request_failed(self, request) -> None:
        # The browser's own PDF viewer (a document's preview) loads its parts from chrome:// and
        # chrome-extension://, and drops them when the page moves on: not the site's requests.
        if request.url.startswith(("chrome://", "chrome-extension://")):
            return
        # A preview still loading when the walk opens the next page is cancelled by the browser
        # (net::ERR_ABORTED): the page moved on, the site did not fail. Any other failure counts.
        if "disposition=inline" in request.url and request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.url}")

    def _session_cookie(self, user) -> dict:
        """A session made as `force_login_fresh` makes it: logged in a moment ago, both factors."""
        client = Client()
        force_login_fresh(client, user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": self.base_url}

    def _console(self, message) -> None:
        text = message.text
        if text.startswith("Failed to load resource"):
            return  # the answer itself is judged in `_response`
        if "Content Security Policy" in text or message.type == "error":
            self.problems.append(f"console {message.type} at {page_url(message)}: {text}")

    def _response(self, response) -> None:
        """A page's own status is its test's business; a stylesheet, script or image that fails
        is a problem on every page."""
        request = response.request
        if response.status < 400 or request.resource_type == "document":
            return
        if request.url.endswith("/favicon.ico"):
            return  # chromium asks for one on its own; the site has none
        self.problems.append(f"{response.status} for {request.resource_type} {request.url}")

    def shot(self, page, step: str) -> Path:
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.steps:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def page_url(message) -> str:
    return message.location.get("url", "")


@pytest.fixture
def browsing(browser, live, request) -> Iterator[Browsing]:
    session = Browsing(browser, live.url, request.node.name)
    yield session
    session.close()
    assert not session.problems, "\n".join(session.problems)


# --- axe-core -----------------------------------------------------------------------------------

SERIOUS = ("serious", "critical")


def axe_run(page) -> list[dict]:
    """axe-core's violations on the page as it is now. The script goes in through the DevTools
    protocol (an init script of the context, or Playwright's evaluate), which the page's
    Content-Security-Policy does not govern: the product's CSP stays as it is, and nothing
    inline is added to the page."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def axe_summary(violations: list[dict], impacts=SERIOUS) -> list[str]:
    """One line per offending node: rule, impact, target and axe's own explanation."""
    lines = []
    for violation in violations:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{node.get('failureSummary', '').strip()} — {violation['helpUrl']}"
            )
    return lines


def axe_report(folder: Path, name: str, violations: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"axe-{name}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")


# --- keyboard -----------------------------------------------------------------------------------

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').slice(0, 60),
    inMain: !!el.closest('main'), focus: el.matches(':focus'), pageFocus: document.hasFocus(),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
  };
}"""


def focus_visibly(page) -> dict:
    """The focused element's description; fails unless its focus can be seen (an outline of at
    least 2px, or a box-shadow ring) and the element itself is on screen."""
    focus = page.evaluate(FOCUS_STYLE)
    assert focus is not None, "nothing has the focus"
    assert focus["visible"], f"the focused element is not on screen: {focus}"
    ring = (focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2) or (
        focus["boxShadow"] not in ("", "none")
    )
    assert ring, f"focus is not visible on {focus}"
    return focus


def tab_until(page, selector: str, *, backwards: bool = False, limit: int = 80) -> list[dict]:
    """Press Tab (or Shift+Tab) until `selector` has the focus, checking visible focus on every
    element passed on the way. Returns what was focused, in order."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        seen.append(focus_visibly(page))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} never got the focus in {limit} presses of {key}: {seen}")
