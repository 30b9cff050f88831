"""Closed cases past retention are anonymised: audited without the erased values, idempotent,
with the facts kept for statistics and for the guard's history."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import MASK, audit_record
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, RiskAssessment, Transfer, WillExpression
from safepassage.registry.models import DatePrecision, NameKey, Person, PersonName
from safepassage.registry.services import NameInput, person_name_add, person_update
from safepassage.retention.services import retention_apply, retention_plan, years_before
from tests.cases.builders import blocks_of, scheduled
from tests.factories import handover, register, step

CLOSED_AT = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
SIX_YEARS_LATER = datetime.datetime(2032, 1, 11, 12, 0, tzinfo=datetime.UTC)
FOUR_YEARS_LATER = datetime.datetime(2030, 1, 11, 12, 0, tzinfo=datetime.UTC)

STATEMENT = "RETENTION-STATEMENT-I-will-not-go-back-5190"
NEXT_OF_KIN = "RETENTION-NOK-Mother-in-Hamhung-2271"
BASIS = "RETENTION-BASIS-report-on-returnees-8834"
FAMILY = "Retentionkim"
SERVICE_NUMBER = "RET-77-1234"
PLACE = "Retention-Camp-North-9"
MARKERS = (STATEMENT, NEXT_OF_KIN, BASIS, FAMILY, SERVICE_NUMBER, PLACE)


@pytest.fixture(autouse=True)
def _five_years(settings):
    settings.RETENTION_YEARS = {"closed_case": 5, "removed_document": 1}


def transferred_and_closed(people):
    """Kim, transferred to KR through PL, his case closed on CLOSED_AT."""
    with time_machine.travel(CLOSED_AT - datetime.timedelta(days=30), tick=False):
        person, transfer = scheduled(people, transit=("PL",))
        person.refresh_from_db()
        fields = {
            "birth_date": datetime.date(1999, 5, 17), "birth_place": "Hamhung",
            "service_number": SERVICE_NUMBER, "rank": "Sergeant", "unit": "11th Corps",
            "capture_date": datetime.date(2025, 1, 9), "capture_place": "Kursk",
            "capturing_unit": "95th Brigade", "wounds": "Jaw", "internment_place": PLACE,
            "next_of_kin": NEXT_OF_KIN,
        }  # fmt: skip
        person = person_update(
            actor=people.registrar, person=person, expected_version=person.version, **fields
        )
        person_name_add(actor=people.registrar, person=person, name=NameInput(family_name=FAMILY))
        # Saved row by row: each value is sealed for its own row.
        for will in WillExpression.objects.filter(person=person):
            will.statement = STATEMENT
            will.save(update_fields=["statement"])
        for assessment in RiskAssessment.objects.filter(person=person):
            assessment.basis = BASIS
            assessment.save(update_fields=["basis"])
    with time_machine.travel(CLOSED_AT - datetime.timedelta(days=1), tick=False):
        case_services.transfer_execute(
            actor=people.planner, transfer=transfer, **handover(transfer)
        )
    with time_machine.travel(CLOSED_AT, tick=False):
        step(people.registrar, person, CaseState.CLOSED, reason=f"Arrived; {FAMILY} settled.")
    person.refresh_from_db()
    return person


def test_it_anonymises_a_closed_case_past_retention(people):
    kim = transferred_and_closed(people)
    version = kim.version
    blocks = blocks_of(kim)
    done = retention_apply(now=SIX_YEARS_LATER)
    assert [item.record.pk for item in done] == [kim.pk]
    kim.refresh_from_db()
    # Erased: all that names him or leads to him or his family.
    assert not PersonName.objects.filter(person=kim).exists()
    assert not NameKey.objects.filter(person=kim).exists()  # nothing spells his name any more
    for name in ("birth_place", "service_number", "rank", "unit", "capture_place",
                 "capturing_unit", "wounds", "internment_place", "next_of_kin"):  # fmt: skip
        assert getattr(kim, name) == "", name
    assert kim.capture_date is None
    assert (kim.birth_date, kim.birth_date_precision) == (
        datetime.date(1999, 1, 1),
        DatePrecision.YEAR,
    )
    assert kim.version == version + 1
    assert FAMILY.lower() not in kim.search_text.lower()
    will = WillExpression.objects.get(person=kim)
    assert (will.statement, will.present, will.interpreter) == ("", "", "")
    # One assessment for KR, one for the transit state PL; neither keeps its basis.
    assert set(RiskAssessment.objects.filter(person=kim).values_list("basis", flat=True)) == {""}
    assert all(t.reason == "" for t in kim.case.transitions.all())
    assert all(d.reason == "" for d in kim.decisions.all())
    # Kept: the facts of the case, the transfer and the guard's history.
    assert kim.registry_number and [c.code for c in kim.nationalities] == ["KP"]
    assert kim.case.state == CaseState.CLOSED
    assert will.verified and [c.code for c in will.destinations_preferred] == ["KR"]
    (transfer,) = Transfer.objects.filter(person=kim)
    assert (transfer.status, transfer.destination.code, transfer.transit_codes) == (
        "executed",
        "KR",
        ["PL"],
    )
    assert {a.persecution_risk for a in RiskAssessment.objects.filter(person=kim)} == {"low"}
    assert blocks_of(kim) == blocks


def test_one_audit_event_per_person_without_the_erased_values(people):
    kim = transferred_and_closed(people)
    retention_apply(now=SIX_YEARS_LATER)
    (event,) = AuditEvent.objects.filter(action="retention.anonymise")
    assert (event.person, event.object_repr, event.actor_username) == (
        kim,
        kim.registry_number,
        "system",
    )
    assert all(old in (MASK, None) for old, _new in event.changes.values())
    assert event.changes["names"] == [MASK, "2 erased"]
    assert event.changes["birth_date"] == [MASK, "1999-01-01"]
    assert event.changes["retention"] == [None, "closed_case: 5 years after the case was closed"]
    text = f"{event.object_repr} {event.changes}"
    for marker in MARKERS + ("Hamhung", "1999-05-17", "Sergeant"):
        assert marker not in text
    assert audit_chain_verify().intact


def test_it_says_how_many_events_from_before_sealing_still_hold_him_in_clear(people):
    kim = transferred_and_closed(people)
    # As an event written before audit values were sealed (audit/0006) recorded his unit.
    audit_record(actor=people.registrar, action="person.update", obj=kim, person=kim,
                 changes={"unit": ["", "11th Corps"]}, identifying=())  # fmt: skip
    retention_apply(now=SIX_YEARS_LATER)
    (event,) = AuditEvent.objects.filter(action="retention.anonymise")
    assert event.changes["audit_events_in_clear"] == [None, "1 kept"]
    assert event.changes["audit_key"] == [MASK, "destroyed"]


def test_it_is_idempotent(people):
    kim = transferred_and_closed(people)
    retention_apply(now=SIX_YEARS_LATER)
    kim.refresh_from_db()
    events = AuditEvent.objects.count()
    assert retention_apply(now=SIX_YEARS_LATER) == []
    assert retention_plan(now=SIX_YEARS_LATER) == []
    assert AuditEvent.objects.count() == events
    assert Person.objects.get(pk=kim.pk).version == kim.version


def test_a_case_closed_more_recently_is_kept(people):
    kim = transferred_and_closed(people)
    assert retention_plan(now=FOUR_YEARS_LATER) == []
    assert retention_apply(now=FOUR_YEARS_LATER) == []
    assert PersonName.objects.filter(person=kim).count() == 2


def test_the_period_is_configurable(people, settings):
    transferred_and_closed(people)
    settings.RETENTION_YEARS = {"closed_case": 3, "removed_document": 1}
    assert len(retention_plan(now=FOUR_YEARS_LATER)) == 1


def test_an_open_case_is_never_anonymised(people):
    with time_machine.travel(CLOSED_AT, tick=False):
        person = register(people.registrar, next_of_kin=NEXT_OF_KIN)
        step(people.registrar, person, CaseState.RELEASED)  # released, not yet closed
    assert retention_plan(now=SIX_YEARS_LATER) == []


def test_the_stored_ciphertexts_are_gone(people):
    kim = transferred_and_closed(people)
    retention_apply(now=SIX_YEARS_LATER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT next_of_kin FROM registry_person WHERE id = %s", [kim.pk])
        assert cursor.fetchone() == ("",)
        cursor.execute(
            "SELECT statement, present, interpreter FROM cases_willexpression WHERE person_id = %s",
            [kim.pk],
        )
        assert cursor.fetchall() == [("", "", "")]


def test_the_dry_run_prints_what_would_be_anonymised_and_writes_nothing(people):
    kim = transferred_and_closed(people)
    events = AuditEvent.objects.count()
    out = io.StringIO()
    with time_machine.travel(SIX_YEARS_LATER, tick=False):
        call_command("retention", "apply", "--dry-run", stdout=out)
    text = out.getvalue()
    assert kim.registry_number in text
    assert "next_of_kin" in text and "names" in text
    assert "nothing was written" in text
    for marker in MARKERS:
        assert marker not in text
    assert AuditEvent.objects.count() == events
    assert PersonName.objects.filter(person=kim).count() == 2


def test_the_command_applies_and_says_so(people):
    kim = transferred_and_closed(people)
    out = io.StringIO()
    with time_machine.travel(SIX_YEARS_LATER, tick=False):
        call_command("retention", "apply", stdout=out)
        call_command("retention", "apply", stdout=(again := io.StringIO()))
    assert "1 record anonymised" in out.getvalue()
    assert "Nothing is due." in again.getvalue()
    assert not PersonName.objects.filter(person=kim).exists()


def test_years_before_handles_the_leap_day():
    leap = datetime.datetime(2028, 2, 29, tzinfo=datetime.UTC)
    assert years_before(leap, 5) == datetime.datetime(2023, 2, 28, tzinfo=datetime.UTC)
