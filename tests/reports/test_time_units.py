"""The time in each state is drawn in a unit the stays fill (days, hours or minutes), on a plain
axis (no offset, no power of ten), and says "no time recorded yet" rather than draw zeros."""

import re

import pytest
from matplotlib.figure import Figure

from safepassage.cases.models import CaseState
from safepassage.reports import charts, selectors
from safepassage.reports.figures import COUNT, DAYS, TEXT, Column, ReportFigure
from tests.factories import register, step
from tests.reports.builders import on
from tests.reports.conftest import MARCH


def _stays(people, *moments):
    """One case registered at the first moment, each later moment a step on."""
    with on(moments[0]):
        person = register(people.registrar)
    for moment, target in zip(moments[1:], (CaseState.NOTIFIED, CaseState.AWAITING_INTERVIEW),
                              strict=False):  # fmt: skip
        with on(moment):
            step(people.registrar, person, target)


def _figure(rows, **fields) -> ReportFigure:
    return ReportFigure(
        key="time_in_state", title="Time", description="", chart="ranges",
        columns=(Column("state", "State", TEXT), Column("stays", "Stays", COUNT),
                 Column("q1", "Q1", DAYS), Column("median", "Median", DAYS),
                 Column("q3", "Q3", DAYS)),
        rows=rows, exact_on_page=True, **fields,
    )  # fmt: skip


def _value_axis(figure: ReportFigure):
    chart: Figure = charts._draw(figure, charts._labels())
    return chart.axes[0].xaxis


def test_stays_of_hours_are_counted_in_hours(people):
    _stays(people, "2025-03-03 10:00", "2025-03-03 13:00")
    figure = selectors.time_in_state(actor=people.decision_maker, filters=MARCH)
    assert figure.columns[3].label == "Median (hours)"
    assert figure.rows == (("Registered", 1, 3.0, 3.0, 3.0),)
    assert figure.axis == "Hours" and not figure.nothing_to_draw


def test_stays_of_days_stay_in_days(people):
    _stays(people, "2025-03-03 10:00", "2025-03-05 10:00")
    figure = selectors.time_in_state(actor=people.decision_maker, filters=MARCH)
    assert figure.columns[3].label == "Median (days)" and figure.rows[0][3] == 2.0


def test_stays_of_seconds_say_no_time_is_recorded_yet(people):
    _stays(people, "2025-03-03 10:00", "2025-03-03 10:00")
    figure = selectors.time_in_state(actor=people.decision_maker, filters=MARCH)
    assert figure.nothing_to_draw.startswith("No time recorded yet")
    svg = charts.render(figure, "svg").decode()
    assert "No time recorded yet" in svg


@pytest.mark.parametrize("median", [3e-7, 1234567.0])
def test_the_time_axis_has_neither_an_offset_nor_a_power_of_ten(median):
    figure = _figure((("Registered", 4, median * 0.9, median, median * 1.1),))
    axis = _value_axis(figure)
    formatter = axis.get_major_formatter()
    assert formatter.get_useOffset() is False
    svg = charts.render(figure, "svg").decode()
    labels = " ".join(re.findall(r">([^<>]*)</text>", svg))
    assert "1e" not in labels and "×10" not in labels and "+1" not in labels


def test_a_stay_of_a_fraction_of_a_unit_is_drawn_on_at_least_one_whole_unit():
    axis = _value_axis(_figure((("Registered", 4, 0.1, 0.2, 0.3),), axis="Minutes"))
    assert axis.get_view_interval()[1] >= 1.0
    assert axis.get_label_text() == "Minutes"
