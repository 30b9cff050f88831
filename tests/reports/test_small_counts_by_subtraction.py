"""A "<5" must not come back by subtraction: from a total in the same table (the funnel's cohort
is the sum of the cases in each state), from the funnel's steps, or from the same figure over two
overlapping periods. Counts at or above the threshold are shown rounded to a multiple of it, so
every difference of shown counts is a multiple of the threshold too: never a count from 1 to 4.
"""

import datetime

from safepassage.reports import selectors
from safepassage.reports.figures import Column, ReportFigure, Small
from safepassage.reports.selectors import ReportFilters
from tests.factories import register
from tests.reports.builders import on

BASE = 5


def published(count: int, base: int = BASE) -> object:
    """How docs/reports.md says a count is shown: "<5", 0, or the nearest multiple of 5."""
    if 0 < count < base:
        return "small"
    return (2 * count + base) // (2 * base) * base


def possible(cell, base: int = BASE) -> set[int]:
    """The true counts a shown cell leaves open to someone who knows the rule."""
    shown = "small" if isinstance(cell, Small) else cell
    return {
        v for v in range(cell + base if isinstance(cell, int) else base) if published(v) == shown
    }


def funnel(rows) -> ReportFigure:
    return ReportFigure(
        key="funnel", title="t", description="d", chart="funnel", exact_on_page=False,
        columns=(Column("state", "State"), Column("reached", "Reached", "count"),
                 Column("now", "In it now", "count")),
        rows=tuple(rows),
    )  # fmt: skip


# Nine persons: 2 still registered, 3 with a will recorded, 4 verified ("9, 7 beside <5, <5").
NINE = funnel([("Registered", 9, 2), ("Will recorded", 7, 3), ("Will verified", 4, 4)])


def test_the_funnel_cohort_minus_the_next_step_does_not_give_the_hidden_count():
    (_label, registered, hidden), (_s, next_step, _n), _ = NINE.suppressed(BASE).rows
    assert isinstance(hidden, Small)
    assert registered - next_step != 2  # the 2 still registered
    assert (registered - next_step) % BASE == 0
    left_open = {c - r for c in possible(registered) for r in possible(next_step)} & possible(
        hidden
    )
    assert 2 in left_open and len(left_open) > 1


def test_the_column_total_minus_the_shown_cells_does_not_give_a_hidden_one():
    rows = NINE.suppressed(BASE).rows
    cohort = rows[0][1]  # every case starts registered: the total of the "in it now" column
    shown = [now for _s, _r, now in rows if not isinstance(now, Small)]
    assert (cohort - sum(shown)) % BASE == 0


def test_no_difference_of_shown_counts_is_a_count_from_1_to_4():
    figure = funnel([(str(n), n, n // 2) for n in range(60)]).suppressed(BASE)
    shown = {c for row in figure.rows for c in row[1:] if not isinstance(c, Small)}
    assert {a - b for a in shown for b in shown} & set(range(1, BASE)) == set()
    for n, row in enumerate(figure.rows):
        assert n in possible(row[1])  # what is shown never misleads beyond the rule


def test_two_overlapping_periods_do_not_give_the_count_of_the_day_between(people, settings):
    settings.REPORTS_SMALL_COUNT_THRESHOLD = BASE
    for day in range(1, 8):
        with on(f"2025-03-{day:02d} 10:00"):
            register(people.registrar)
    with on("2025-03-11 10:00"):
        register(people.registrar)  # one person on the 11th

    def cohort(first: int, last: int):
        filters = ReportFilters(
            date_from=datetime.date(2025, 3, first), date_to=datetime.date(2025, 3, last)
        )
        figure = selectors.case_funnel(actor=people.registrar, filters=filters)
        return figure.suppressed(BASE).rows[0][1]

    shorter, longer, the_day = cohort(1, 10), cohort(1, 11), cohort(11, 11)
    assert isinstance(the_day, Small)
    assert longer - shorter != 1
    left_open = {b - a for a in possible(shorter) for b in possible(longer)} & possible(the_day)
    assert 1 in left_open and len(left_open) > 1
