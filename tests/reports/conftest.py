"""Reports fixtures: the known caseload of `builders`, and a client logged in as anyone."""

import datetime

import pytest
from django.test import Client

from safepassage.reports.selectors import ReportFilters
from tests.factories import force_login_fresh
from tests.reports import builders
from tests.web.conftest import kim, login  # noqa: F401 - fixtures of the route matrix

MARCH = ReportFilters(date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31))


@pytest.fixture(autouse=True)
def _threshold(settings):
    """Suppress counts of 1 and 2 ("<3"), so the small fixture has cells on both sides."""
    settings.REPORTS_SMALL_COUNT_THRESHOLD = 3


@pytest.fixture
def casework(people):
    return builders.casework(people)


@pytest.fixture
def exchange(people):
    return builders.exchange_done(people)


@pytest.fixture
def tracing(people):
    return builders.tracing_work(people)


@pytest.fixture
def client_for():
    def _login(user) -> Client:
        client = Client()
        force_login_fresh(client, user)
        return client

    return _login
