"""The week and the duration the reports compute in the database, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db.models import F, Value
from django.db.models.fields import DateField, DateTimeField

from safepassage.accounts.models import Organisation
from safepassage.reports.expressions import SecondsBetween, WeekStart

UTC = datetime.UTC


def _value(expression):
    return Organisation.objects.annotate(v=expression).values_list("v", flat=True).get()


@pytest.fixture
def one_row(orgs):
    Organisation.objects.exclude(pk=orgs.detaining.pk).delete()


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        ("2025-03-03", "2025-03-03"),  # a Monday is its own week
        ("2025-03-05", "2025-03-03"),
        ("2025-03-09", "2025-03-03"),  # Sunday closes the week
        ("2025-03-10", "2025-03-10"),
        ("2025-01-01", "2024-12-30"),  # across the new year
    ],
)
def test_the_week_of_a_date_starts_on_its_monday(one_row, day, monday):
    date = datetime.date.fromisoformat(day)
    assert _value(WeekStart(Value(date, output_field=DateField()))) == datetime.date.fromisoformat(
        monday
    )


def test_the_week_of_a_moment_is_taken_in_utc(one_row):
    sunday_night = datetime.datetime(2025, 3, 9, 23, 59, 59, 999999, tzinfo=UTC)
    monday_morning = datetime.datetime(2025, 3, 10, 0, 0, tzinfo=UTC)
    as_moment = {"output_field": DateTimeField()}
    assert _value(WeekStart(Value(sunday_night, **as_moment))) == datetime.date(2025, 3, 3)
    assert _value(WeekStart(Value(monday_morning, **as_moment))) == datetime.date(2025, 3, 10)


def test_seconds_between_two_moments(one_row, orgs):
    start = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    end = datetime.datetime(2025, 3, 10, 12, 30, 0, 500000, tzinfo=UTC)
    seconds = _value(
        SecondsBetween(Value(end, output_field=DateTimeField()), F("created_at"))
    ) - _value(SecondsBetween(Value(start, output_field=DateTimeField()), F("created_at")))
    assert seconds == pytest.approx(7 * 86400 + 2.5 * 3600 + 0.5, abs=0.01)
