import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation, Violation
from safepassage.cases.management.commands.transfer import refusal
from safepassage.cases.models import CaseState, Transfer
from tests.factories import assess, drive_to_decision, register, tomorrow

# The facts of a handover today, before the scheduled day, confirmed.
HANDOVER = ("--date", str(timezone.localdate()), "--transport", "ICRC bus",
            "--early-reason", "Brought forward by the parties.", "--confirm")  # fmt: skip


def test_execution_without_its_confirmation_is_refused_and_nothing_changes(accepted):
    schedule(accepted, "KR")
    scheduled = Transfer.objects.get(person=accepted)
    with pytest.raises(CommandError) as error:
        transfer("execute", str(scheduled.pk), "--as", "petro", *HANDOVER[:-1])
    assert "cannot be undone" in str(error.value)
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


def transfer(*args: str) -> str:
    out = io.StringIO()
    call_command("transfer", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def accepted(people):
    """A KPA soldier whose verified will names KR (and so refuses KP), accepted by KR."""
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    assess(people.legal_officer, person, "PL")  # the transit state of the allowed route
    services.acceptance_record(actor=people.receiving_officer, person=person)
    return person


def schedule(person, *route: str, actor: str = "petro") -> str:
    transit = [arg for code in route[:-1] for arg in ("--transit", code)]
    return transfer("schedule", person.registry_number, "--destination", route[-1], *transit,
                    "--date", tomorrow().isoformat(), "--as", actor)  # fmt: skip


def test_it_schedules_and_executes_a_transfer(accepted):
    output = schedule(accepted, "PL", "KR")
    scheduled = Transfer.objects.get(person=accepted)
    assert f"Transfer #{scheduled.pk} scheduled" in output and "UA → PL → KR" in output
    output = transfer("execute", str(scheduled.pk), "--as", "petro", *HANDOVER)
    scheduled.refresh_from_db()
    accepted.case.refresh_from_db()
    assert scheduled.status == "executed" and accepted.case.state == CaseState.TRANSFERRED
    assert "executed" in output
    assert AuditEvent.objects.filter(action="transfer.execute", actor__username="petro").exists()


def test_it_lists_a_persons_transfers(accepted):
    schedule(accepted, "KR")
    output = transfer("list", accepted.registry_number, "--as", "petro")
    assert "UA → KR" in output and "scheduled" in output


def test_it_refuses_a_refused_destination_with_exit_code_2(accepted):
    with pytest.raises(CommandError) as error:
        schedule(accepted, "KP")
    # The decision names KR (the guard allowed it): the workflow refuses first.
    assert error.value.returncode == 2
    assert "The decision names KR" in str(error.value)
    assert not Transfer.objects.filter(person=accepted).exists()


def test_a_refused_destination_is_shown_in_the_guards_words():
    violations = [Violation("refused", "KP", will_expression_id=7),
                  Violation("high_risk", "KP", assessment_id=3)]  # fmt: skip
    error = refusal(NonRefoulementViolation(violations))
    assert error.returncode == 2
    assert str(error).splitlines() == [
        "Non-refoulement guard: this route is forbidden.",
        "  - KP is refused in his latest verified will (will expression #7).",
        "  - KP is assessed high-risk for him (risk assessment #3).",
    ]


def test_it_refuses_a_refused_transit_state_with_exit_code_2_and_writes_nothing(accepted):
    with pytest.raises(CommandError) as error:
        schedule(accepted, "KP", "KR")
    message = str(error.value)
    assert error.value.returncode == 2
    assert message.splitlines()[0] == "Non-refoulement guard: this route is forbidden."
    # The planner may not read the will: the refusal is there, the state is not named.
    assert "  - A state on this route is blocked for him (his will or an assessment)." in message
    assert "Transit state KP is refused" not in message
    assert not Transfer.objects.filter(person=accepted).exists()
    assert not AuditEvent.objects.filter(action="transfer.schedule").exists()
    accepted.case.refresh_from_db()
    assert accepted.case.state == CaseState.ACCEPTED


def test_each_violation_is_on_its_own_line(people, accepted):
    services.risk_assessment_record(
        actor=people.legal_officer, person=accepted, country="RU", persecution_risk="high",
        onward_transfer_risk="high", basis="Hands prisoners back to the DPRK.",
    )  # fmt: skip
    with pytest.raises(CommandError) as error:
        schedule(accepted, "KP", "RU", "KR")
    lines = str(error.value).splitlines()
    # KP blocked (his will, unnamed to the planner), KP not assessed, RU high and onward high.
    assert len(lines) == 5
    assert all(line.startswith("  - ") for line in lines[1:])


def test_a_transfer_cancelled_by_a_new_will_cannot_be_executed(people, accepted):
    schedule(accepted, "KR")
    scheduled = Transfer.objects.get(person=accepted)
    services.will_expression_record(
        actor=people.interviewer, person=accepted, expressed_on=timezone.localdate(),
        source="private_verification_interview", setting="private", wish="third_country",
        destinations_refused=["KR"], certainty=90,
    )  # fmt: skip
    with pytest.raises(CommandError) as error:
        transfer("execute", str(scheduled.pk), "--as", "petro", *HANDOVER)
    assert error.value.returncode == 2
    assert "cancelled" in str(error.value)
    scheduled.refresh_from_db()
    assert scheduled.status == "cancelled"


def test_an_invisible_person_is_reported_as_not_visible(people, accepted):
    with pytest.raises(
        CommandError, match=f"no person {accepted.registry_number} visible to oscar"
    ):
        schedule(accepted, "KR", actor="oscar")


def test_a_user_without_the_role_is_refused_with_exit_code_2(accepted):
    with pytest.raises(CommandError) as error:
        schedule(accepted, "KR", actor="alice")
    assert error.value.returncode == 2
    assert not Transfer.objects.filter(person=accepted).exists()


def test_it_refuses_a_date_that_is_not_a_date(accepted):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        transfer("schedule", accepted.registry_number, "--destination", "KR",
                 "--date", "next week", "--as", "petro")  # fmt: skip


def test_it_refuses_an_unknown_user(accepted):
    with pytest.raises(CommandError, match="No active user “nobody”"):
        transfer("list", accepted.registry_number, "--as", "nobody")
