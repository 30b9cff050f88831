"""An unusual burst of sensitive reads by one account is flagged on the auditors' page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from safepassage.accounts.models import Role
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.audit.selectors import densest_window, read_burst_list, widest_window
from tests.factories import make_user, register

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.READ_BURST_LIMIT = 5
    settings.READ_BURST_MINUTES = 10
    settings.READ_BURST_PERSONS = 3
    settings.READ_BURST_PERSONS_MINUTES = 60
    settings.READ_BURST_LOOKBACK_DAYS = 7


@pytest.fixture
def persons(people):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        return [
            register(people.registrar, family=f"Ri{n}", next_of_kin=f"Uncle {n}") for n in range(6)
        ]


def read_at(reader, person, when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False):
        sensitive_reads_record(actor=reader, reads=[SensitiveRead(person, "next_of_kin")])


def minutes(n: float) -> datetime.datetime:
    return START + datetime.timedelta(minutes=n)


def flags(auditor, now=None):
    return [(b.actor_username, b.rule, b.count) for b in read_burst_list(actor=auditor, now=now)]


def test_more_reads_than_the_limit_within_the_span_are_flagged(people, persons):
    for n in range(6):  # six reads of one person in five minutes; the limit is five
        read_at(people.registrar, persons[0], minutes(n))
    (burst,) = read_burst_list(actor=people.auditor, now=minutes(30))
    assert (burst.actor_username, burst.rule, burst.count, burst.limit) == ("alice", "reads", 6, 5)
    assert (burst.start, burst.end, burst.minutes) == (minutes(0), minutes(5), 10)


def test_as_many_reads_as_the_limit_are_not_flagged(people, persons):
    for n in range(5):
        read_at(people.registrar, persons[0], minutes(n))
    assert flags(people.auditor, now=minutes(30)) == []


def test_the_same_reads_spread_over_a_longer_span_are_not_flagged(people, persons):
    for n in range(12):  # one read every three minutes: at most four in any ten minutes
        read_at(people.registrar, persons[0], minutes(3 * n))
    assert flags(people.auditor, now=minutes(60)) == []


def test_reading_more_persons_than_the_limit_within_an_hour_is_flagged(people, persons):
    for n, person in enumerate(persons[:4]):  # four persons in 45 minutes; the limit is three
        read_at(people.registrar, person, minutes(15 * n))
    assert flags(people.auditor, now=minutes(90)) == [("alice", "persons", 4)]


def test_persons_read_further_apart_than_the_span_are_not_flagged(people, persons):
    for n, person in enumerate(persons[:4]):
        read_at(people.registrar, person, minutes(25 * n))  # 75 minutes from first to last
    assert flags(people.auditor, now=minutes(120)) == []


def test_a_burst_older_than_the_look_back_is_no_longer_shown(people, persons):
    for n in range(6):
        read_at(people.registrar, persons[0], minutes(n))
    assert flags(people.auditor, now=minutes(60))
    assert flags(people.auditor, now=START + datetime.timedelta(days=8)) == []


def test_each_account_is_judged_alone(people, persons):
    for n in range(3):  # six reads in all, but three each
        read_at(people.registrar, persons[0], minutes(n))
        read_at(people.detaining_interviewer, persons[0], minutes(n))
    assert flags(people.auditor, now=minutes(30)) == []


def test_an_auditor_sees_only_bursts_of_his_own_organisation(people, persons, orgs):
    for n in range(6):
        read_at(people.interviewer, persons[n], minutes(n))  # vera, of the neutral verifier
    verifier_auditor = make_user(orgs.verifier, Role.AUDITOR, username="vaud")
    assert flags(people.auditor, now=minutes(30)) == []  # the detaining power's auditor
    assert set(flags(verifier_auditor, now=minutes(30))) == {
        ("vera", "persons", 6),
        ("vera", "reads", 6),
    }


def test_it_refuses_a_reader_who_is_not_an_auditor(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        read_burst_list(actor=people.registrar)


def test_the_audit_page_shows_the_burst(people, persons, client):
    with time_machine.travel(minutes(0), tick=False):
        client.force_login(people.registrar)
        for _ in range(6):  # six openings of his page: six next-of-kin reads
            client.get(reverse("registry:person_detail", args=[persons[0].registry_number]))
    with time_machine.travel(minutes(20), tick=False):
        client.force_login(people.auditor)
        response = client.get(reverse("audit:audit_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Unusual reads" in body
    assert "6 sensitive reads within 10 minutes (more than 5)" in body


def test_the_audit_page_is_calm_without_a_burst(people, client):
    client.force_login(people.auditor)
    assert "Unusual reads" not in client.get(reverse("audit:audit_list")).content.decode()


# --- the windows, against a brute force -----------------------------------------------------------

offsets = st.lists(st.integers(min_value=0, max_value=200), max_size=30).map(sorted)


@given(offsets, st.integers(min_value=1, max_value=60))
def test_the_densest_window_is_the_brute_force_one(seconds, span_seconds):
    times = [START + datetime.timedelta(seconds=s) for s in seconds]
    span = datetime.timedelta(seconds=span_seconds)
    found = densest_window(times, span)
    expected = max((sum(1 for u in times if t <= u < t + span) for t in times), default=None)
    assert (found.count if found else None) == expected


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.one_of(st.none(), st.integers(0, 5))), max_size=30
    ).map(lambda events: sorted(events, key=lambda e: e[0])),
    st.integers(min_value=1, max_value=60),
)
def test_the_widest_window_is_the_brute_force_one(events, span_seconds):
    timed = [(START + datetime.timedelta(seconds=s), key) for s, key in events]
    span = datetime.timedelta(seconds=span_seconds)
    found = widest_window(timed, span)
    expected = max(
        (len({k for u, k in timed if t <= u < t + span and k is not None}) for t, _key in timed),
        default=None,
    )
    assert (found.count if found else None) == expected
