import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.cases import services
from safepassage.cases.guard import Movement, NonRefoulementViolation, guard_check, guard_ensure
from safepassage.cases.models import (
    CaseState,
    InterpreterAffiliation,
    InterviewSetting,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.lib.errors import DomainError, NotAllowed
from tests.cases.builders import awaiting_interview, blocks_of, scheduled, state_of, will_kwargs
from tests.factories import handover, make_org, make_user, record_will, register, tomorrow


def governing(person):
    person.case.refresh_from_db()
    return person.case.governing_will


def blocks(person) -> set[tuple[str, str]]:
    return blocks_of(person)


# --- what counts as verified ------------------------------------------------------------------


def test_a_private_interview_by_the_neutral_verifier_is_verified(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(actor=people.interviewer, person=person, **will_kwargs())
    assert will.verified
    assert governing(person) == will


def test_a_press_interview_is_evidence_not_a_verified_will(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person,
        **will_kwargs(source=WillSource.PRESS_INTERVIEW, setting=InterviewSetting.PUBLIC),
    )  # fmt: skip
    assert not will.verified
    assert governing(person) is None


def test_an_interview_by_the_detaining_power_is_not_verified(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.detaining_interviewer, person=person, **will_kwargs()
    )
    assert not will.verified
    assert governing(person) is None


def test_an_interview_by_a_legal_ngo_is_not_verified(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.legal_officer, person=person, **will_kwargs()
    )
    assert not will.verified


def test_it_refuses_a_private_interview_with_someone_else_present(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="no one else present"):
        services.will_expression_record(
            actor=people.interviewer, person=person, **will_kwargs(present="a camp officer")
        )
    assert not WillExpression.objects.filter(person=person).exists()


def test_it_refuses_a_verification_interview_held_before_witnesses(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="without witnesses"):
        services.will_expression_record(
            actor=people.interviewer, person=person,
            **will_kwargs(setting=InterviewSetting.WITNESSED, present="a camp officer"),
        )  # fmt: skip


@pytest.mark.parametrize("affiliation", ["verifier", "independent", "other"])
def test_an_interpreter_who_is_no_partys_leaves_the_private_interview_verified(people, affiliation):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person, interpreter="Ms Ahn",
        interpreter_affiliation=affiliation, **will_kwargs(),
    )  # fmt: skip
    assert will.verified and will.interpreter_affiliation == affiliation


def test_an_interpreter_of_a_party_to_the_conflict_makes_the_interview_unverified(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person, interpreter="Camp interpreter",
        interpreter_affiliation=InterpreterAffiliation.PARTY, **will_kwargs(),
    )  # fmt: skip
    assert not will.verified
    assert governing(person) is None
    assert state_of(person) == CaseState.WILL_RECORDED


def test_the_database_refuses_a_verified_will_with_a_partys_interpreter(people):
    from django.db import IntegrityError, transaction

    person = awaiting_interview(people)
    will = record_will(people.interviewer, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        WillExpression.objects.filter(pk=will.pk).update(
            interpreter_affiliation=InterpreterAffiliation.PARTY
        )


def test_it_asks_for_the_interpreters_name_when_his_organisation_is_given(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError) as refused:
        services.will_expression_record(
            actor=people.interviewer, person=person,
            interpreter_affiliation=InterpreterAffiliation.VERIFIER, **will_kwargs(),
        )  # fmt: skip
    assert refused.value.field == "interpreter"


def test_it_refuses_an_unknown_interpreter_organisation(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError) as refused:
        services.will_expression_record(
            actor=people.interviewer, person=person, interpreter="Ms Ahn",
            interpreter_affiliation="ministry", **will_kwargs(),
        )  # fmt: skip
    assert refused.value.field == "interpreter_affiliation"


def test_a_witnessed_official_interview_is_recorded_unverified(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person,
        **will_kwargs(source=WillSource.OFFICIAL_INTERVIEW, setting=InterviewSetting.WITNESSED,
                      present="a camp officer"),
    )  # fmt: skip
    assert not will.verified
    assert will.present == "a camp officer"


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("certainty", [0, 80, 100])
def test_it_accepts_a_certainty_from_0_to_100(people, certainty):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person, **will_kwargs(certainty=certainty)
    )
    assert will.certainty == certainty


@pytest.mark.parametrize("certainty", [-1, 101])
def test_it_refuses_a_certainty_outside_0_to_100(people, certainty):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="percentage"):
        services.will_expression_record(
            actor=people.interviewer, person=person, **will_kwargs(certainty=certainty)
        )


def test_it_refuses_a_state_both_preferred_and_refused(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="KR cannot be both preferred and refused"):
        services.will_expression_record(
            actor=people.interviewer, person=person,
            **will_kwargs(destinations_preferred=["KR"], destinations_refused=["kr"]),
        )  # fmt: skip


def test_it_refuses_named_states_without_a_preferred_state(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="preferred destination"):
        services.will_expression_record(
            actor=people.interviewer, person=person, **will_kwargs(destinations_preferred=[])
        )


def test_it_refuses_a_wish_to_return_while_refusing_the_country_of_origin(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="return"):
        services.will_expression_record(
            actor=people.interviewer, person=person,
            **will_kwargs(wish=Wish.RETURN_TO_ORIGIN, destinations_preferred=[],
                          destinations_refused=["KP"]),
        )  # fmt: skip


def test_it_refuses_a_date_in_the_future(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="future"):
        services.will_expression_record(
            actor=people.interviewer, person=person,
            **will_kwargs(expressed_on=timezone.localdate() + datetime.timedelta(days=1)),
        )  # fmt: skip


@pytest.mark.parametrize("wish", [Wish.NAMED_STATES, Wish.THIRD_COUNTRY])
def test_a_wish_to_go_elsewhere_refuses_the_country_of_origin(people, wish):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person, **will_kwargs(wish=wish)
    )
    assert [c.code for c in will.destinations_refused] == ["KP"]
    assert guard_check(person=person, destination="KP")[0].rule == "refused"


def test_a_wish_to_return_does_not_refuse_the_country_of_origin(people):
    person = awaiting_interview(people)
    will = services.will_expression_record(
        actor=people.interviewer, person=person,
        **will_kwargs(wish=Wish.RETURN_TO_ORIGIN, destinations_preferred=["KP"]),
    )  # fmt: skip
    assert list(will.destinations_refused) == []


def test_a_refusal_can_be_recorded_before_any_destination_is_chosen(people):
    person = awaiting_interview(people)
    services.will_expression_record(
        actor=people.interviewer, person=person,
        **will_kwargs(wish=Wish.UNDECIDED, destinations_preferred=[], destinations_refused=["RU"]),
    )  # fmt: skip
    assert blocks(person) == {("RU", "refused")}
    assert {v.rule for v in guard_check(person=person, destination="KR")} == {
        "undecided", "not_assessed",
    }  # fmt: skip


# --- who may record ---------------------------------------------------------------------------


def test_the_outsider_may_not_record_a_will(people):
    person = awaiting_interview(people)
    with pytest.raises(PermissionDenied):
        services.will_expression_record(actor=people.outsider, person=person, **will_kwargs())


@pytest.mark.parametrize("who", ["registrar", "receiving_officer", "planner", "decision_maker"])
def test_only_interviewers_and_legal_officers_record_a_will(people, who):
    person = awaiting_interview(people)
    with pytest.raises(PermissionDenied):
        services.will_expression_record(actor=getattr(people, who), person=person, **will_kwargs())


def test_a_legal_ngo_records_only_for_the_cases_it_represents(people):
    person = register(people.registrar)
    with pytest.raises(PermissionDenied):
        services.will_expression_record(actor=people.legal_officer, person=person, **will_kwargs())


# --- the governing will and the case ----------------------------------------------------------


def test_the_latest_verified_will_governs(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",))
    latest = record_will(people.interviewer, person, preferred=("BR",), refused=("RU",))
    assert governing(person) == latest
    assert blocks(person) == {("KP", "refused"), ("RU", "refused")}


def test_a_later_unverified_will_does_not_govern(people):
    person = awaiting_interview(people)
    verified = record_will(people.interviewer, person, preferred=("KR",))
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",),
                verified=False)  # fmt: skip
    assert governing(person) == verified
    assert blocks(person) == {("KP", "refused")}


def test_every_will_expression_is_kept(people):
    person = awaiting_interview(people)
    first = record_will(people.interviewer, person, preferred=("KR",))
    second = record_will(
        people.interviewer, person, wish=Wish.UNDECIDED, preferred=(), verified=False
    )
    third = record_will(people.interviewer, person, preferred=("BR",))
    assert list(person.will_expressions.all()) == [first, second, third]
    first.refresh_from_db()
    assert [c.code for c in first.destinations_preferred] == ["KR"]


def test_an_unverified_will_moves_the_case_to_will_recorded(people):
    person = awaiting_interview(people)
    record_will(people.detaining_interviewer, person, verified=False)
    assert state_of(person) == CaseState.WILL_RECORDED


def test_a_verified_will_moves_the_case_to_will_verified(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person)
    assert state_of(person) == CaseState.WILL_VERIFIED


def test_a_verified_will_after_an_unverified_one_moves_the_case_to_will_verified(people):
    person = awaiting_interview(people)
    record_will(people.detaining_interviewer, person, verified=False)
    record_will(people.interviewer, person)
    assert state_of(person) == CaseState.WILL_VERIFIED
    assert [t.to_state for t in person.case.transitions.all()][-2:] == [
        CaseState.WILL_RECORDED, CaseState.WILL_VERIFIED,
    ]  # fmt: skip


def test_a_new_verified_will_cancels_a_scheduled_transfer_and_reopens_the_case(people):
    person, transfer = scheduled(people, "KR")
    record_will(people.interviewer, person, preferred=("KR",), certainty=95)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert transfer.cancelled_reason
    assert state_of(person) == CaseState.WILL_VERIFIED
    with pytest.raises(DomainError):
        services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))


def test_a_later_unverified_statement_asking_for_home_calls_off_a_transfer_elsewhere(people):
    person, transfer = scheduled(people, "KR")
    record_will(people.detaining_interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",),
                verified=False)  # fmt: skip
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    # Recorded by the detaining power's interviewer, who may not read the will's details.
    assert "blocked for him" in transfer.cancelled_reason
    assert state_of(person) == CaseState.ACCEPTED


def test_a_later_unverified_statement_that_agrees_leaves_a_scheduled_transfer_alone(people):
    person, transfer = scheduled(people, "KR")
    record_will(people.detaining_interviewer, person, preferred=("KR",), verified=False)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


# --- withdrawal -------------------------------------------------------------------------------


def test_withdrawing_the_governing_will_falls_back_to_the_previous_verified_one(people):
    person = awaiting_interview(people)
    first = record_will(people.interviewer, person, preferred=("KR",))
    second = record_will(people.interviewer, person, preferred=("BR",), refused=("KR",))
    assert guard_check(person=person, destination="KR")
    services.will_expression_withdraw(actor=people.interviewer, will=second, reason="Wrong person.")
    assert governing(person) == first
    assert blocks(person) == {("KP", "refused")}
    assert "refused" not in {v.rule for v in guard_check(person=person, destination="KR")}
    second.refresh_from_db()
    assert second.is_withdrawn and second.withdrawn_reason == "Wrong person."
    assert person.will_expressions.count() == 2


def test_withdrawing_the_only_verified_will_leaves_no_will_and_reopens_the_interview(people):
    person = awaiting_interview(people)
    will = record_will(people.interviewer, person)
    services.will_expression_withdraw(
        actor=people.interviewer, will=will, reason="Recorded in error."
    )
    assert governing(person) is None
    assert blocks(person) == set()
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    assert guard_check(person=person, destination="KR")[0].rule == "no_verified_will"


def test_withdrawing_an_older_will_leaves_the_governing_one(people):
    person = awaiting_interview(people)
    first = record_will(people.interviewer, person, preferred=("KR",))
    second = record_will(people.interviewer, person, preferred=("BR",))
    services.will_expression_withdraw(actor=people.interviewer, will=first, reason="Duplicate.")
    assert governing(person) == second


def test_withdrawing_the_governing_will_cancels_a_scheduled_transfer(people):
    person, transfer = scheduled(people, "KR")
    will = governing(person)
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Coerced.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert state_of(person) == CaseState.AWAITING_INTERVIEW


def test_a_withdrawn_refusal_no_longer_blocks_but_the_fallback_does(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",), refused=("RU",))
    second = record_will(people.interviewer, person, preferred=("KR",))
    assert ("RU", "refused") not in blocks(person)
    services.will_expression_withdraw(actor=people.interviewer, will=second, reason="Error.")
    assert ("RU", "refused") in blocks(person)
    with pytest.raises(NonRefoulementViolation, match="RU"):
        guard_ensure(person=person, movement=Movement("transfer", "RU"))


def test_only_the_recording_organisation_may_withdraw(people, orgs):
    person = awaiting_interview(people)
    will = record_will(people.interviewer, person)
    other_mission = make_org("Second Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    other_interviewer = make_user(other_mission, Role.INTERVIEWER)
    with pytest.raises(NotAllowed):
        services.will_expression_withdraw(actor=other_interviewer, will=will, reason="Mine now.")
    assert governing(person) == will


def test_the_detaining_power_may_not_withdraw_a_will(people):
    person = awaiting_interview(people)
    will = record_will(people.detaining_interviewer, person, verified=False)
    with pytest.raises(PermissionDenied):
        services.will_expression_withdraw(
            actor=people.detaining_interviewer, will=will, reason="Inconvenient."
        )


def test_the_outsider_may_not_withdraw_a_will(people):
    person = awaiting_interview(people)
    will = record_will(people.interviewer, person)
    with pytest.raises(PermissionDenied):
        services.will_expression_withdraw(actor=people.outsider, will=will, reason="No.")


def test_a_withdrawal_needs_a_reason_and_happens_once(people):
    person = awaiting_interview(people)
    will = record_will(people.interviewer, person)
    with pytest.raises(DomainError, match="reason"):
        services.will_expression_withdraw(actor=people.interviewer, will=will, reason="  ")
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Error.")
    with pytest.raises(DomainError, match="already withdrawn"):
        services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Again.")


def test_scheduling_after_a_withdrawal_is_refused_by_the_guard(people):
    person, transfer = scheduled(people, "KR")
    services.will_expression_withdraw(
        actor=people.interviewer, will=governing(person), reason="Coerced."
    )
    with pytest.raises(DomainError):
        services.transfer_schedule(
            actor=people.planner, person=person, destination="KR", scheduled_for=tomorrow()
        )
