"""The eleven ways round the non-refoulement guard of issue 17, each tried again and refused.

Each scenario of the issue's "Why" is built through the services as the product builds it,
then the unsafe route is tried where a user would try it — the service, the API, the console,
the web form, the exchange planner, the database — and refused with the guard's reason.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safepassage.accounts.models import Role
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.guard import (
    Movement,
    NonRefoulementViolation,
    Violation,
    guard_check,
    guard_ensure,
    guard_facts,
    will_details_for,
)
from safepassage.cases.models import (
    CaseState,
    DecisionKind,
    GuardClearance,
    RiskAssessment,
    Transfer,
    TransferKind,
    TransferStatus,
    WillSource,
    Wish,
)
from safepassage.exchanges import services as exchanges
from safepassage.exchanges.eligibility import guard_reasons, movement_of
from safepassage.exchanges.models import EntryStatus, ExclusionReason, Side
from safepassage.lib.errors import DomainError, NotAllowed
from safepassage.registry.models import Person
from safepassage.registry.services import person_update
from safepassage.tracing.models import DuplicatePair
from safepassage.tracing.services import duplicate_pair_decide
from tests.cases.builders import (
    accepted,
    awaiting_interview,
    blocks_of,
    clearances_of,
    governing_will,
    scheduled,
    state_of,
    will_kwargs,
)
from tests.exchanges import builders as exchange
from tests.factories import (
    assess,
    force_login_fresh,
    make_user,
    record_will,
    register,
    step,
    tomorrow,
)
from tests.ops.conftest import committed, triggers_back_after_flush  # noqa: F401 - fixtures
from tests.tracing.tracing_data import pair_of

PROBLEM_JSON = "application/problem+json"
MASKED = "A state on this route is blocked for him (his will or an assessment)."


# --- helpers: the paths a user takes ------------------------------------------------------------


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def rules_of(violations) -> set[tuple]:
    """(rule, state, as transit) of each violation."""
    return {(v.rule, v.country, v.as_transit) for v in violations}


def refused_by_guard(call, *args, **kwargs) -> NonRefoulementViolation:
    with pytest.raises(NonRefoulementViolation) as refusal:
        call(*args, **kwargs)
    return refusal.value


def schedule(people, person, destination="KR", transit=(), actor=None):
    return services.transfer_schedule(
        actor=actor or people.planner, person=person, destination=destination,
        transit=list(transit), scheduled_for=tomorrow(),
    )  # fmt: skip


def decide(people, person, destination, kind=DecisionKind.TRANSFER):
    return services.decision_take(
        actor=people.decision_maker, person=person, kind=kind, destination=destination,
        reason="Verified in private; assessed.",
    )  # fmt: skip


def assess_with_onward(people, person, country, onward_destinations, persecution="low"):
    return services.risk_assessment_record(
        actor=people.legal_officer, person=person, country=country, persecution_risk=persecution,
        onward_transfer_risk="low", onward_destinations=list(onward_destinations),
        basis="It returns those it holds to the states listed.",
    )  # fmt: skip


def will_said_on(actor, person, expressed_on, **fields):
    """A will expression he made on `expressed_on` (verified unless the source says otherwise)."""
    return services.will_expression_record(
        actor=actor, person=person, **will_kwargs(expressed_on=expressed_on, **fields)
    )


def press_statement(people, person, **fields):
    """What he told a journalist, in public: recorded, never verified."""
    values = {"source": WillSource.PRESS_INTERVIEW, "setting": "public",
              "statement": "He told a journalist where he wants to go."}  # fmt: skip
    return will_said_on(people.interviewer, person, timezone.localdate(), **(values | fields))


def api_as(user) -> APIClient:
    client = APIClient()
    # Made as right after a login, so it may schedule a transfer (a recent login is needed).
    _token, raw = api_token_create(user=user, name="scenarios", authenticated_at=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE = "100000/min"


def problem(response, status=422, slug="non-refoulement") -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == f"/api/v1/problems/{slug}"
    return body


def api_schedule(user, person, destination="KR", transit=()):
    return api_as(user).post(
        "/api/v1/transfers/",
        {"person": person.pk, "destination": destination, "transit": list(transit),
         "scheduled_for": str(tomorrow())},
        format="json",
    )  # fmt: skip


def api_decide(user, person, destination, kind=DecisionKind.TRANSFER):
    return api_as(user).post(
        f"/api/v1/persons/{person.pk}/decisions/",
        {"kind": kind, "destination": destination, "reason": "Verified; assessed."},
        format="json",
    )


def console(*args: str) -> str:
    out = io.StringIO()
    call_command("transfer", *args, stdout=out)
    return out.getvalue()


def console_schedule(number: str, destination="KR", transit=(), actor="petro") -> str:
    transit_args = [arg for code in transit for arg in ("--transit", code)]
    return console("schedule", number, "--destination", destination, *transit_args,
                   "--date", tomorrow().isoformat(), "--as", actor)  # fmt: skip


def console_refusal(*args, **kwargs) -> CommandError:
    with pytest.raises(CommandError) as error:
        console_schedule(*args, **kwargs)
    assert error.value.returncode == 2
    return error.value


def web_as(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def web_schedule(user, person, destination="KR", transit=()):
    return web_as(user).post(
        reverse("cases:transfer_new", args=[person.registry_number]),
        {"destination": destination, "transit": ", ".join(transit),
         "scheduled_for": tomorrow().isoformat()},
    )  # fmt: skip


def guard_box(response) -> str:
    """The page re-rendered with the guard's box; its text."""
    html = response.content.decode()
    assert response.status_code == 200
    assert "alert--guard" in html and "Non-refoulement guard" in html
    return html


class _Rollback(Exception):
    pass


def database_refuses(write) -> bool:
    """Run `write` around the services; True when the triggers refuse it as non-refoulement,
    False when they let it in (the write is then rolled back)."""
    try:
        with transaction.atomic():
            write()
            raise _Rollback
    except _Rollback:
        return False
    except IntegrityError as error:
        assert "non-refoulement" in str(error)
        return True


def raw_transfer(person, planner, destination, transit=()):
    return lambda: Transfer.objects.create(
        person=person, kind=TransferKind.TRANSFER, destination=destination, transit=list(transit),
        scheduled_for=tomorrow(), status=TransferStatus.SCHEDULED, scheduled_by=planner,
    )  # fmt: skip


def plan(people, deal):
    exchanges.pool_add_registry(actor=people.planner, agreement=deal)
    if not deal.candidates.filter(side=Side.THEIRS).exists():
        exchange.theirs(deal, people.planner, "T1")
        exchange.theirs(deal, people.planner, "T2")
    return exchanges.batch_plan(actor=people.planner, agreement=deal)


def planned(batch) -> set[int]:
    return set(
        batch.entries.filter(side=Side.OURS, status=EntryStatus.PLANNED).values_list(
            "person_id", flat=True
        )
    )


def exclusions_of(batch, person) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for exclusion in batch.exclusions.filter(candidate__person=person):
        found.setdefault(exclusion.reason, []).append(exclusion.detail)
    return found


def merge(people, survivor, absorbed, reason="Same service number, same capture card."):
    """The reviewer's verdict "the same man", keeping `survivor` (the queued pair is made once)."""
    left, right = sorted([survivor, absorbed], key=lambda p: p.pk)
    pair = DuplicatePair.objects.filter(left=left, right=right).first()
    return duplicate_pair_decide(
        actor=people.registrar, pair=pair or pair_of(survivor, absorbed), same=True,
        reason=reason, survivor=survivor,
    )  # fmt: skip


def to_legal_assessment(people, person):
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)


# --- 1. a transit state nobody assessed ---------------------------------------------------------


@pytest.mark.parametrize("transit", ["RU", "CN"])
def test_a_transfer_through_a_transit_state_nobody_assessed_is_refused(people, transit):
    person = accepted(people, "KR")
    refusal = refused_by_guard(schedule, people, person, "KR", [transit])
    assert Violation("not_assessed", transit, as_transit=True) in refusal.violations
    assert f"Transit state {transit} has not been assessed for him" in refusal.lines[0]
    assert not Transfer.objects.filter(person=person).exists()
    assert state_of(person) == CaseState.ACCEPTED
    assess(people.legal_officer, person, transit)  # assessed, the same route is cleared
    assert schedule(people, person, "KR", [transit]).transit_codes == [transit]


def test_a_transfer_through_an_unassessed_transit_state_is_a_non_refoulement_problem_in_the_api(
    people,
):
    person = accepted(people, "KR")
    body = problem(api_schedule(people.planner, person, "KR", ["RU"]))
    assert body["rules"] == ["not_assessed"]
    (violation,) = body["violations"]
    assert (violation["rule"], violation["country"], violation["as_transit"]) == (
        "not_assessed", "RU", True,
    )  # fmt: skip
    assert "Transit state RU has not been assessed for him" in violation["detail"]
    assert not Transfer.objects.filter(person=person).exists()


def test_a_transfer_through_an_unassessed_transit_state_is_refused_on_the_console(people):
    person = accepted(people, "KR")
    error = console_refusal(person.registry_number, "KR", ["CN", "RU"])
    lines = str(error).splitlines()
    assert lines[0] == "Non-refoulement guard: this route is forbidden."
    assert any("Transit state CN has not been assessed for him" in line for line in lines)
    assert any("Transit state RU has not been assessed for him" in line for line in lines)
    assert not Transfer.objects.filter(person=person).exists()


def test_a_transfer_through_an_unassessed_transit_state_is_refused_on_the_form(people):
    person = accepted(people, "KR")
    html = guard_box(web_schedule(people.planner, person, "KR", ["RU"]))
    assert "Transit state RU has not been assessed for him" in html
    assert not Transfer.objects.filter(person=person).exists()


# --- 2. a destination whose risk is "unknown" ---------------------------------------------------


def _assessed_unknown(people, person, country):
    return services.risk_assessment_record(
        actor=people.legal_officer, person=person, country=country, persecution_risk="unknown",
        onward_transfer_risk="low", basis="No reliable country information yet.",
    )  # fmt: skip


def test_a_decision_for_a_destination_assessed_unknown_is_refused(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",))
    to_legal_assessment(people, person)
    unknown = _assessed_unknown(people, person, "KR")
    refusal = refused_by_guard(decide, people, person, "KR")
    assert refusal.violations == [
        Violation("risk_unknown", "KR", as_transit=False, assessment_id=unknown.pk)
    ]
    assert f"The risks of KR are not known (risk assessment #{unknown.pk})" in refusal.lines[0]
    assert not person.decisions.exists()
    body = problem(api_decide(people.decision_maker, person, "KR"))
    assert body["rules"] == ["risk_unknown"]
    assert body["violations"][0]["assessment"] == unknown.pk


def test_a_transfer_through_a_transit_state_assessed_unknown_is_refused(people):
    person = accepted(people, "KR")
    unknown = _assessed_unknown(people, person, "PL")
    refusal = refused_by_guard(schedule, people, person, "KR", ["PL"])
    assert refusal.violations == [
        Violation("risk_unknown", "PL", as_transit=True, assessment_id=unknown.pk)
    ]
    error = console_refusal(person.registry_number, "KR", ["PL"])
    assert "The risks of transit state PL are not known" in str(error)
    assert not Transfer.objects.filter(person=person).exists()


def test_a_scheduled_transfer_whose_transit_state_is_then_assessed_unknown_is_called_off(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    unknown = _assessed_unknown(people, person, "PL")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert f"The risks of transit state PL are not known (risk assessment #{unknown.pk})" in (
        transfer.cancelled_reason
    )
    assert ("PL", "transit") not in clearances_of(person)


# --- 3. onward destinations ---------------------------------------------------------------------


def test_a_transit_state_that_may_send_him_on_to_a_state_his_will_refuses_is_refused(people):
    person = accepted(people, "KR")  # his will names KR, and so refuses KP, his own state
    assess_with_onward(people, person, "CN", ["KP"])  # onward risk "low", yet KP is listed
    refusal = refused_by_guard(schedule, people, person, "KR", ["CN"])
    assert Violation("onward_blocked_by_will", "CN", as_transit=True, via="KP") in (
        refusal.violations
    )
    assert guard_check(person=person, destination="KR", transit=["CN"]) == refusal.violations
    assert refusal.lines == [MASKED]  # the planner may not read what his will refuses
    reader = guard_ensure_lines(person, Movement(TransferKind.TRANSFER, "KR", ("CN",)),
                                people.decision_maker)  # fmt: skip
    assert "CN might send him on to KP, which his latest verified will refuses." in reader
    assert not Transfer.objects.filter(person=person).exists()


def test_onward_destinations_are_followed_to_a_fixpoint(people):
    person = accepted(people, "KR")
    assess_with_onward(people, person, "CN", ["MN"])  # CN may send him to MN …
    assess_with_onward(people, person, "MN", ["RU"])  # … MN to RU …
    high = assess(people.legal_officer, person, "RU", persecution="high")  # … RU is high-risk
    refusal = refused_by_guard(schedule, people, person, "KR", ["CN"])
    assert Violation("onward_blocked", "CN", True, assessment_id=high.pk, via="RU") in (
        refusal.violations
    )
    body = problem(api_schedule(people.planner, person, "KR", ["CN"]))
    assert "onward_blocked" in body["rules"]
    onward = next(v for v in body["violations"] if v["rule"] == "onward_blocked")
    assert onward["country"] == "CN" and onward["assessment"] == high.pk
    assert "CN might send him on to RU" in onward["detail"]


def guard_ensure_lines(person, movement, reader) -> list[str]:
    return refused_by_guard(guard_ensure, person=person, movement=movement, reader=reader).lines


# --- 4. exchanges are movements -----------------------------------------------------------------


def test_a_russian_who_wants_to_go_home_is_not_exchanged_to_north_korea_through_iran(people):
    russian = exchange.returning(people)  # RU national, his verified will: return to origin
    north_korean = awaiting_interview(people, nationalities=("KP",))
    record_will(people.interviewer, north_korean, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",))
    assess(people.legal_officer, north_korean, "IR")
    deal = exchange.agreement(people, other_party="KPA", other_party_country="KP", transit=["IR"])
    batch = plan(people, deal)
    assert planned(batch) == {north_korean.pk}  # the planner plans those who may go
    movement = movement_of(deal, guard_facts(russian))
    assert movement.route == ("IR", "KP", "RU")  # handed to KP, who would hand him on home
    assert {("not_his_wish", "KP", False), ("not_assessed", "IR", True),
            ("not_assessed", "KP", True)} <= rules_of(guard_check(person=russian,
                                                                  movement=movement))  # fmt: skip
    reasons = exclusions_of(batch, russian)
    assert ExclusionReason.NOT_CLEARED in reasons
    not_cleared = " ".join(reasons[ExclusionReason.NOT_CLEARED])
    assert "Transit state IR has not been assessed" in not_cleared
    assert "Transit state KP has not been assessed" in not_cleared
    with_details = guard_reasons(russian, movement, reader=people.decision_maker)
    assert ExclusionReason.NOT_HIS_WISH in {r.code for r in with_details}


def test_a_russian_is_not_exchanged_to_north_korea_even_with_every_state_assessed(people):
    russian = exchange.returning(people)
    for country in ("IR", "KP"):
        assess(people.legal_officer, russian, country)
    deal = exchange.agreement(people, other_party="KPA", other_party_country="KP", transit=["IR"])
    batch = plan(people, deal)
    assert russian.pk not in planned(batch)
    movement = movement_of(deal, guard_facts(russian))
    assert guard_check(person=russian, movement=movement) == [Violation("not_his_wish", "KP")]
    response = api_as(people.planner).post(f"/api/v1/exchanges/agreements/{deal.pk}/plan/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert russian.pk not in {e["person"] for e in body["entries"]}
    assert {x["reason"] for x in body["exclusions"]
            if x["candidate_id"] == russian.registry_number} == {"route_blocked"}  # fmt: skip


def test_a_north_korean_handed_to_russia_is_checked_against_north_korea_and_russia(people):
    north_korean = exchange.returning(people, nationalities=("KP",))  # goes home through RU
    assess(people.legal_officer, north_korean, exchange.TRANSIT)
    deal = exchange.agreement(people)  # to RU through BY
    first = plan(people, deal)
    assert north_korean.pk not in planned(first)  # RU, the state he is handed on from: unassessed
    assert "Transit state RU has not been assessed" in " ".join(
        exclusions_of(first, north_korean)[ExclusionReason.NOT_CLEARED]
    )
    assess(people.legal_officer, north_korean, exchange.ORIGIN)
    batch = exchanges.batch_plan(actor=people.planner, agreement=deal, batch=first)
    assert planned(batch) == {north_korean.pk}
    entry = batch.entries.get(person=north_korean)
    assert (entry.destination.code, entry.transit_codes) == ("KP", ["BY", "RU"])
    # Russia would send him on to North Korea: a high risk there takes him off the batch.
    high = assess(people.legal_officer, north_korean, "KP", persecution="high")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
    assert "KP is assessed high-risk for him" in entry.removed_reason
    again = exchanges.batch_plan(actor=people.planner, agreement=deal, batch=batch)
    assert north_korean.pk not in planned(again)
    assert Violation("high_risk", "KP", assessment_id=high.pk) in guard_check(
        person=north_korean, movement=movement_of(deal, guard_facts(north_korean))
    )


# --- 5. merges ----------------------------------------------------------------------------------


def test_a_merge_is_refused_while_the_absorbed_record_has_a_scheduled_transfer(people):
    absorbed, transfer = scheduled(people, "KR")
    survivor = register(people.registrar, given="Chol-su")
    with pytest.raises(DomainError, match="has a scheduled transfer"):
        merge(people, survivor, absorbed)
    absorbed.refresh_from_db()
    assert absorbed.merged_into is None
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Merge first.")
    merge(people, survivor, absorbed)
    absorbed.refresh_from_db()
    # Merged away, the absorbed record never moves: not in the service, not in the database.
    refusal = refused_by_guard(schedule, people, absorbed, "KR")
    assert refusal.violations == [Violation("merged", survivor=survivor.registry_number)]
    assert f"This record was merged into {survivor.registry_number}" in refusal.lines[0]
    assert database_refuses(raw_transfer(absorbed, people.planner, "KR"))
    assert not Transfer.objects.filter(person=absorbed, status=TransferStatus.SCHEDULED).exists()


def test_a_record_read_just_before_its_merge_is_refused_by_name(people):
    """A request that read the absorbed record before the merge committed acts after it: the
    guard must read the merge from the database, not from the object the request holds."""
    absorbed = accepted(people, "KR")
    survivor = register(people.registrar, given="Chol-su")
    read_before = Person.objects.get(pk=absorbed.pk)
    merge(people, survivor, absorbed)
    refusal = refused_by_guard(schedule, people, read_before, "KR")
    assert refusal.violations == [Violation("merged", survivor=survivor.registry_number)]
    assert not Transfer.objects.filter(person=absorbed).exists()


def test_a_merge_is_refused_while_the_absorbed_record_is_on_a_live_exchange_batch(people):
    absorbed = exchange.returning(people)
    assess(people.legal_officer, absorbed, exchange.TRANSIT)
    survivor = exchange.unverified(people, given="Chol-su")  # not plannable on his own
    deal = exchange.agreement(people)
    batch = plan(people, deal)
    assert absorbed.pk in planned(batch)
    with pytest.raises(DomainError, match="is on a live exchange batch"):
        merge(people, survivor, absorbed)
    absorbed.refresh_from_db()
    assert absorbed.merged_into is None
    entry = batch.entries.get(person=absorbed)
    assert entry.status == EntryStatus.PLANNED
    # Taken off the batch, the records are merged; the pool still lists the absorbed record,
    # and planning again leaves it out by name: only the survivor may go.
    exchanges.entry_remove(actor=people.planner, entry=entry, reason="Duplicate records.")
    merge(people, survivor, absorbed)
    again = exchanges.batch_plan(actor=people.planner, agreement=deal, batch=batch)
    assert absorbed.pk not in planned(again)
    assert f"This record was merged into {survivor.registry_number}" in " ".join(
        exclusions_of(again, absorbed)[ExclusionReason.NOT_HELD]
    )


def test_the_console_acts_on_the_survivor_whose_verified_will_refuses_the_state(people):
    absorbed = accepted(people, "KR")  # his own record: decided and accepted for KR
    survivor = awaiting_interview(people, given="Chol-su")
    will_said_on(people.interviewer, survivor, timezone.localdate(),
                 destinations_preferred=["BR"], destinations_refused=["KR"])  # fmt: skip
    to_legal_assessment(people, survivor)
    assess(people.legal_officer, survivor, "BR")
    decide(people, survivor, "BR")
    merge(people, survivor, absorbed)
    error = console_refusal(absorbed.registry_number, "KR")
    assert "The decision names BR" in str(error)  # the survivor's decision, not the absorbed's
    body = problem(api_schedule(people.planner, absorbed, "KR"), slug="rule-refused")
    assert "The decision names BR" in body["detail"]
    assert not Transfer.objects.filter(person__in=[absorbed, survivor]).exists()
    refusal = guard_check(person=survivor, destination="KR")
    will = governing_will(survivor)
    assert will.person_id == survivor.pk
    assert Violation("refused", "KR", will_expression_id=will.pk) in refusal


def test_the_console_on_an_absorbed_number_refuses_a_state_the_joined_wills_refuse(people):
    absorbed = awaiting_interview(people, given="Chol-su")  # his card, read first: refuses KR
    will_said_on(people.interviewer, absorbed, days_ago(5), destinations_preferred=["BR"],
                 destinations_refused=["KR"])  # fmt: skip
    survivor = accepted(people, "KR")  # a field list, read later: names KR
    merge(people, survivor, absorbed)
    error = console_refusal(absorbed.registry_number, "KR")
    assert str(error).splitlines()[1:] == [f"  - {MASKED}"]  # the planner reads no will
    older = absorbed.will_expressions.get()
    assert Violation("refused", "KR", will_expression_id=older.pk) in guard_check(
        person=survivor, destination="KR"
    )
    assert not Transfer.objects.filter(person__in=[absorbed, survivor]).exists()


def test_the_absorbed_records_later_verified_will_governs_the_survivor(people):
    absorbed = awaiting_interview(people, given="Chol-su")
    # Typed in first, but said later (today): he no longer wants KR.
    later = will_said_on(people.interviewer, absorbed, timezone.localdate(),
                         destinations_preferred=["BR"], destinations_refused=["KR"])  # fmt: skip
    survivor = awaiting_interview(people)
    will_said_on(people.interviewer, survivor, days_ago(20))  # names KR, said 20 days ago
    to_legal_assessment(people, survivor)
    assess(people.legal_officer, survivor, "KR")
    decide(people, survivor, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=survivor)
    merge(people, survivor, absorbed)
    assert governing_will(survivor) == later
    assert state_of(survivor) == CaseState.WILL_VERIFIED  # his decision for KR is reopened
    assert Violation("refused", "KR", will_expression_id=later.pk) in guard_check(
        person=survivor, destination="KR"
    )
    with pytest.raises(DomainError):
        schedule(people, survivor, "KR")
    assert ("KR", "destination") not in clearances_of(survivor)
    assert not Transfer.objects.filter(person__in=[absorbed, survivor]).exists()


# --- 6. when he said it, not when it was typed in ----------------------------------------------


def test_an_interview_entered_late_does_not_override_a_later_one(people):
    person = awaiting_interview(people)
    later = will_said_on(people.interviewer, person, timezone.localdate(),
                         destinations_preferred=["BR"], destinations_refused=["KR"])  # fmt: skip
    to_legal_assessment(people, person)
    assess(people.legal_officer, person, "KR")
    # A camp interview from paper, said ten days earlier, typed in now: he named KR then.
    will_said_on(people.interviewer, person, days_ago(10), destinations_preferred=["KR"])
    assert governing_will(person) == later
    refusal = refused_by_guard(decide, people, person, "KR")
    assert Violation("refused", "KR", will_expression_id=later.pk) in refusal.violations
    body = problem(api_decide(people.decision_maker, person, "KR"))
    assert "refused" in body["rules"]
    assert {v["will_expression"] for v in body["violations"] if v["rule"] == "refused"} == {
        later.pk
    }
    assert not person.decisions.exists()


# --- 7. later, unverified statements ------------------------------------------------------------


def test_a_later_press_statement_refusing_the_destination_cancels_the_scheduled_transfer(people):
    person, transfer = scheduled(people, "KR")
    statement = press_statement(people, person, destinations_preferred=["BR"],
                                destinations_refused=["KR"])  # fmt: skip
    assert not statement.verified
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert "A later statement contradicts his verified will" in transfer.cancelled_reason
    assert f"(record #{statement.pk})" in transfer.cancelled_reason
    assert state_of(person) == CaseState.ACCEPTED
    refusal = refused_by_guard(schedule, people, person, "KR")
    assert Violation("later_statement", will_expression_id=statement.pk) in refusal.violations
    with pytest.raises(CommandError) as error:
        console("execute", str(transfer.pk), "--as", "petro", "--date",
                str(timezone.localdate()), "--transport", "ICRC bus", "--early-reason",
                "Brought forward.", "--confirm")  # fmt: skip
    assert error.value.returncode == 2 and "cannot be executed" in str(error.value)


def test_a_later_statement_asking_for_another_destination_keeps_him_out_of_an_exchange_home(
    people,
):
    person = exchange.returning(people)
    assess(people.legal_officer, person, exchange.TRANSIT)
    deal = exchange.agreement(people)
    batch = plan(people, deal)
    assert planned(batch) == {person.pk}
    statement = press_statement(people, person, destinations_preferred=["KR"])
    entry = batch.entries.get(person=person)
    assert entry.status == EntryStatus.REMOVED
    assert "A later statement contradicts his verified will" in entry.removed_reason
    again = exchanges.batch_plan(actor=people.planner, agreement=deal, batch=batch)
    assert person.pk not in planned(again)
    assert ExclusionReason.ROUTE_BLOCKED in exclusions_of(again, person)
    movement = movement_of(deal, guard_facts(person))
    assert Violation("later_statement", will_expression_id=statement.pk) in guard_check(
        person=person, movement=movement
    )
    with_details = guard_reasons(person, movement, reader=people.decision_maker)
    assert ExclusionReason.LATER_REFUSAL in {r.code for r in with_details}


# --- 8. a blank nationality, and nationalities edited later -------------------------------------


def test_a_repatriation_of_a_man_whose_nationality_is_blank_is_refused(people):
    person = awaiting_interview(people, nationalities=())
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=())
    to_legal_assessment(people, person)
    assess(people.legal_officer, person, "KP")
    refusal = refused_by_guard(decide, people, person, "KP", DecisionKind.REPATRIATION)
    assert refusal.violations == [Violation("origin_unknown")]
    assert "His nationality is not recorded" in refusal.lines[0]
    body = problem(api_decide(people.decision_maker, person, "KP", DecisionKind.REPATRIATION))
    assert body["rules"] == ["origin_unknown"]
    form = web_as(people.decision_maker).post(
        reverse("cases:decision_new", args=[person.registry_number]),
        {"kind": DecisionKind.REPATRIATION, "destination": "KP", "reason": "He asks to go home."},
    )
    assert "His nationality is not recorded, so his origin is unknown" in guard_box(form)
    assert not person.decisions.exists()


def edit_nationalities(people, person, codes):
    fresh = Person.objects.get(pk=person.pk)
    return person_update(actor=people.registrar, person=fresh, expected_version=fresh.version,
                         nationalities=list(codes))  # fmt: skip


def test_editing_his_nationality_rebuilds_the_refusals_his_will_implies(people):
    person = awaiting_interview(people, nationalities=())
    record_will(people.interviewer, person, preferred=("KR",))  # names KR; origin unknown
    to_legal_assessment(people, person)
    assess(people.legal_officer, person, "KP")
    # As far as the registry knows KP is not his state: his will does not refuse it.
    assert guard_check(person=person, destination="KP") == []
    assert ("KP", "destination") in clearances_of(person)
    assert not database_refuses(raw_transfer(person, people.planner, "KP"))
    edit_nationalities(people, person, ["KP"])
    person = Person.objects.get(pk=person.pk)  # as the next request reads him
    will = governing_will(person)
    assert ("KP", "refused") in blocks_of(person)
    assert ("KP", "destination") not in clearances_of(person)
    assert database_refuses(raw_transfer(person, people.planner, "KP"))
    assert Violation("refused", "KP", will_expression_id=will.pk) in guard_check(
        person=person, destination="KP"
    )
    repatriation = refused_by_guard(decide, people, person, "KP", DecisionKind.REPATRIATION)
    assert Violation("refused", "KP", will_expression_id=will.pk) in repatriation.violations
    body = problem(api_decide(people.decision_maker, person, "KP", DecisionKind.REPATRIATION))
    assert body["rules"] == ["refused"]
    assert not person.decisions.exists()


def test_editing_his_nationality_calls_off_a_transfer_his_will_now_refuses(people):
    """Scheduled for KR through KP while his nationality was blank; the registry then records
    KP: his will (naming KR) now refuses it, and the transfer is called off."""
    person = awaiting_interview(people, nationalities=())
    record_will(people.interviewer, person, preferred=("KR",))
    to_legal_assessment(people, person)
    for country in ("KR", "KP"):
        assess(people.legal_officer, person, country)
    decide(people, person, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=person)
    transfer = schedule(people, person, "KR", ["KP"])  # KP: not his state, assessed low
    edit_nationalities(people, person, ["KP"])
    person = Person.objects.get(pk=person.pk)  # as the next request reads him
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert "His recorded nationalities changed." in transfer.cancelled_reason
    assert state_of(person) == CaseState.ACCEPTED
    refusal = refused_by_guard(schedule, people, person, "KR", ["KP"])
    will = governing_will(person)
    assert Violation("refused", "KP", True, will_expression_id=will.pk) in refusal.violations


def test_a_request_that_read_him_before_his_nationality_was_edited_cannot_schedule_through_it(
    people,
):
    """The planner's request read him while his nationality was blank; the registrar's edit to
    KP commits before the request takes the case lock. The guard and the clearances it writes
    must be those of the record as it is now, not as the request read it."""
    person = awaiting_interview(people, nationalities=())
    record_will(people.interviewer, person, preferred=("KR",))
    to_legal_assessment(people, person)
    for country in ("KR", "KP"):
        assess(people.legal_officer, person, country)
    decide(people, person, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=person)
    read_before = Person.objects.get(pk=person.pk)
    edit_nationalities(people, person, ["KP"])
    refusal = refused_by_guard(schedule, people, read_before, "KR", ["KP"])
    assert rules_of(refusal.violations) == {("refused", "KP", True)}
    assert not Transfer.objects.filter(person=person).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_a_transfer_racing_a_nationality_edit_does_not_go_through_the_state_it_makes_refused(
    committed,  # noqa: F811 - the fixture
    people,
):
    """The same as above with real concurrent requests: the registrar's edit holds the case
    row; the planner's request, which read him before, waits for it, then schedules."""
    import threading

    from django.db import connections

    person = awaiting_interview(people, nationalities=())
    record_will(people.interviewer, person, preferred=("KR",))
    to_legal_assessment(people, person)
    for country in ("KR", "KP"):
        assess(people.legal_officer, person, country)
    decide(people, person, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=person)
    read_before = Person.objects.get(pk=person.pk)  # the planner's request reads him
    edited, release, outcome = threading.Event(), threading.Event(), {}

    def registrar():
        try:
            with transaction.atomic():
                edit_nationalities(people, person, ["KP"])
                edited.set()
                release.wait(timeout=10)
        finally:
            edited.set()
            connections.close_all()

    def planner():
        try:
            outcome["transfer"] = schedule(people, read_before, "KR", ["KP"])
        except DomainError as error:
            outcome["refused"] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=registrar)
    first.start()
    assert edited.wait(timeout=10)
    second = threading.Thread(target=planner)
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the planner's request must wait for the case row"
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert "refused" in outcome, outcome
    assert not Transfer.objects.filter(person=person, status=TransferStatus.SCHEDULED).exists()


# --- 9. four eyes to lower a risk ---------------------------------------------------------------


def test_a_risk_lowered_by_one_organisation_stays_high_until_another_concurs(people, orgs):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",))
    to_legal_assessment(people, person)
    high = assess(people.verifier_legal, person, "KR", persecution="high")
    low = assess(people.legal_officer, person, "KR")  # the NGO's officer: "low"
    assert low.awaits_concurrence
    refusal = refused_by_guard(decide, people, person, "KR")
    assert Violation("high_risk", "KR", assessment_id=high.pk) in refusal.violations
    assert problem(api_decide(people.decision_maker, person, "KR"))["rules"] == ["high_risk"]
    colleague = make_user(orgs.legal, Role.LEGAL_OFFICER, username="lev")
    for same_side in (people.legal_officer, colleague):
        with pytest.raises(NotAllowed):
            services.risk_assessment_concur(actor=same_side, assessment=low, reason="Agreed.")
    concur = f"/api/v1/persons/{person.pk}/assessments/{low.pk}/concur/"
    body = {"reason": "Agreed."}
    problem(api_as(colleague).post(concur, body, format="json"), 403, "forbidden")
    assert RiskAssessment.objects.get(pk=low.pk).awaits_concurrence
    refused_by_guard(decide, people, person, "KR")
    response = api_as(people.verifier_legal).post(
        concur, {"reason": "New country report; I agree."}, format="json"
    )
    assert response.status_code == 200, response.content
    decision = decide(people, person, "KR")
    assert decision.destination.code == "KR"
    audited = set(
        AuditEvent.objects.filter(object_id=str(low.pk), person=person).values_list(
            "action", "actor__username"
        )
    )
    assert {("assessment.record", "lena"), ("assessment.concur", "victor")} <= audited


def test_dropping_an_onward_destination_another_organisation_found_needs_its_concurrence(people):
    """The verifier found that CN would hand him on to KP (his will refuses it): the route
    through CN is closed. An NGO officer's new assessment of CN without that finding would
    open it; one organisation alone may not."""
    person = accepted(people, "KR")
    services.risk_assessment_record(
        actor=people.verifier_legal, person=person, country="CN", persecution_risk="low",
        onward_transfer_risk="low", onward_destinations=["KP"],
        basis="CN returns North Korean escapees under its 1986 protocol.",
    )  # fmt: skip
    refused_by_guard(schedule, people, person, "KR", ["CN"])
    lowered = assess(people.legal_officer, person, "CN")  # low, low, no onward destination
    refusal = refused_by_guard(schedule, people, person, "KR", ["CN"])
    assert ("onward_blocked_by_will", "CN", True) in rules_of(refusal.violations)
    assert not Transfer.objects.filter(person=person).exists()
    assert lowered.awaits_concurrence


# --- 10. the database fails closed --------------------------------------------------------------


def test_deleting_his_clearances_by_raw_sql_closes_the_route_in_the_database(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "PL")
    assert not database_refuses(raw_transfer(person, people.planner, "KR", ["PL"]))
    assert GuardClearance.objects.filter(person=person).exists()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_guardclearance WHERE person_id = %s", [person.pk])
    assert not GuardClearance.objects.filter(person=person).exists()
    assert database_refuses(raw_transfer(person, people.planner, "KR", ["PL"]))
    assert database_refuses(raw_transfer(person, people.planner, "KR"))
    assert not Transfer.objects.filter(person=person).exists()


def test_deleting_his_clearances_through_the_orm_closes_the_route_too(people):
    person = accepted(people, "KR")
    assert not database_refuses(raw_transfer(person, people.planner, "KR"))
    GuardClearance.objects.filter(person=person).delete()
    assert database_refuses(raw_transfer(person, people.planner, "KR"))


def test_a_clearance_written_outside_the_guard_is_found_by_the_guards_verify(people):
    from safepassage.cases.services import clearance_seal

    person = decided_for_korea_never_through_china(people)
    will = governing_will(person)
    forged = GuardClearance.objects.create(
        person=person, country="CN", role="transit", basis="assessed", will_expression=will,
        assessment=person.risk_assessments.get(country="CN"), seal="0" * 64,
    )  # fmt: skip
    with pytest.raises(CommandError) as error:
        call_command("guard", "verify", stdout=io.StringIO())
    assert error.value.returncode == 1
    assert f"Clearance #{forged.pk} (person {person.pk}, CN as transit)" in str(error.value)
    assert "written outside the guard" in str(error.value)
    assert forged.seal != clearance_seal(person.pk, services.clearance_of(forged))


def test_a_clearance_cannot_be_edited_to_clear_another_state(people):
    from django.db import DatabaseError

    person = decided_for_korea_never_through_china(people)
    row = GuardClearance.objects.get(person=person, country="KR", role="destination")
    with pytest.raises(DatabaseError), transaction.atomic():
        GuardClearance.objects.filter(pk=row.pk).update(country="CN", role="transit")
    assert GuardClearance.objects.get(pk=row.pk).country == "KR"


# --- 11. what a refusal says to whom ------------------------------------------------------------


@pytest.fixture
def refuses_china(people):
    """A Russian who wants to go home but never through China; China itself is assessed low,
    so only his will blocks it."""
    person = awaiting_interview(people, nationalities=("RU",))
    will_said_on(people.interviewer, person, timezone.localdate(), wish=Wish.RETURN_TO_ORIGIN,
                 destinations_preferred=["RU"], destinations_refused=["CN"],
                 statement="I want to go home, never through China.")  # fmt: skip
    assess(people.legal_officer, person, "CN")
    return person


def decided_for_korea_never_through_china(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",), refused=("CN",))
    to_legal_assessment(people, person)
    for country in ("KR", "CN"):
        assess(people.legal_officer, person, country)
    decide(people, person, "KR")
    return person


def test_an_exchange_planner_is_not_told_which_state_his_will_refuses(people, refuses_china):
    person = refuses_china
    assert not will_details_for(people.planner, person)
    assert will_details_for(people.decision_maker, person)
    deal = exchange.agreement(people, transit=["CN"])
    batch = plan(people, deal)
    assert person.pk not in planned(batch)
    reasons = exclusions_of(batch, person)
    assert set(reasons) == {ExclusionReason.ROUTE_BLOCKED}
    assert all(detail == MASKED for detail in reasons[ExclusionReason.ROUTE_BLOCKED])
    response = api_as(people.planner).get(f"/api/v1/exchanges/batches/{batch.pk}/")
    mine = [x for x in response.json()["exclusions"]
            if x["candidate_id"] == person.registry_number]  # fmt: skip
    assert mine and all("CN" not in x["detail"] for x in mine)
    movement = movement_of(deal, guard_facts(person))
    shown = guard_reasons(person, movement, reader=people.decision_maker)
    assert [(r.code, r.detail) for r in shown] == [
        (ExclusionReason.TRANSIT_RISK,
         f"Transit state CN is refused in his latest verified will (will expression "
         f"#{governing_will(person).pk}).")
    ]  # fmt: skip


def test_a_transfer_refused_by_his_will_names_no_state_to_the_planner_in_the_api(people):
    person = decided_for_korea_never_through_china(people)
    response = api_schedule(people.planner, person, "KR", ["CN"])
    body = problem(response)
    assert body["rules"] == ["blocked"]
    assert body["violations"] == [
        {"rule": "blocked", "country": None, "as_transit": None, "will_expression": None,
         "assessment": None, "detail": MASKED}
    ]  # fmt: skip
    assert "CN" not in response.content.decode()


def test_the_service_words_a_will_refusal_for_its_reader(people):
    person = decided_for_korea_never_through_china(people)
    refusal = refused_by_guard(schedule, people, person, "KR", ["CN"])
    assert refusal.lines == [MASKED] and "CN" not in str(refusal)
    assert {v.country for v in refusal.violations} == {"CN"}  # the rule still knows
    html = guard_box(web_schedule(people.planner, person, "KR", ["CN"]))
    assert MASKED in html and "Transit state CN" not in html
    movement = Movement(TransferKind.TRANSFER, "KR", ("CN",))
    will = governing_will(person)
    assert guard_ensure_lines(person, movement, people.decision_maker) == [
        f"Transit state CN is refused in his latest verified will (will expression #{will.pk})."
    ]
