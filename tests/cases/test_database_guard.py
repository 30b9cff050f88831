"""The database's last line (cases and exchanges migrations 0006): the guard that holds when the
services are bypassed, on SQLite and PostgreSQL alike.

A movement row is refused unless every state on its route has a `GuardClearance` row for him in
its role, under his governing will; a clearance is never edited, and one a live movement relies
on alone is never deleted. Every write here goes around the services (ORM or SQL), as a bug, a
script or a race would, and every test says what the database did.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from safepassage.cases import services
from safepassage.cases.guard import Clearance
from safepassage.cases.models import (
    Case,
    GuardClearance,
    InterviewSetting,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.exchanges.models import Batch, Candidate, Entry, MatchMethod, Side
from safepassage.registry.models import Person
from safepassage.tracing.services import duplicate_pair_decide
from tests.cases.builders import (
    accepted,
    awaiting_interview,
    clearances_of,
    governing_will,
    scheduled,
    will_kwargs,
    yesterday,
)
from tests.exchanges.builders import ORIGIN, TRANSIT, agreement, returning, theirs
from tests.factories import assess, record_will, tomorrow
from tests.tracing.tracing_data import pair_of

pytestmark = pytest.mark.django_db

REFUSED, ALLOWED = "refused", "allowed"


class _RolledBack(Exception):
    pass


# The tables the guard's triggers stand over: a write let in must have changed one of them.
GUARDED_TABLES = ("cases_transfer", "cases_guardclearance", "exchanges_entry")


def guarded_rows() -> dict[str, list[tuple]]:
    """Every row of the guarded tables, as the database holds them now."""
    rows = {}
    with connection.cursor() as cursor:
        for table in GUARDED_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
            rows[table] = cursor.fetchall()
    return rows


def outcome(write) -> str:
    """Run `write` in a savepoint and roll it back: "refused" when the database refused it as
    non-refoulement, "allowed" when it went through and changed a guarded row. A write that
    raises nothing and changes nothing fails the test, as does any other error."""
    before = guarded_rows()
    try:
        with transaction.atomic():
            write()
            assert guarded_rows() != before, "the write raised nothing and changed nothing"
            raise _RolledBack
    except _RolledBack:
        assert guarded_rows() == before  # rolled back: the next write starts from the same rows
        return ALLOWED
    except IntegrityError as error:
        assert "non-refoulement" in str(error), error
        assert guarded_rows() == before
        return REFUSED


def insert(person, planner, destination, transit=(), status=TransferStatus.SCHEDULED, **extra):
    return Transfer.objects.create(
        person=person, kind=extra.pop("kind", TransferKind.TRANSFER), destination=destination,
        transit=list(transit), scheduled_for=tomorrow(), status=status, scheduled_by=planner,
        **extra,
    )  # fmt: skip


def inserting(person, planner, destination, transit=(), **extra):
    return lambda: insert(person, planner, destination, transit, **extra)


TRANSFER_SQL = (
    "INSERT INTO cases_transfer (person_id, kind, destination, transit, scheduled_for,"
    " status, scheduled_by_id, scheduled_at, cancelled_reason)"
    " VALUES (%s, 'transfer', %s, %s, %s, %s, %s, %s, '')"
)


def inserting_sql(person, planner, destination, transit="", status="scheduled"):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                TRANSFER_SQL,
                [person.pk, destination, transit, tomorrow(), status, planner.pk, timezone.now()],
            )

    return write


def updating(rows, **values):
    return lambda: rows.update(**values)


def sql(statement, *params):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(statement, list(params))

    return write


@pytest.fixture
def person(people):
    """Prefers the Republic of Korea (so refuses his origin, the DPRK), accepted by it; Poland
    and Switzerland assessed low, so KR, PL and CH are cleared in both roles."""
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "PL")
    assess(people.legal_officer, person, "CH")
    assert clearances_of(person) == {
        (code, role) for code in ("KR", "PL", "CH") for role in ("transit", "destination")
    }
    return person


# --- inserting transfers ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [TransferStatus.SCHEDULED, TransferStatus.EXECUTED])
def test_a_transfer_every_state_of_which_has_its_clearance_row_is_let_in(people, person, status):
    assert outcome(inserting(person, people.planner, "KR", ["PL", "CH"], status=status)) == ALLOWED
    transfer = insert(person, people.planner, "KR", ["PL", "CH"], status=status)
    assert Transfer.objects.get(pk=transfer.pk).route == ["PL", "CH", "KR"]


@pytest.mark.parametrize("status", [TransferStatus.SCHEDULED, TransferStatus.EXECUTED])
@pytest.mark.parametrize("destination", ["KP", "RU", "BR"])
def test_a_transfer_to_a_destination_without_its_clearance_row_is_refused(
    people, person, status, destination
):
    # KP: his will refuses it; RU: never assessed; BR: never assessed, nor asked for.
    assert outcome(inserting(person, people.planner, destination, status=status)) == REFUSED
    assert not Transfer.objects.filter(person=person).exists()


@pytest.mark.parametrize("transit", [["RU"], ["PL", "RU"], ["KP", "PL"], ["CH", "PL", "CN"]])
def test_a_transfer_through_a_transit_state_without_its_clearance_row_is_refused(
    people, person, transit
):
    assert outcome(inserting(person, people.planner, "KR", transit)) == REFUSED
    assert not Transfer.objects.filter(person=person).exists()


def test_a_state_cleared_only_as_his_own_destination_is_not_cleared_as_a_transit_state(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=())
    assess(people.legal_officer, person, "KR")
    assert ("KP", "destination") in clearances_of(person)
    assert ("KP", "transit") not in clearances_of(person)
    going_home = inserting(person, people.planner, "KP", kind=TransferKind.REPATRIATION)
    assert outcome(going_home) == ALLOWED
    assert outcome(inserting(person, people.planner, "KR", ["KP"])) == REFUSED


def test_a_state_cleared_only_as_a_transit_state_is_not_cleared_as_a_destination(people, person):
    # A later statement asking for Korea alone: CH stays a transit state, it is no destination.
    record_will(people.detaining_interviewer, person, preferred=("KR",), verified=False)
    assert ("CH", "transit") in clearances_of(person)
    assert ("CH", "destination") not in clearances_of(person)
    assert outcome(inserting(person, people.planner, "KR", ["CH"])) == ALLOWED
    assert outcome(inserting(person, people.planner, "CH")) == REFUSED


def test_a_transfer_inserted_in_sql_is_checked_as_well(people, person):
    assert outcome(inserting_sql(person, people.planner, "KR", "PL,CH")) == ALLOWED
    assert outcome(inserting_sql(person, people.planner, "KR", "PL,RU")) == REFUSED
    assert outcome(inserting_sql(person, people.planner, "KP")) == REFUSED
    assert outcome(inserting_sql(person, people.planner, "KR", status="executed")) == ALLOWED


def test_a_transit_string_that_repeats_a_cleared_code_is_refused(people, person):
    # The database counts the distinct cleared states against the number of codes: PL twice
    # is two codes and one state.
    assert outcome(inserting_sql(person, people.planner, "KR", "PL,PL")) == REFUSED
    assert outcome(inserting_sql(person, people.planner, "KR", "PL,CH,PL")) == REFUSED


@pytest.mark.parametrize("transit", ["PL,RUS", "PLCH", "pl", "PL,R", "R,PL", "PL,CH,R"])
def test_a_transit_string_with_a_code_that_is_not_a_cleared_state_is_refused(
    people, person, transit
):
    # "R" is no state, and was cleared for no one: a route through it is not a cleared route.
    assert outcome(inserting_sql(person, people.planner, "KR", transit)) == REFUSED


def test_a_cancelled_transfer_is_not_checked_whatever_its_route(people, person):
    write = inserting(person, people.planner, "KP", ["RU"], status=TransferStatus.CANCELLED)
    assert outcome(write) == ALLOWED
    transfer = write()
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.CANCELLED


# --- his governing will, changed behind the services' back -------------------------------------


def _unset(person, people):
    Case.objects.filter(person=person).update(governing_will=None)


def _withdrawn(person, people):
    WillExpression.objects.filter(pk=governing_will(person).pk).update(withdrawn_at=timezone.now())


def _undecided(person, people):
    WillExpression.objects.filter(pk=governing_will(person).pk).update(wish=Wish.UNDECIDED)


def _unverified(person, people):
    WillExpression.objects.filter(pk=governing_will(person).pk).update(verified=False)


def _an_unverified_will_made_to_govern(person, people):
    unverified = record_will(people.detaining_interviewer, person, verified=False)
    Case.objects.filter(person=person).update(governing_will=unverified)


BEHIND_ITS_BACK = [_unset, _withdrawn, _undecided, _unverified, _an_unverified_will_made_to_govern]


@pytest.mark.parametrize("change", BEHIND_ITS_BACK, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("status", [TransferStatus.SCHEDULED, TransferStatus.EXECUTED])
def test_a_transfer_is_refused_once_his_governing_will_no_longer_stands(
    people, person, change, status
):
    assert outcome(inserting(person, people.planner, "KR", status=status)) == ALLOWED
    change(person, people)
    assert clearances_of(person)  # the rows stay; the will they were written under does not
    assert outcome(inserting(person, people.planner, "KR", status=status)) == REFUSED


def test_a_transfer_of_a_person_without_a_verified_will_is_refused(people):
    person = awaiting_interview(people)
    record_will(people.detaining_interviewer, person, verified=False)
    assert clearances_of(person) == set()
    assert outcome(inserting(person, people.planner, "KR")) == REFUSED


# --- what the refresh reads: his statements in the order he made them --------------------------


def _statement(people, person, **overrides):
    """An unverified statement (to the press), recorded through the service."""
    values = will_kwargs(source=WillSource.PRESS_INTERVIEW, setting=InterviewSetting.PUBLIC)
    return services.will_expression_record(
        actor=people.detaining_interviewer, person=person, **{**values, **overrides}
    )


def test_a_later_statement_refusing_a_transit_state_closes_it_in_the_database(people, person):
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == ALLOWED
    _statement(people, person, destinations_refused=["PL"])
    assert {code for code, _role in clearances_of(person)} == {"KR", "CH"}
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == REFUSED


def test_a_statement_made_before_his_governing_will_does_not_close_anything(people, person):
    before = clearances_of(person)
    _statement(people, person, expressed_on=yesterday(), destinations_refused=["PL"])
    assert clearances_of(person) == before
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == ALLOWED


def test_an_interview_typed_in_late_does_not_override_a_later_one(people, person):
    governing = governing_will(person)
    services.will_expression_record(
        actor=people.interviewer, person=person,
        **will_kwargs(expressed_on=yesterday(), destinations_preferred=["BR"],
                      destinations_refused=["KR"]),
    )  # fmt: skip
    assert governing_will(person) == governing
    assert set(
        GuardClearance.objects.filter(person=person).values_list("will_expression", flat=True)
    ) == {governing.pk}  # fmt: skip
    assert outcome(inserting(person, people.planner, "KR")) == ALLOWED


# --- merged-away records ----------------------------------------------------------------------


def test_a_merged_away_record_never_moves_even_with_clearance_rows_of_its_own(people):
    survivor = awaiting_interview(people)
    absorbed = awaiting_interview(people, family="Kim", given="Cholsu")
    record_will(people.interviewer, absorbed, preferred=("KR",))
    assess(people.legal_officer, absorbed, "KR")
    rows = list(GuardClearance.objects.filter(person=absorbed).values())
    assert outcome(inserting(absorbed, people.planner, "KR")) == ALLOWED

    duplicate_pair_decide(actor=people.registrar, pair=pair_of(survivor, absorbed), same=True,
                          reason="Same card.", survivor=survivor)  # fmt: skip
    assert clearances_of(absorbed) == set()
    # Someone writes his old rows back: the database still refuses him as merged away ...
    GuardClearance.objects.bulk_create(GuardClearance(**row) for row in rows)
    assert ("KR", "destination") in clearances_of(absorbed)
    assert outcome(inserting(absorbed, people.planner, "KR")) == REFUSED
    assert outcome(inserting(absorbed, people.planner, "KR", status="executed")) == REFUSED
    # ... and for that reason alone: un-merged, the same rows would let him go.
    Person.objects.filter(pk=absorbed.pk).update(merged_into=None, merged_at=None)
    assert outcome(inserting(absorbed, people.planner, "KR")) == ALLOWED


# --- updating transfers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"destination": "KP"}, {"destination": "RU"}, {"transit": "PL,RU"}, {"transit": "KP"}],
)
def test_an_update_routing_a_transfer_through_a_state_without_its_row_is_refused(
    people, person, change
):
    transfer = insert(person, people.planner, "KR", ["PL"])
    assert outcome(updating(Transfer.objects.filter(pk=transfer.pk), **change)) == REFUSED
    transfer.refresh_from_db()
    assert (transfer.destination.code, transfer.transit_codes) == ("KR", ["PL"])


def test_an_update_through_save_is_refused(people, person):
    transfer = insert(person, people.planner, "KR")
    transfer.transit = ["RU"]
    assert outcome(transfer.save) == REFUSED
    assert Transfer.objects.get(pk=transfer.pk).transit_codes == []


def test_an_update_in_sql_is_refused(people, person):
    transfer = insert(person, people.planner, "KR")
    write = sql("UPDATE cases_transfer SET destination = 'KP' WHERE id = %s", transfer.pk)
    assert outcome(write) == REFUSED
    assert Transfer.objects.get(pk=transfer.pk).destination.code == "KR"


@pytest.mark.parametrize("status", ["scheduled", "executed"])
def test_reviving_a_cancelled_transfer_to_a_state_without_its_row_is_refused(
    people, person, status
):
    transfer = insert(person, people.planner, "KP", status=TransferStatus.CANCELLED)
    assert outcome(updating(Transfer.objects.filter(pk=transfer.pk), status=status)) == REFUSED
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.CANCELLED


def test_executing_a_transfer_after_his_will_was_made_undecided_is_refused(people, person):
    transfer = insert(person, people.planner, "KR")
    _undecided(person, people)
    execute = updating(Transfer.objects.filter(pk=transfer.pk), status="executed")
    assert outcome(execute) == REFUSED
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED


def test_an_allowed_update_and_a_cancellation_go_through(people, person):
    transfer = insert(person, people.planner, "KR")
    Transfer.objects.filter(pk=transfer.pk).update(transit="CH,PL")
    Transfer.objects.filter(pk=transfer.pk).update(status="executed", executed_at=timezone.now())
    other = insert(person, people.planner, "KR", ["PL"])
    _undecided(person, people)  # no route is cleared now, but calling one off is not checked
    Transfer.objects.filter(pk=other.pk).update(status="cancelled")
    assert Transfer.objects.get(pk=transfer.pk).route == ["CH", "PL", "KR"]
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.EXECUTED
    assert Transfer.objects.get(pk=other.pk).status == TransferStatus.CANCELLED


# --- deleting and editing clearances ----------------------------------------------------------


@pytest.mark.parametrize("how", ["orm", "sql"])
def test_deleting_his_clearance_rows_closes_every_route_instead_of_opening_one(people, person, how):
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == ALLOWED
    if how == "orm":
        GuardClearance.objects.filter(person=person).delete()
    else:
        sql("DELETE FROM cases_guardclearance WHERE person_id = %s", person.pk)()
    assert clearances_of(person) == set()
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == REFUSED
    assert outcome(inserting(person, people.planner, "KR")) == REFUSED


def test_deleting_one_row_closes_that_state_in_that_role_only(people, person):
    GuardClearance.objects.filter(person=person, country="PL", role="transit").delete()
    assert outcome(inserting(person, people.planner, "KR", ["PL"])) == REFUSED
    assert outcome(inserting(person, people.planner, "PL")) == ALLOWED
    assert outcome(inserting(person, people.planner, "KR", ["CH"])) == ALLOWED


@pytest.mark.parametrize("row", [("KR", "destination"), ("PL", "transit")])
def test_a_row_a_scheduled_transfer_relies_on_alone_cannot_be_deleted(people, row):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    country, role = row
    rows = GuardClearance.objects.filter(person=person, country=country, role=role)
    assert outcome(rows.delete) == REFUSED
    assert outcome(sql("DELETE FROM cases_guardclearance WHERE id = %s", rows.get().pk)) == REFUSED
    assert rows.count() == 1
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED


def test_rows_off_the_route_of_a_scheduled_transfer_can_be_deleted(people):
    person, _transfer = scheduled(people, "KR", transit=["PL"])
    off_route = GuardClearance.objects.filter(person=person).exclude(
        country="KR", role="destination"
    ).exclude(country="PL", role="transit")  # fmt: skip
    assert {(r.country, r.role) for r in off_route} == {("KR", "transit"), ("PL", "destination")}
    assert outcome(off_route.delete) == ALLOWED


def test_the_refresh_replaces_a_row_a_transfer_relies_on_by_inserting_its_successor_first(
    people,
):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    old = GuardClearance.objects.get(person=person, country="PL", role="transit")
    reassessed = assess(people.legal_officer, person, "PL", persecution="none")
    new = GuardClearance.objects.get(person=person, country="PL", role="transit")
    assert (new.pk != old.pk, new.assessment_id) == (True, reassessed.pk)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED


def test_rows_an_executed_or_cancelled_transfer_went_through_can_be_deleted(people, person):
    insert(person, people.planner, "KR", ["PL"], status=TransferStatus.EXECUTED)
    insert(person, people.planner, "KR", ["CH"], status=TransferStatus.CANCELLED)
    assert outcome(GuardClearance.objects.filter(person=person).delete) == ALLOWED


@pytest.mark.parametrize(
    "change",
    [{"country": "RU"}, {"basis": "own_choice"}, {"seal": "0" * 64}, {"assessment": None}],
    ids=["country", "basis", "seal", "assessment"],
)
def test_a_clearance_row_is_never_edited(people, person, change):
    row = GuardClearance.objects.get(person=person, country="PL", role="transit")
    assert outcome(updating(GuardClearance.objects.filter(pk=row.pk), **change)) == REFUSED
    assert GuardClearance.objects.get(pk=row.pk).country == "PL"


def test_a_clearance_row_is_never_edited_in_sql(people, person):
    row = GuardClearance.objects.get(person=person, country="PL", role="transit")
    write = sql("UPDATE cases_guardclearance SET country = 'RU' WHERE id = %s", row.pk)
    assert outcome(write) == REFUSED
    assert outcome(inserting(person, people.planner, "KR", ["RU"])) == REFUSED


# --- the seal: a row written outside the refresh is detected -----------------------------------


def _clearance(row: GuardClearance) -> Clearance:
    return Clearance(row.country, row.role, row.basis, row.will_expression_id, row.assessment_id)


def test_every_row_the_refresh_writes_carries_its_seal(people, person):
    rows = list(GuardClearance.objects.filter(person=person))
    assert rows and all(r.seal == services.clearance_seal(person.pk, _clearance(r)) for r in rows)


def test_a_row_inserted_in_sql_with_a_made_up_seal_is_detected(people, person):
    will = governing_will(person)
    sql(
        "INSERT INTO cases_guardclearance (person_id, country, role, basis, will_expression_id,"
        " assessment_id, seal) VALUES (%s, 'RU', 'transit', 'assessed', %s, NULL, %s)",
        person.pk, will.pk, "f" * 64,
    )()  # fmt: skip
    forged = GuardClearance.objects.get(person=person, country="RU")
    expected = services.clearance_seal(person.pk, Clearance("RU", "transit", "assessed", will.pk,
                                                            None))  # fmt: skip
    assert _clearance(forged) == Clearance("RU", "transit", "assessed", will.pk, None)
    assert forged.seal != expected
    # The database takes the forged row (ADR 0003: a forged insert is detected, not refused),
    # which is why the seal is what tells it from the refresh's own.
    assert outcome(inserting(person, people.planner, "KR", ["RU"])) == ALLOWED


def test_the_seal_depends_on_the_deployments_secret_key(people, person):
    row = GuardClearance.objects.filter(person=person).first()
    with override_settings(SECRET_KEY="another deployment's key, which a forger may hold"):
        other = services.clearance_seal(person.pk, _clearance(row))
    assert other != row.seal == services.clearance_seal(person.pk, _clearance(row))


def test_a_seal_names_the_person_the_row_is_for(people, person):
    row = GuardClearance.objects.filter(person=person).first()
    assert services.clearance_seal(person.pk + 1, _clearance(row)) != row.seal


# --- exchange entries -------------------------------------------------------------------------

ENTRY_SQL = (
    "INSERT INTO exchanges_entry (batch_id, candidate_id, side, person_id, destination, transit,"
    " status, removed_reason) VALUES (%s, %s, %s, %s, %s, %s, %s, '')"
)


@pytest.fixture
def exchange(people):
    """An agreement with the other party (RU, through BY) and a man who asks to go home to
    Russia, the transit state assessed low: RU is cleared as his destination, BY as transit."""
    deal = agreement(people)
    batch = Batch.objects.create(agreement=deal, number=1, created_by=people.planner)
    man = returning(people)
    assess(people.legal_officer, man, TRANSIT)
    assert {(ORIGIN, "destination"), (TRANSIT, "transit")} <= clearances_of(man)
    candidate = Candidate.objects.create(
        agreement=deal, side=Side.OURS, person=man, external_id=man.registry_number,
        category="conscript", match_method=MatchMethod.REGISTRY, added_by=people.planner,
    )  # fmt: skip
    return batch, candidate, man


def entering(batch, candidate, destination, transit="", status="planned", side="ours"):
    person_id = candidate.person_id if side == "ours" else None
    return sql(ENTRY_SQL, batch.pk, candidate.pk, side, person_id, destination, transit, status)


@pytest.mark.parametrize("status", ["planned", "agreed", "executed"])
def test_an_entry_of_ours_every_state_of_which_is_cleared_is_let_in(exchange, status):
    batch, candidate, _man = exchange
    assert outcome(entering(batch, candidate, ORIGIN, TRANSIT, status=status)) == ALLOWED


@pytest.mark.parametrize("status", ["planned", "agreed", "executed"])
@pytest.mark.parametrize(
    "route",
    [("KR", ""), (ORIGIN, "PL"), (ORIGIN, f"{TRANSIT},PL"), (ORIGIN, f"{TRANSIT},{TRANSIT}")],
)
def test_an_entry_of_ours_through_a_state_without_its_row_is_refused(exchange, status, route):
    batch, candidate, _man = exchange
    assert outcome(entering(batch, candidate, *route, status=status)) == REFUSED
    assert not Entry.objects.filter(candidate=candidate).exists()


def test_an_entry_of_ours_is_refused_once_his_rows_are_deleted(exchange):
    batch, candidate, man = exchange
    GuardClearance.objects.filter(person=man).delete()
    assert outcome(entering(batch, candidate, ORIGIN, TRANSIT)) == REFUSED


def test_an_update_rerouting_or_reviving_an_entry_of_ours_is_refused(exchange):
    batch, candidate, _man = exchange
    entering(batch, candidate, "KR", status="removed")()
    entry = Entry.objects.get(candidate=candidate)
    revive = updating(Entry.objects.filter(pk=entry.pk), status="planned")
    assert outcome(revive) == REFUSED
    Entry.objects.filter(pk=entry.pk).update(destination=ORIGIN, transit=TRANSIT)
    assert outcome(revive) == ALLOWED
    revive()
    reroute = updating(Entry.objects.filter(pk=entry.pk), transit=f"{TRANSIT},PL")
    assert outcome(reroute) == REFUSED
    assert Entry.objects.get(pk=entry.pk).transit_codes == [TRANSIT]


def test_a_removed_entry_of_ours_and_an_entry_of_theirs_are_not_checked(people, exchange):
    batch, candidate, _man = exchange
    assert outcome(entering(batch, candidate, "KR", "PL", status="removed")) == ALLOWED
    other = theirs(batch.agreement, people.planner, "T1")
    assert outcome(entering(batch, other, "UA", "PL,RU", side="theirs")) == ALLOWED
    entering(batch, other, "UA", "PL,RU", side="theirs")()
    assert Entry.objects.get(candidate=other).destination.code == "UA"


@pytest.mark.parametrize("row", [(ORIGIN, "destination"), (TRANSIT, "transit")])
def test_a_row_a_live_exchange_entry_relies_on_alone_cannot_be_deleted(exchange, row):
    batch, candidate, man = exchange
    entering(batch, candidate, ORIGIN, TRANSIT)()
    rows = GuardClearance.objects.filter(person=man, country=row[0], role=row[1])
    assert outcome(rows.delete) == REFUSED
    assert rows.count() == 1
    Entry.objects.filter(candidate=candidate).update(status="removed")
    assert outcome(rows.delete) == ALLOWED


def test_an_entry_of_a_merged_away_record_is_refused(people, exchange):
    batch, candidate, man = exchange
    rows = list(GuardClearance.objects.filter(person=man).values())
    other = awaiting_interview(people, nationalities=(ORIGIN,), family="Kim", given="Cholsu")
    duplicate_pair_decide(actor=people.registrar, pair=pair_of(other, man), same=True,
                          reason="Same card.", survivor=other)  # fmt: skip
    GuardClearance.objects.bulk_create(GuardClearance(**row) for row in rows)
    assert outcome(entering(batch, candidate, ORIGIN, TRANSIT)) == REFUSED
    Person.objects.filter(pk=man.pk).update(merged_into=None, merged_at=None)
    assert outcome(entering(batch, candidate, ORIGIN, TRANSIT)) == ALLOWED


def test_a_write_that_changes_nothing_is_not_taken_for_one_the_database_let_in(people, person):
    with pytest.raises(AssertionError, match="changed nothing"):
        outcome(updating(Transfer.objects.filter(person=person), status=TransferStatus.CANCELLED))
