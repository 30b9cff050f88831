"""The console as an operator meets it: exit codes, one clear line, never a traceback."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

ROOT = Path(__file__).resolve().parents[2]
SAFEPASSAGE = Path(sys.executable).parent / "safepassage"

# Builds a person decided for KR and accepted, in the subprocess database; prints his number.
SETUP = """
import django
django.setup()
from types import SimpleNamespace
from safepassage.accounts.models import OrganisationKind as K, Role
from safepassage.cases import services
from tests.factories import assess, drive_to_decision, make_org, make_user, register
ua = make_org("Bureau", K.DETAINING_POWER, "UA")
verifier = make_org("Mission", K.NEUTRAL_VERIFIER, "CH")
ngo = make_org("Law Centre", K.LEGAL_NGO, "UA")
kr = make_org("Receiving Office", K.RECEIVING_STATE, "KR")
people = SimpleNamespace(
    registrar=make_user(ua, Role.REGISTRAR, username="alice"),
    decision_maker=make_user(ua, Role.DECISION_MAKER, username="dmitro"),
    planner=make_user(ua, Role.EXCHANGE_PLANNER, username="petro"),
    interviewer=make_user(verifier, Role.INTERVIEWER, username="vera"),
    legal_officer=make_user(ngo, Role.LEGAL_OFFICER, username="lena"),
)
person = register(people.registrar)
drive_to_decision(people, person, "KR")
assess(people.legal_officer, person, "PL")  # the transit state of the allowed route
services.acceptance_record(actor=make_user(kr, Role.DECISION_MAKER), person=person)
print(person.registry_number)
"""


@pytest.fixture(scope="module")
def console(tmp_path_factory, migrated_sqlite):
    """Run `safepassage` against a fresh migrated SQLite database in a temporary var/ directory."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "SAFEPASSAGE_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "safepassage.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own console script
            [str(SAFEPASSAGE), *args], input=stdin, capture_output=True, text=True, env=env,
            cwd=ROOT, timeout=120, check=False,
        )  # fmt: skip

    copy_migrated(migrated_sqlite, var / "safepassage.sqlite3")
    setup = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SETUP], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120, check=True,
    )  # fmt: skip
    run.registry_number = setup.stdout.strip().splitlines()[-1]
    return run


def assert_one_clear_line(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_org_create_succeeds_with_exit_code_0(console):
    result = console("org", "create", "Neutral Mission 2", "--kind", "neutral_verifier",
                     "--country", "CH")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Neutral Mission 2" in console("org", "list").stdout


def test_an_unknown_kind_exits_1_with_the_valid_kinds(console):
    result = console("org", "create", "X", "--kind", "embassy", "--country", "UA")
    assert result.returncode == 1
    assert_one_clear_line(result)
    assert "detaining_power, neutral_verifier, receiving_state, legal_ngo" in result.stderr


def test_an_unknown_country_exits_1(console):
    result = console("org", "create", "X", "--kind", "legal_ngo", "--country", "ZZ")
    assert result.returncode == 1
    assert_one_clear_line(result)
    assert "Unknown country “ZZ”" in result.stderr


def test_an_unknown_role_exits_1(console):
    result = console("user", "create", "zed", "--org", "Bureau", "--role", "king")
    assert result.returncode == 1
    assert_one_clear_line(result)
    assert "registrar, interviewer" in result.stderr


def test_an_unknown_organisation_exits_1(console):
    result = console("user", "create", "zed", "--org", "Atlantis", "--role", "registrar")
    assert result.returncode == 1
    assert_one_clear_line(result)
    assert "Atlantis" in result.stderr and "Bureau" in result.stderr


def test_a_weak_password_from_stdin_exits_1_with_the_validators_words(console):
    result = console("user", "create", "zed", "--org", "Bureau", "--role", "registrar",
                     "--password-stdin", stdin="password\n")  # fmt: skip
    assert result.returncode == 1
    assert_one_clear_line(result)
    assert "too short" in result.stderr and "too common" in result.stderr
    assert "zed" not in console("user", "list").stdout


def test_a_good_password_from_stdin_creates_a_user_who_can_log_in(console):
    result = console("user", "create", "yves", "--org", "Bureau", "--role", "auditor",
                     "--password-stdin", stdin="a-long-and-unusual-passphrase\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "yves" in console("user", "list").stdout


def test_a_route_through_a_refused_state_exits_2_with_the_guards_words(console):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()  # noqa: DTZ011
    result = console("transfer", "schedule", console.registry_number, "--destination", "KR",
                     "--transit", "KP", "--date", tomorrow, "--as", "petro")  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Non-refoulement guard: this route is forbidden." in result.stderr
    # The planner may not read the will: he reads that a state is blocked, not which.
    assert "A state on this route is blocked for him" in result.stderr
    assert "refused in his latest verified will" not in result.stderr
    listing = console("transfer", "list", console.registry_number, "--as", "petro").stdout
    assert "KP" not in listing


def test_an_allowed_route_is_scheduled_and_executed(console):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()  # noqa: DTZ011
    scheduled = console("transfer", "schedule", console.registry_number, "--destination", "KR",
                        "--transit", "PL", "--date", tomorrow, "--as", "petro")  # fmt: skip
    assert scheduled.returncode == 0, scheduled.stderr
    transfer_id = scheduled.stdout.split("#")[1].split()[0]
    today = datetime.date.today().isoformat()  # noqa: DTZ011
    facts = ["--date", today, "--transport", "ICRC bus", "--early-reason", "Brought forward."]
    unconfirmed = console("transfer", "execute", transfer_id, "--as", "petro", *facts)
    assert unconfirmed.returncode != 0 and "cannot be undone" in unconfirmed.stderr
    executed = console("transfer", "execute", transfer_id, "--as", "petro", *facts, "--confirm")
    assert executed.returncode == 0, executed.stderr
    assert (
        "executed" in console("transfer", "list", console.registry_number, "--as", "petro").stdout
    )
