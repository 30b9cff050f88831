"""The database refuses an exchange entry the guard forbids, whatever writes it (raw SQL too)."""

import pytest
from django.db import IntegrityError, connection, transaction

from safepassage.exchanges.models import Batch, Candidate, Entry, MatchMethod, Side
from tests.exchanges.builders import (
    ORIGIN,
    TRANSIT,
    agreement,
    high_risk,
    refusing,
    returning,
    theirs,
    transit_risk,
    unverified,
)
from tests.factories import assess

SQL = (
    "INSERT INTO exchanges_entry (batch_id, candidate_id, side, person_id, destination, transit,"
    " status, removed_reason) VALUES (%s, %s, %s, %s, %s, %s, %s, '')"
)


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        assert "non-refoulement" in str(exc)
        return True
    return False


@pytest.fixture
def setting(people):
    deal = agreement(people)
    batch = Batch.objects.create(agreement=deal, number=1, created_by=people.planner)
    return deal, batch


def candidate(deal, person, planner):
    return Candidate.objects.create(
        agreement=deal, side=Side.OURS, person=person, external_id=person.registry_number,
        category="conscript", match_method=MatchMethod.REGISTRY, added_by=planner,
    )  # fmt: skip


def insert_sql(batch, cand, destination, transit="", status="planned", side="ours"):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                SQL, [batch.pk, cand.pk, side, cand.person_id, destination, transit, status]
            )

    return write


@pytest.mark.parametrize("status", ["planned", "agreed", "executed"])
def test_it_refuses_in_sql_an_entry_to_a_destination_he_refused(people, setting, status):
    deal, batch = setting
    cand = candidate(deal, refusing(people), people.planner)
    assert refused(insert_sql(batch, cand, ORIGIN, status=status))


def test_it_refuses_in_sql_an_entry_through_a_transit_state_of_high_onward_risk(people, setting):
    deal, batch = setting
    cand = candidate(deal, transit_risk(people), people.planner)
    assert refused(insert_sql(batch, cand, ORIGIN, transit=f"PL,{TRANSIT}"))
    assert refused(insert_sql(batch, cand, ORIGIN, transit="PL"))  # PL: nobody assessed it
    assert not refused(insert_sql(batch, cand, ORIGIN))  # home, which he asks for


def test_it_refuses_in_sql_an_entry_to_a_high_risk_state(people, setting):
    deal, batch = setting
    cand = candidate(deal, high_risk(people), people.planner)
    assert refused(insert_sql(batch, cand, ORIGIN))


def test_it_refuses_in_sql_an_entry_of_a_person_without_a_verified_will(people, setting):
    deal, batch = setting
    cand = candidate(deal, unverified(people), people.planner)
    assert refused(insert_sql(batch, cand, ORIGIN))


def test_it_lets_an_allowed_entry_a_removed_one_and_the_other_sides_through(people, setting):
    deal, batch = setting
    allowed = candidate(deal, returning(people), people.planner)
    assert not refused(insert_sql(batch, allowed, ORIGIN, transit=TRANSIT))
    blocked = candidate(deal, refusing(people), people.planner)
    assert not refused(insert_sql(batch, blocked, ORIGIN, status="removed"))
    other = theirs(deal, people.planner, "T1")
    with connection.cursor() as cursor:
        cursor.execute(SQL, [batch.pk, other.pk, "theirs", None, "UA", "", "planned"])


def test_it_refuses_in_sql_an_update_that_revives_or_reroutes_a_blocked_entry(people, setting):
    deal, batch = setting
    cand = candidate(deal, refusing(people), people.planner)
    insert_sql(batch, cand, ORIGIN, status="removed")()
    entry = Entry.objects.get(candidate=cand)

    def revive():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE exchanges_entry SET status = 'executed' WHERE id = %s",
                           [entry.pk])  # fmt: skip

    assert refused(revive)
    korea = candidate(deal, refusing(people), people.planner)
    assess(people.legal_officer, korea.person, "KR")
    insert_sql(batch, korea, "KR")()
    assert refused(lambda: Entry.objects.filter(candidate=korea).update(destination=ORIGIN))
    assert refused(lambda: Entry.objects.filter(candidate=korea).update(transit=f"PL,{ORIGIN}"))
    assert Entry.objects.get(candidate=korea).destination.code == "KR"
