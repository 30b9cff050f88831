"""Each figure counts what docs/reports.md says, for a caseload whose numbers are known."""

import datetime

from django_countries import countries

from safepassage.reports import selectors
from safepassage.reports.selectors import ReportFilters
from tests.factories import record_will
from tests.reports.builders import WEEK_A, WEEK_B, WEEK_C, on
from tests.reports.conftest import MARCH

KP, RU = countries.name("KP"), countries.name("RU")


def _rows(figure) -> dict:
    """The rows of a figure keyed by their first cell (or first two for the wills)."""
    if figure.key == "wills":
        return {(row[0], row[1]): row[2:] for row in figure.rows}
    return {row[0]: row[1:] for row in figure.rows}


def test_the_funnel_counts_the_cases_that_reached_each_state_and_where_they_are_now(
    people, casework
):
    rows = _rows(selectors.case_funnel(actor=people.decision_maker, filters=MARCH))
    assert rows["Registered"] == (5, 0)
    assert rows["Notified to the Central Agency"] == (5, 0)
    assert rows["Awaiting interview"] == (5, 0)
    assert rows["Will recorded"] == (0, 0)
    assert rows["Will verified"] == (5, 4)
    assert rows["Legal assessment"] == (1, 1)
    assert rows["Transferred"] == (0, 0)


def test_will_outcomes_count_each_persons_latest_verified_will_of_the_week(people, casework):
    figure = selectors.will_outcomes(actor=people.decision_maker, filters=MARCH)
    # (refuses repatriation, wishes to return, undecided); kp0 said "return" and then, an hour
    # later, "undecided" in week B: only the latest counts.
    assert _rows(figure) == {
        (WEEK_A, KP): (3, 1, 0),
        (WEEK_A, RU): (0, 0, 1),
        (WEEK_B, KP): (1, 0, 1),
    }
    assert [row[:2] for row in figure.rows] == [(WEEK_A, KP), (WEEK_A, RU), (WEEK_B, KP)]


def test_an_unverified_or_withdrawn_will_is_not_counted(people, casework):
    from safepassage.cases import services

    with on("2025-03-19 10:00"):
        record_will(people.detaining_interviewer, casework.kp[2], verified=False)
        latest = record_will(people.interviewer, casework.ru)
        services.will_expression_withdraw(actor=people.interviewer, will=latest, reason="Error.")
    figure = selectors.will_outcomes(actor=people.decision_maker, filters=MARCH)
    assert not [row for row in figure.rows if row[0] == WEEK_C]


def test_time_in_state_gives_the_quartiles_of_the_stays_that_ended(people, casework):
    figure = selectors.time_in_state(actor=people.decision_maker, filters=MARCH)
    rows = {state: (n, round(q1, 3), round(median, 3), round(q3, 3))
            for state, n, q1, median, q3 in figure.rows}  # fmt: skip
    # Registered Monday 10:00, notified 12:00, awaiting interview Tuesday 10:00, heard
    # Wednesday 10:00; kp1's legal assessment opened a week later. Nobody left it yet.
    assert rows == {
        "Registered": (5, 0.083, 0.083, 0.083),
        "Notified to the Central Agency": (5, 0.917, 0.917, 0.917),
        "Awaiting interview": (5, 1.0, 1.0, 1.0),
        "Will verified": (1, 7.0, 7.0, 7.0),
    }


def test_time_in_state_quartiles_spread_over_different_stays(people):
    from tests.cases.builders import awaiting_interview

    persons = []
    for day in (1, 2, 3, 4):
        with on(f"2025-03-0{day} 08:00"):
            persons.append(awaiting_interview(people))
    with on("2025-03-10 08:00"):
        for person in persons:
            record_will(people.interviewer, person)
    figure = selectors.time_in_state(actor=people.decision_maker, filters=MARCH)
    waiting = next(row for row in figure.rows if row[0] == "Awaiting interview")
    # 9, 8, 7 and 6 days waiting: inclusive quartiles 6.75, 7.5, 8.25.
    assert waiting[1:] == (4, 6.75, 7.5, 8.25)


def test_exchanges_count_batches_and_the_persons_on_each_side_per_week(people, exchange):
    figure = selectors.exchanges_done(actor=people.planner, filters=MARCH)
    assert figure.rows == ((WEEK_C, 1, 2, 2),)


def test_tracing_counts_requests_recorded_linked_answered_and_closed_per_week(people, tracing):
    figure = selectors.tracing_answered(actor=people.interviewer, filters=MARCH)
    assert figure.rows == (
        (WEEK_A, 3, 0, 0, 0),
        (WEEK_B, 0, 1, 1, 0),
        (WEEK_C, 0, 0, 0, 1),
    )


def test_the_date_range_changes_the_numbers(people, casework, exchange, tracing):
    week_b = ReportFilters(date_from=WEEK_B, date_to=WEEK_B + datetime.timedelta(days=6))
    dm, vera = people.decision_maker, people.interviewer
    assert _rows(selectors.will_outcomes(actor=dm, filters=week_b)) == {(WEEK_B, KP): (1, 0, 1)}
    # Nobody was registered in week B: the funnel's cohort is empty.
    assert _rows(selectors.case_funnel(actor=dm, filters=week_b))["Registered"] == (0, 0)
    assert [row[0] for row in selectors.time_in_state(actor=dm, filters=week_b).rows] == [
        "Will verified"
    ]
    assert selectors.exchanges_done(actor=people.planner, filters=week_b).rows == ()
    assert selectors.tracing_answered(actor=vera, filters=week_b).rows == ((WEEK_B, 0, 1, 1, 0),)


def test_the_organisation_filter_counts_only_the_persons_it_holds(people, orgs, casework):
    vera = people.interviewer
    everyone = selectors.will_outcomes(actor=vera, filters=MARCH)
    ours = selectors.will_outcomes(
        actor=vera, filters=ReportFilters(MARCH.date_from, MARCH.date_to, orgs.detaining)
    )
    theirs = selectors.will_outcomes(
        actor=vera, filters=ReportFilters(MARCH.date_from, MARCH.date_to, orgs.other_detaining)
    )
    assert _rows(everyone)[(WEEK_A, KP)] == (4, 1, 0)
    assert _rows(ours)[(WEEK_A, KP)] == (3, 1, 0)
    assert _rows(theirs) == {(WEEK_A, KP): (1, 0, 0)}
    funnel = selectors.case_funnel(
        actor=vera, filters=ReportFilters(MARCH.date_from, MARCH.date_to, orgs.other_detaining)
    )
    assert _rows(funnel)["Registered"] == (1, 0)


def test_the_organisations_offered_are_those_holding_persons_one_sees(people, orgs, casework):
    assert list(selectors.filter_organisations(actor=people.interviewer)) == [
        orgs.detaining, orgs.other_detaining,
    ]  # fmt: skip
    assert list(selectors.filter_organisations(actor=people.decision_maker)) == [orgs.detaining]
    assert list(selectors.filter_organisations(actor=people.outsider)) == [orgs.other_detaining]


def test_beyond_six_nationalities_the_rest_are_counted_together(people):
    from tests.cases.builders import awaiting_interview

    codes = ["KP", "RU", "UA", "BY", "CN", "IR", "SY", "CU"]
    with on("2025-03-05 10:00"):
        for i, code in enumerate(codes):
            for _ in range(1 if i >= 6 else 2):
                record_will(people.interviewer, awaiting_interview(people, nationalities=(code,)))
    figure = selectors.will_outcomes(actor=people.decision_maker, filters=MARCH)
    labels = [row[1] for row in figure.rows]
    assert len(labels) == 7
    assert labels[-1] == "Other nationalities"
    assert figure.rows[-1][2:] == (2, 0, 0)  # SY and CU, one each


def test_an_undecided_man_who_refuses_his_country_counts_as_refusing_repatriation(people):
    from safepassage.cases.models import Wish
    from tests.cases.builders import awaiting_interview

    with on("2025-03-05 10:00"):
        person = awaiting_interview(people)
        record_will(people.interviewer, person, wish=Wish.UNDECIDED, preferred=(), refused=("KP",))
    figure = selectors.will_outcomes(actor=people.decision_maker, filters=MARCH)
    assert figure.rows == ((WEEK_A, KP, 1, 0, 0),)
