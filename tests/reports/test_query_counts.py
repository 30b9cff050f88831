"""The dashboard and its charts make a fixed number of queries, however many persons, wills,
steps, exchanges and requests there are: every figure is aggregated in the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.builders import MARCH, casework, tracing_work

# Session read and save (3), user, organisation, roles, filter choices, and per figure: funnel 2,
# wills 1, time in state 1, exchanges 2, tracing 4, the medical track 3 (one per queue).
MAX_DASHBOARD = 23
MAX_CHART = 12


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, MARCH)
    assert response.status_code == 200, url
    return len(captured)


def test_the_dashboard_makes_the_same_queries_for_a_small_and_a_larger_caseload(people, client_for):
    client = client_for(people.interviewer)
    casework(people)
    tracing_work(people)
    few = _count(client, "/reports/")
    for _ in range(3):
        casework(people)
        tracing_work(people)
    many = _count(client, "/reports/")
    print("dashboard queries", few, many)  # noqa: T201 - shown with -s
    assert few == many <= MAX_DASHBOARD


def test_each_chart_and_download_makes_a_bounded_number_of_queries(
    people, casework, client_for, django_assert_max_num_queries
):
    client = client_for(people.interviewer)
    for key in ("funnel", "wills", "time_in_state", "exchanges", "tracing"):
        for url in (f"/reports/{key}/chart.svg", f"/reports/{key}/export.csv"):
            with django_assert_max_num_queries(MAX_CHART):
                assert client.get(url, MARCH).status_code == 200
