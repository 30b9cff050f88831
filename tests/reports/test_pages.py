"""Who may open every report route: an explicit table, checked for every user and anonymous.
What each figure counts for those let in is tests/reports/test_need_to_know.py."""

import pytest
from django.urls import reverse

from safepassage.reports import urls as report_urls
from tests.web.test_permissions import _parse, check_matrix_row

# ok: GET 200. Decision makers of every organisation, the detaining power's exchange planners and
# the neutral verifier's staff see reports (of the persons each may see); no one else.
TABLE = """
url        methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
dashboard  GET      403   ok     ok    403  403    403  ok   ok     403  ok     ok    ok
chart      GET      403   ok     ok    403  403    403  ok   ok     403  ok     ok    ok
export     GET      403   ok     ok    403  403    403  ok   ok     403  ok     ok    ok
"""
MATRIX = _parse(TABLE)
FORMATS = {"chart": ["svg"], "export": ["svg", "png", "csv"]}


def test_the_matrix_covers_every_report_route():
    assert {p.name for p in report_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_route_admits_exactly_the_people_the_table_names(name, people, kim, login):
    methods, expected = MATRIX[name]
    names = [part for n in kim.names.all() for part in (n.family_name, n.given_name) if part]
    urls = (
        [reverse("reports:dashboard")]
        if name == "dashboard"
        else [
            reverse(f"reports:{name}", kwargs={"key": "funnel", "fmt": fmt})
            for fmt in FORMATS[name]
        ]
    )
    for url in urls:
        check_matrix_row(name, url, methods, expected, people, login, names)
