"""Small counts can identify a person: they leave the page only as "<N", and are shown on the
page only to the organisation that holds the persons counted."""

import re
import xml.etree.ElementTree as ET

from safepassage.reports import selectors
from safepassage.reports.figures import Column, ReportFigure, Small
from tests.reports.builders import MARCH
from tests.reports.conftest import MARCH as FILTERS

SVG = "{http://www.w3.org/2000/svg}"


def _ids(content: bytes) -> set[str]:
    root = ET.fromstring(content)  # noqa: S314 - our own output
    return {e.get("id") for e in root.iter() if e.get("id")}


def _count_cell(page: str, value: str) -> bool:
    """Whether the page's tables hold a count cell showing `value` (its column's name beside)."""
    return (
        re.search(rf'<td data-label="[^"]*" class="num">{re.escape(value)}</td>', page) is not None
    )


def _texts(content: bytes) -> list[str]:
    root = ET.fromstring(content)  # noqa: S314 - our own output
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_counts_below_the_threshold_are_replaced_and_zero_stays_zero():
    figure = ReportFigure(
        key="x", title="t", description="d", chart="weekly", exact_on_page=True,
        columns=(Column("a", "A"), Column("n", "N", "count"), Column("d", "D", "days")),
        rows=(("one", 1, 2.0), ("four", 4, 3.0), ("five", 5, 4.0), ("none", 0, None)),
    )  # fmt: skip
    rows = figure.suppressed(5).rows
    assert rows == (("one", "<5", None), ("four", "<5", None), ("five", 5, 4.0),
                    ("none", 0, None))  # fmt: skip
    assert isinstance(rows[0][1], Small)
    assert figure.suppressed(1).rows == figure.rows  # a threshold of 1 suppresses nothing


def test_the_holder_sees_exact_numbers_on_the_page(people, casework, client_for):
    page = client_for(people.decision_maker).get("/reports/", MARCH).content.decode()
    assert not _count_cell(page, "&lt;3")
    assert "you see persons of other organisations" not in page
    assert _count_cell(page, "1")  # kp3, who wished to return in week A


def test_others_see_small_counts_suppressed_on_the_page(people, casework, client_for):
    page = client_for(people.interviewer).get("/reports/", MARCH).content.decode()
    assert _count_cell(page, "&lt;3")
    assert "you see persons of other organisations" in page
    wills = page[page.index('id="figure-wills"') :]
    wills = wills[: wills.index("</section>")]
    assert not _count_cell(wills, "1")
    assert not _count_cell(wills, "2")


def test_every_download_is_suppressed_even_for_the_holder(people, casework, client_for):
    client = client_for(people.decision_maker)
    on_page = client.get("/reports/wills/chart.svg", MARCH).content
    exported = client.get("/reports/wills/export.svg", MARCH).content
    # kp3's wish to return in week A (1 person): a bar on the page, only "<3" in the file.
    assert "wills-wishes_to_return-0" in _ids(on_page)
    assert "wills-wishes_to_return-0" not in _ids(exported)
    assert "wills-wishes_to_return-0-small" in _ids(exported)
    assert "<3" in _texts(exported)
    csv = client.get("/reports/funnel/export.csv", MARCH).content.decode("utf-8-sig")
    assert "Legal assessment,<3,<3" in csv


def test_a_suppressed_stay_count_hides_its_durations(people, casework):
    figure = selectors.time_in_state(actor=people.decision_maker, filters=FILTERS)
    row = figure.suppressed(3).rows[-1]
    assert row == ("Will verified", "<3", None, None, None)


def test_the_threshold_comes_from_the_settings(people, casework, client_for, settings):
    settings.REPORTS_SMALL_COUNT_THRESHOLD = 1
    csv = client_for(people.decision_maker).get("/reports/funnel/export.csv", MARCH)
    assert "Legal assessment,1,1" in csv.content.decode("utf-8-sig")
    settings.REPORTS_SMALL_COUNT_THRESHOLD = 6
    csv = client_for(people.decision_maker).get("/reports/funnel/export.csv", MARCH)
    assert "Registered,<6,0" in csv.content.decode("utf-8-sig")
