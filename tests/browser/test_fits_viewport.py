"""Every page fits its window, on a phone (390 px) and on a desk (1280 px): nothing wider than the
window (no sideways scrolling), the header short on the phone, a 200-character word and a
10,000-character statement included; and Hangul drawn with the font the site serves, on a
machine without a Korean font of its own. A screenshot of each page that does not fit goes to
var/test-artifacts/browser/<test>/; with SAFEPASSAGE_BROWSER_SHOTS=all, of every page at each
width (for looking at the whole site; a full-page screenshot costs more than the check)."""

import os
import re

from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT
from tests.browser.pages import SCREENS, USERS_BEYOND_PEOPLE, Screen, world
from tests.cases.builders import awaiting_interview
from tests.factories import record_will

WIDTHS = (390, 1280)
EVERY_SHOT = os.environ.get("SAFEPASSAGE_BROWSER_SHOTS") == "all"
HEADER_AT_390 = 80  # px: the folded menu leaves the page its screen
# A word of 200 letters (a name, a place, a pasted reference) and a statement of 10,000
# characters, with that word in it.
LONG_WORD = "Довжелезнепрізвище" * 11 + "Кінець"
LONG_STATEMENT = ("Я хочу жити в Сеулі, з родиною, у безпеці. " * 120 + LONG_WORD + " ") * 2
LONG_STATEMENT = (LONG_STATEMENT * 2)[:10_000]

# What sticks out: the outermost visible element past the window's right edge (content inside
# an element that clips its overflow does not widen the page, so it is not counted).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' || s.clip !== 'auto') return true;
    }
    return false;
  };
  const describe = (el) => {
    const r = el.getBoundingClientRect();
    const names = typeof el.className === 'string' ? el.className.split(' ') : [];
    const cls = names.filter(Boolean).map((name) => '.' + name).join('');
    return `<${el.tagName.toLowerCase()}${cls}> ${Math.round(r.width)} px wide, right edge at ` +
      `${Math.round(r.right)} px: "${(el.innerText || '').trim().slice(0, 60)}"`;
  };
  const out = [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.right > width + 1 && el.checkVisibility({visibilityProperty: true}) && !clipped(el);
  });
  const outermost = out.filter((el) => !out.includes(el.parentElement));
  return {
    scrollWidth: document.documentElement.scrollWidth, width,
    header: document.querySelector('.site-header').getBoundingClientRect().height,
    widest: outermost.slice(0, 3).map(describe),
  };
}"""


def _user(people, w, who):
    if who is None:
        return None
    return getattr(w if who in USERS_BEYOND_PEOPLE else people, who)


def _long_world(people) -> dict:
    """A person whose family name, place of birth and place of internment are 200-letter words,
    with a verified will whose statement runs to 10,000 characters."""
    person = awaiting_interview(
        people, family=LONG_WORD, birth_place=LONG_WORD, internment_place=LONG_WORD
    )
    record_will(people.interviewer, person, statement=LONG_STATEMENT)
    return {"long": person}


LONG_SCREENS = [
    Screen(
        "person_list-long", "registrar", lambda w: reverse("registry:person_list") + "?q=Кінець"
    ),
    Screen(
        "person_detail-long",
        "interviewer",
        lambda w: reverse("registry:person_detail", args=[w.long.registry_number]),
    ),
    Screen(
        "person_detail-long-uk",
        "interviewer",
        lambda w: reverse("registry:person_detail", args=[w.long.registry_number]),
        locale="uk-UA",
    ),
    Screen(
        "person_edit-long",
        "registrar",
        lambda w: reverse("registry:person_edit", args=[w.long.registry_number]),
    ),
    Screen(
        "person_list-ru", "registrar", lambda w: reverse("registry:person_list"), locale="ru-RU"
    ),
    Screen(
        "person_list-ko", "registrar", lambda w: reverse("registry:person_list"), locale="ko-KR"
    ),
]


def test_every_page_fits_a_phone_and_a_desk(people, browsing, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"  # an upload's progress file goes there
    settings.FAMILY_CENSORSHIP_BY = [people.registrar.organisation.name]  # the world censors
    w = world(people)
    w.__dict__.update(_long_world(people))
    pages, failures, seen = {}, [], 0
    for screen in SCREENS + LONG_SCREENS:
        try:
            path = screen.path(w)
        except NoReverseMatch:
            if not screen.optional:
                raise
            continue
        for width in WIDTHS:
            key = (screen.who, screen.locale, width)
            if key not in pages:
                user = _user(people, w, screen.who)
                pages[key] = browsing.open(user, path="", locale=screen.locale)
                pages[key].set_viewport_size({"width": width, "height": VIEWPORT["height"]})
            page = pages[key]
            response = page.goto(path)
            assert response.status == screen.status, f"{screen.name}: {response.status} for {path}"
            if screen.act is not None:
                screen.act(page)
            page.wait_for_load_state("load")
            found = page.evaluate(OVERFLOW)
            seen += 1
            where = f"{screen.name} at {width} px ({page.url})"
            before = len(failures)
            if found["scrollWidth"] > found["width"]:
                failures.append(
                    f"{where}: the page is {found['scrollWidth']} px wide; sticking out: "
                    + ("; ".join(found["widest"]) or "(nothing visible: a margin or a shadow)")
                )
            if width == 390 and found["header"] > HEADER_AT_390:
                failures.append(f"{where}: the header is {found['header']:.0f} px tall")
            if EVERY_SHOT or len(failures) > before:
                browsing.shot(page, f"{screen.name}-{width}")
    assert seen > 100, f"only {seen} pages looked at"
    assert not failures, "\n".join(failures)


def test_a_long_statement_shows_its_first_lines_and_opens_whole(people, browsing):
    person = _long_world(people)["long"]
    page = browsing.open(
        people.interviewer, path=reverse("registry:person_detail", args=[person.registry_number])
    )
    page.set_viewport_size({"width": 390, "height": VIEWPORT["height"]})
    statement = page.locator("blockquote.statement").first
    folded = statement.bounding_box()["height"]
    assert folded < 400, f"a folded statement is {folded:.0f} px tall"
    # Screen readers and search read the whole text, folded or not.
    assert LONG_WORD in statement.text_content()
    show_all = page.locator(".long-text__more > summary").first
    assert show_all.inner_text() == "Show all"  # as shown, the other words hidden
    show_all.click()
    expect(show_all.locator(".long-text__show-less")).to_be_visible()
    assert show_all.inner_text() == "Show less"
    opened = statement.bounding_box()["height"]
    assert opened > 10 * folded, (folded, opened)
    browsing.shot(page, "statement-open")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_short_statement_is_shown_whole_without_a_toggle(people, browsing, settings):
    settings.FAMILY_CENSORSHIP_BY = [people.registrar.organisation.name]  # the world censors
    w = world(people)
    page = browsing.open(
        people.interviewer, path=reverse("registry:person_detail", args=[w.kim.registry_number])
    )
    expect(page.locator("blockquote.statement").first).to_be_visible()
    expect(page.locator(".long-text__more")).to_have_count(0)


HANGUL_ONLY = r"""() => {
  const hangul = /^[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF\s]+$/;
  for (const el of document.querySelectorAll('main h1, main h2, main th, main a, main strong')) {
    const text = el.textContent.trim();
    if (text && hangul.test(text) && el.checkVisibility()) {
      el.setAttribute('data-font-probe', '');
      return text;
    }
  }
  return null;
}"""


def test_hangul_is_drawn_with_the_font_the_site_serves(people, browsing, settings):
    """On a machine without a Korean font, the page's Hangul is drawn with the Hangul web font
    the site serves: the browser says which font drew the glyphs (DevTools'
    CSS.getPlatformFontsForNode), that it is a web font, and it was fetched from /static/. The
    Cyrillic faces load too (this machine's own fonts have Cyrillic, so the page never asks)."""
    settings.FAMILY_CENSORSHIP_BY = [people.registrar.organisation.name]  # the world censors
    w = world(people)
    fetched = []
    page = browsing.open(people.registrar, path="", locale="ko-KR")
    page.on("response", lambda r: fetched.append((r.url, r.status)))
    page.goto(reverse("registry:person_detail", args=[w.kim.registry_number]))
    text = page.evaluate(HANGUL_ONLY)
    assert text, "no Hangul-only text on the Korean person page"
    # The face the page asked for (font-display: swap) has come, and covers the text.
    page.wait_for_function("(t) => document.fonts.check('16px safepassage', t)", arg=text)
    page.evaluate("document.fonts.ready.then(() => true)")
    nanum = [
        (url, status)
        for url, status in fetched
        if re.search(r"/static/web/fonts/SafepassageHangul\.woff$", url)
    ]
    assert nanum and all(status == 200 for _, status in nanum), fetched

    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-font-probe]"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    drew = {font["familyName"]: font for font in fonts if font["glyphCount"]}
    assert set(drew) == {"Safepassage Hangul"}, f"{text!r} drawn with {fonts}"
    assert drew["Safepassage Hangul"]["isCustomFont"], fonts
    browsing.shot(page, "hangul")
    for weight in (400, 700):
        loaded = page.evaluate(
            "async (w) => (await document.fonts.load(`${w} 16px safepassage`, 'Ґґ Її Єє Ж'))"
            ".map((face) => face.status)",
            weight,
        )
        assert loaded == ["loaded"], (weight, loaded)
