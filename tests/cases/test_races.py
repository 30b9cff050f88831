"""Two requests racing to move or transfer the same person: exactly one wins, the other is told.

On PostgreSQL with real threads (each its own connection): the loser blocks on the case row lock
(`select_for_update`) until the winner commits, then re-checks the state under the lock and is
refused. On SQLite with two processes on one database file: IMMEDIATE transactions serialise
the writers the same way. Nothing is applied twice: one transition row, one audit event.
"""

import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection, connections, transaction

from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.models import CaseState, CaseTransition, Transfer, TransferStatus
from safepassage.lib.errors import DomainError
from tests.cases.builders import scheduled, state_of
from tests.factories import handover, register
from tests.ops.conftest import (  # noqa: F401 - fixtures
    ROOT,
    committed,
    sqlite_env,
    triggers_back_after_flush,
)


def _race(first_action, second_action):
    """Run `first_action` holding its transaction open while `second_action` starts.

    Returns (first outcome, second outcome, whether the second had to wait for the first).
    """
    outcomes: dict[str, object] = {}
    first_done = threading.Event()
    release = threading.Event()

    def run(name, action, hold):
        try:
            with transaction.atomic():
                action()
                outcomes[name] = "won"
                if hold:
                    first_done.set()
                    release.wait(timeout=10)
        except DomainError as error:
            outcomes[name] = error
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            outcomes[name] = error
            first_done.set()
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first", first_action, True))
    second = threading.Thread(target=run, args=("second", second_action, False))
    first.start()
    assert first_done.wait(timeout=10)
    second.start()
    second.join(timeout=1)
    waited = second.is_alive()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    return outcomes.get("first"), outcomes.get("second"), waited


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_racing_steps_on_postgresql_one_wins_the_other_is_refused(committed, people):  # noqa: F811
    person = register(people.registrar)

    def notify():
        services.case_transition(
            actor=people.registrar, person=person, target=CaseState.NOTIFIED, reason="Sent."
        )

    first, second, waited = _race(notify, notify)
    assert first == "won"
    assert waited, "the second request must wait for the first to commit"
    assert isinstance(second, DomainError)
    assert "cannot move" in str(second) and "Notified" in str(second)
    assert state_of(person) == CaseState.NOTIFIED
    assert CaseTransition.objects.filter(case__person=person).count() == 1
    assert AuditEvent.objects.filter(person=person, action="case.transition").count() == 1
    assert audit_chain_verify().intact


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_executing_and_cancelling_one_transfer_at_once_lets_exactly_one_through(
    committed,  # noqa: F811 - the fixture
    people,
):
    person, transfer = scheduled(people)

    def execute():
        services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))

    def cancel():
        services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Route closed.")

    first, second, waited = _race(execute, cancel)
    assert first == "won"
    assert waited
    assert isinstance(second, DomainError)
    assert "Only a scheduled transfer can be cancelled" in str(second)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.EXECUTED
    assert state_of(person) == CaseState.TRANSFERRED
    assert AuditEvent.objects.filter(person=person, action="transfer.cancel").count() == 0
    assert audit_chain_verify().intact


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_racing_executions_of_one_transfer_execute_it_once(committed, people):  # noqa: F811
    person, transfer = scheduled(people)

    def execute():
        services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))

    first, second, waited = _race(execute, execute)
    assert (first, waited) == ("won", True)
    assert isinstance(second, DomainError)
    assert "This transfer is executed and cannot be executed" in str(second)
    assert AuditEvent.objects.filter(person=person, action="transfer.execute").count() == 1


# --- SQLite: two processes on one database file --------------------------------------------

SETUP = """
from safepassage.accounts.models import OrganisationKind, Role
from tests.factories import make_org, make_user, register
org = make_org("Bureau", OrganisationKind.DETAINING_POWER, "UA")
alice = make_user(org, Role.REGISTRAR, username="alice")
print(register(alice).registry_number)
"""

# Reads the person (and his case, "registered") first, then waits for its turn; the first
# process holds its transaction open for a second after the step, the second must wait.
RACER = """
import sys, time
from pathlib import Path
from django.db import transaction
from safepassage.accounts.models import User
from safepassage.cases import services
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person
alice = User.objects.get(username="alice")
person = Person.objects.select_related("case").get(registry_number="{number}")
role, flag = "{role}", Path("{flag}")
if role == "second":
    while not flag.exists():
        time.sleep(0.02)
started = time.monotonic()
try:
    with transaction.atomic():
        services.case_transition(actor=alice, person=person, target="notified", reason="Sent.")
        if role == "first":
            flag.write_text("stepped")
            time.sleep(1)
    print("won")
except DomainError as error:
    print("refused after", round(time.monotonic() - started, 1), "s:", error)
"""


def _shell(env, code, **popen):
    return subprocess.Popen(  # noqa: S603 - our own interpreter and console command
        [sys.executable, "-m", "safepassage.cli", "shell", "-v0", "-c", textwrap.dedent(code)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen,
    )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the race")
def test_two_racing_steps_on_sqlite_one_wins_the_other_is_refused(tmp_path, sqlite_env):  # noqa: F811
    setup = _shell(sqlite_env, SETUP)
    out, err = setup.communicate(timeout=60)
    assert setup.returncode == 0, err
    number = out.strip()
    flag = tmp_path / "first-stepped"
    racers = [
        _shell(sqlite_env, RACER.format(number=number, role=role, flag=flag))
        for role in ("first", "second")
    ]
    (first, first_err), (second, second_err) = (r.communicate(timeout=90) for r in racers)
    assert first.strip() == "won", first_err
    assert second.startswith("refused after"), second_err
    assert float(second.split()[2]) >= 0.5  # it waited for the first to commit
    assert "cannot move" in second
    check = _shell(
        sqlite_env,
        "from safepassage.cases.models import CaseTransition as T; "
        "from safepassage.audit.models import AuditEvent as E; "
        "print(T.objects.count(), E.objects.filter(action='case.transition').count())",
    )
    counts, err = check.communicate(timeout=60)
    assert counts.split() == ["1", "1"], err
