"""The dashboard renders its charts (checked by parsing them), and each chart downloads as a
valid SVG or PNG and its data as CSV."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django_countries import countries
from PIL import Image

from tests.reports.builders import MARCH

SVG = "{http://www.w3.org/2000/svg}"
ALL_FIGURES = ["funnel", "wills", "time_in_state", "exchanges", "tracing", "medical"]


def _get(client, url, **params):
    response = client.get(url, {**MARCH, **params})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _svg(content: bytes) -> ET.Element:
    root = ET.fromstring(content)  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _ids(root: ET.Element, prefix: str) -> set[str]:
    return {e.get("id") for e in root.iter() if (e.get("id") or "").startswith(prefix)}


def test_the_dashboard_shows_every_figure_the_user_may_see_with_its_chart_and_table(
    people, casework, exchange, tracing, client_for
):
    page = _get(client_for(people.interviewer), reverse("reports:dashboard")).content.decode()
    for key in ALL_FIGURES:
        assert f'id="figure-{key}"' in page
        assert f'src="/reports/{key}/chart.svg?date_from=2025-03-01&amp;date_to=2025-03-31"' in page
        for fmt in ("svg", "png", "csv"):
            assert f'href="/reports/{key}/export.{fmt}?' in page
    # Each chart has a text alternative and its data in a table.
    assert page.count("<img src=") == len(ALL_FIGURES)
    assert page.count('alt="Chart: ') == len(ALL_FIGURES)
    assert page.count('<details class="report__data"') == len(ALL_FIGURES)
    assert "<caption>Will outcomes per week, by nationality</caption>" in page


def test_every_chart_on_the_page_is_an_svg_with_its_title_series_and_labels(
    people, casework, exchange, tracing, client_for
):
    client = client_for(people.interviewer)
    page = _get(client, reverse("reports:dashboard")).content.decode()
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == len(ALL_FIGURES)
    for src in images:
        response = client.get(src.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        root = _svg(response.content)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text
        assert root.find(f"{SVG}desc").text


def test_the_will_chart_draws_each_outcome_per_nationality(people, casework, client_for):
    response = _get(client_for(people.decision_maker), "/reports/wills/chart.svg")
    root = _svg(response.content)
    texts = _texts(root)
    assert root.find(f"{SVG}title").text == "Will outcomes per week, by nationality"
    labels = ["Refuses repatriation", "Wishes to return", "Undecided", "2025-03-03", "2025-03-10"]
    for label in [*labels, countries.name("KP"), countries.name("RU")]:
        assert label in texts
    # The page's chart is exact for the detaining power holding them: 3 refusing in week A.
    assert _ids(root, "wills-refuses_repatriation-") == {
        "wills-refuses_repatriation-0", "wills-refuses_repatriation-2",
    }  # fmt: skip
    assert not [i for i in _ids(root, "wills-") if i.endswith("-small")]  # nothing suppressed


def test_the_funnel_chart_labels_every_state(people, casework, client_for):
    root = _svg(_get(client_for(people.decision_maker), "/reports/funnel/chart.svg").content)
    texts = _texts(root)
    for label in ("Registered", "Will verified", "Legal assessment", "Escaped",
                  "Cases that reached it", "Cases in it now"):  # fmt: skip
        assert label in texts
    assert len(_ids(root, "funnel-reached-")) == 5  # registered … will verified, legal assessment


@pytest.mark.parametrize("key", ALL_FIGURES)
def test_each_chart_downloads_as_valid_svg_and_png(people, casework, exchange, tracing,
                                                   client_for, key):  # fmt: skip
    client = client_for(people.interviewer)
    svg = _get(client, f"/reports/{key}/export.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == (
        f'attachment; filename="safepassage-{key}-2025-03-01-2025-03-31.svg"'
    )
    _svg(svg.content)
    png = _get(client, f"/reports/{key}/export.png")
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png.content))
    image.verify()
    assert image.format == "PNG"
    assert image.size[0] >= 1000  # 8 inches at 150 dpi


def test_the_csv_holds_the_figures_data(people, casework, client_for):
    response = _get(client_for(people.decision_maker), "/reports/wills/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    kp, ru = countries.name("KP"), countries.name("RU")
    assert text.splitlines() == [
        "Week starting,Nationality,Refuses repatriation,Wishes to return,Undecided",
        f"2025-03-03,{kp},3,<3,0",
        f"2025-03-03,{ru},0,0,<3",
        f"2025-03-10,{kp},<3,0,<3",
    ]


def test_the_time_in_state_csv_gives_days_to_one_decimal(people, casework, client_for):
    response = _get(client_for(people.decision_maker), "/reports/time_in_state/export.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "State,Stays,First quartile (days),Median (days),Third quartile (days)"
    assert lines[1:] == [  # 5 stays each, rounded to the nearest 3 in a download
        "Registered,6,0.1,0.1,0.1",
        "Notified to the Central Agency,6,0.9,0.9,0.9",
        "Awaiting interview,6,1.0,1.0,1.0",
        "Will verified,<3,,,",  # one stay: its duration would be his
    ]


def test_an_empty_period_draws_a_chart_that_says_so(people, client_for):
    root = _svg(_get(client_for(people.decision_maker), "/reports/wills/chart.svg").content)
    assert "Nothing to show for these filters." in _texts(root)


def test_charts_follow_the_users_language(people, casework, client_for):
    client = client_for(people.decision_maker)
    response = client.get("/reports/funnel/chart.svg", MARCH, HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    assert response["Content-Language"] == "uk"


def test_the_charts_may_style_themselves_but_load_and_run_nothing(people, casework, client_for):
    client = client_for(people.decision_maker)
    policy = _get(client, "/reports/funnel/chart.svg")["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "script" not in policy  # falls back to default-src 'none'
    page = _get(client, reverse("reports:dashboard"))["Content-Security-Policy"]
    assert "unsafe-inline" not in page


def test_the_page_loads_only_local_assets_and_nothing_inline(people, casework, client_for):
    html = _get(client_for(people.decision_maker), reverse("reports:dashboard")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "style=" not in html
    assert "<script>" not in html and "<style" not in html


def test_invalid_filters_are_shown_on_the_page_and_refused_by_the_charts(people, client_for):
    client = client_for(people.decision_maker)
    page = client.get(reverse("reports:dashboard"), {"date_from": "2025-03-31",
                                                     "date_to": "2025-03-01"})  # fmt: skip
    assert page.status_code == 200
    assert "The period starts after it ends" in page.content.decode()
    chart = client.get("/reports/funnel/chart.svg", {"date_from": "2025-02-30"})
    assert chart.status_code == 400
    assert "Enter a valid date" in chart.content.decode()


def test_an_unknown_figure_or_format_is_not_found(people, client_for):
    client = client_for(people.decision_maker)
    assert client.get("/reports/salaries/chart.svg").status_code == 404
    assert client.get("/reports/funnel/export.pdf").status_code == 404


def test_the_menu_links_to_reports_only_for_those_who_may_see_them(people, client_for):
    link = 'href="/reports/"'
    assert link in client_for(people.decision_maker).get("/persons/").content.decode()
    assert link not in client_for(people.registrar).get("/persons/").content.decode()
