"""The database triggers of migration 0002: the guard that holds when the services are bypassed.

Every write here goes around the services (ORM or SQL), as a bug, a script or a race would.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from safepassage.cases.models import (
    Case,
    GuardBlock,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
    Wish,
)
from tests.cases.builders import accepted, awaiting_interview, governing_will, scheduled
from tests.factories import assess, record_will, tomorrow


def insert(person, planner, destination, transit=(), status=TransferStatus.SCHEDULED, **extra):
    return Transfer.objects.create(
        person=person, kind=extra.pop("kind", TransferKind.TRANSFER), destination=destination,
        transit=list(transit), scheduled_for=tomorrow(), status=status, scheduled_by=planner,
        **extra,
    )  # fmt: skip


def refused(write):
    """Run `write` in a savepoint; True when the database refused it as non-refoulement."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError as error:
        assert "non-refoulement" in str(error)
        return True
    return False


@pytest.fixture
def person(people):
    """Verified will: prefers KR, refuses KP (his origin) and RU; accepted by KR."""
    person = accepted(people, "KR")
    record_will(people.interviewer, person, preferred=("KR",), refused=("RU",))
    # The new will reopened the case; the triggers do not care about the workflow state.
    return person


# --- inserting transfers ----------------------------------------------------------------------


def test_it_lets_an_allowed_transfer_in(people, person):
    transfer = insert(person, people.planner, "KR", transit=["PL"])
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED


@pytest.mark.parametrize("status", [TransferStatus.SCHEDULED, TransferStatus.EXECUTED])
def test_it_refuses_a_transfer_to_a_refused_destination(people, person, status):
    assert refused(lambda: insert(person, people.planner, "KP", status=status))
    assert refused(lambda: insert(person, people.planner, "RU", status=status))
    assert not Transfer.objects.filter(person=person).exists()


@pytest.mark.parametrize("transit", [["RU"], ["PL", "RU"], ["KP", "PL"], ["CH", "KP", "PL"]])
def test_it_refuses_a_transfer_through_a_refused_transit_state(people, person, transit):
    assert refused(lambda: insert(person, people.planner, "KR", transit=transit))


def test_it_refuses_an_exchange_entry_and_a_repatriation_to_a_refused_state(people, person):
    assert refused(lambda: insert(person, people.planner, "KP", kind=TransferKind.EXCHANGE))
    assert refused(lambda: insert(person, people.planner, "KP", kind=TransferKind.REPATRIATION))


def test_it_refuses_a_state_assessed_high_risk_or_with_high_onward_risk(people, person):
    assess(people.legal_officer, person, "CN", onward="high")
    assess(people.legal_officer, person, "BY", persecution="high")
    assert refused(lambda: insert(person, people.planner, "KR", transit=["CN"]))
    assert refused(lambda: insert(person, people.planner, "CN"))
    assert refused(lambda: insert(person, people.planner, "KR", transit=["BY"]))
    assert refused(lambda: insert(person, people.planner, "BY"))


def test_it_lets_a_cancelled_row_through_whatever_its_route(people, person):
    transfer = insert(person, people.planner, "KP", status=TransferStatus.CANCELLED)
    assert transfer.pk


def test_it_refuses_a_transfer_for_a_person_without_a_verified_will(people):
    person = awaiting_interview(people)
    record_will(people.detaining_interviewer, person, verified=False)
    assert refused(lambda: insert(person, people.planner, "KR"))
    assert refused(lambda: insert(person, people.planner, "KR", status=TransferStatus.EXECUTED))


def test_it_refuses_a_transfer_while_the_verified_will_is_undecided(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, wish=Wish.UNDECIDED, preferred=())
    assert refused(lambda: insert(person, people.planner, "KR"))


def test_it_refuses_a_transfer_when_the_governing_will_was_withdrawn_behind_its_back(
    people, person
):
    WillExpression.objects.filter(pk=governing_will(person).pk).update(withdrawn_at=timezone.now())
    assert refused(lambda: insert(person, people.planner, "KR"))


def test_it_refuses_a_transfer_when_an_unverified_will_is_made_to_govern(people, person):
    unverified = record_will(people.detaining_interviewer, person, verified=False)
    Case.objects.filter(person=person).update(governing_will=unverified)
    assert refused(lambda: insert(person, people.planner, "KR"))


def test_it_matches_whole_codes_only(people, person):
    with connection.cursor() as cursor:  # a malformed one-letter block, written in SQL
        cursor.execute(
            "INSERT INTO cases_guardblock (person_id, country, rule) VALUES (%s, %s, %s)",
            [person.pk, "R", "refused"],
        )
    assert not refused(lambda: insert(person, people.planner, "KR", transit=["BR"]))


def test_it_refuses_a_transfer_inserted_in_sql(people, person):
    sql = (
        "INSERT INTO cases_transfer (person_id, kind, destination, transit, scheduled_for,"
        " status, scheduled_by_id, scheduled_at, cancelled_reason)"
        " VALUES (%s, 'exchange', %s, %s, %s, 'scheduled', %s, %s, '')"
    )

    def write(destination, transit):
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [person.pk, destination, transit, tomorrow(), people.planner.pk, timezone.now()],
            )

    assert refused(lambda: write("KR", "PL,RU"))
    assert refused(lambda: write("KP", ""))
    assert not refused(lambda: write("KR", "CH,PL"))


# --- updating transfers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"destination": "KP"},
        {"destination": "RU"},
        {"transit": "PL,RU"},
        {"transit": "KP"},
    ],
)
def test_it_refuses_an_update_that_routes_a_transfer_to_a_blocked_state(people, person, change):
    transfer = insert(person, people.planner, "KR", transit=["PL"])
    assert refused(lambda: Transfer.objects.filter(pk=transfer.pk).update(**change))
    transfer.refresh_from_db()
    assert (transfer.destination.code, transfer.transit_codes) == ("KR", ["PL"])


def test_it_refuses_an_update_through_save(people, person):
    transfer = insert(person, people.planner, "KR")
    transfer.transit = ["RU"]
    assert refused(transfer.save)


def test_it_refuses_an_update_in_sql(people, person):
    transfer = insert(person, people.planner, "KR")

    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_transfer SET destination = 'KP' WHERE id = %s", [transfer.pk]
            )

    assert refused(write)


def test_it_refuses_reviving_a_cancelled_transfer_to_a_blocked_state(people, person):
    transfer = insert(person, people.planner, "KP", status=TransferStatus.CANCELLED)
    assert refused(lambda: Transfer.objects.filter(pk=transfer.pk).update(status="scheduled"))
    assert refused(lambda: Transfer.objects.filter(pk=transfer.pk).update(status="executed"))


def test_it_refuses_executing_a_transfer_after_its_will_was_made_undecided(people, person):
    transfer = insert(person, people.planner, "KR")
    WillExpression.objects.filter(pk=governing_will(person).pk).update(wish=Wish.UNDECIDED)
    assert refused(lambda: Transfer.objects.filter(pk=transfer.pk).update(status="executed"))


def test_it_lets_an_allowed_update_and_a_cancellation_through(people, person):
    transfer = insert(person, people.planner, "KR")
    Transfer.objects.filter(pk=transfer.pk).update(transit="CH,PL")
    Transfer.objects.filter(pk=transfer.pk).update(status="executed", executed_at=timezone.now())
    other = insert(person, people.planner, "KR")
    Transfer.objects.filter(pk=other.pk).update(status="cancelled")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.EXECUTED


# --- adding blocks ----------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["KR", "PL", "CH"])
def test_it_refuses_a_block_across_a_scheduled_transfer(people, country):
    person, _transfer = scheduled(people, "KR", transit=["CH", "PL"])
    assert refused(
        lambda: GuardBlock.objects.create(person=person, country=country, rule="high_risk")
    )
    assert not GuardBlock.objects.filter(person=person, country=country).exists()


def test_it_refuses_moving_a_block_onto_a_scheduled_route(people):
    person, _transfer = scheduled(people, "KR", transit=["PL"])
    block = GuardBlock.objects.create(person=person, country="RU", rule="high_risk")
    assert refused(lambda: GuardBlock.objects.filter(pk=block.pk).update(country="PL"))
    assert GuardBlock.objects.get(pk=block.pk).country == "RU"


def test_it_lets_a_block_off_the_route_in(people):
    person, _transfer = scheduled(people, "KR", transit=["PL"])
    GuardBlock.objects.create(person=person, country="RU", rule="high_risk")


def test_it_lets_a_block_in_across_a_cancelled_or_executed_transfer(people, person):
    insert(person, people.planner, "KR", transit=["PL"], status=TransferStatus.CANCELLED)
    insert(person, people.planner, "KR", transit=["CH"], status=TransferStatus.EXECUTED)
    GuardBlock.objects.create(person=person, country="PL", rule="high_risk")
    GuardBlock.objects.create(person=person, country="CH", rule="high_risk")
    GuardBlock.objects.create(person=person, country="KR", rule="high_risk")


def test_a_block_of_another_person_does_not_cross_his_transfer(people):
    person, _transfer = scheduled(people, "KR", transit=["PL"])
    other = awaiting_interview(people, family="Ri", given="Yong Ho")
    GuardBlock.objects.create(person=other, country="PL", rule="refused")
    GuardBlock.objects.create(person=other, country="KR", rule="refused")
