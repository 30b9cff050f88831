"""`safepassage audit verify` as an operator meets it: exit 0 or 1, one clear line."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

ROOT = Path(__file__).resolve().parents[2]
SAFEPASSAGE = Path(sys.executable).parent / "safepassage"

SETUP = """
import django
django.setup()
from safepassage.accounts.models import OrganisationKind as K, Role
from tests.factories import make_org, make_user, register
registrar = make_user(make_org("Bureau", K.DETAINING_POWER, "UA"), Role.REGISTRAR)
for _ in range(3):
    register(registrar)
"""


@pytest.fixture(scope="module")
def console(tmp_path_factory, migrated_sqlite):
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "SAFEPASSAGE_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "safepassage.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("AUDIT_SIGNING_KEY_FILE", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own console script
            [str(SAFEPASSAGE), *args], capture_output=True, text=True, env=env, cwd=ROOT,
            timeout=120, check=False,
        )  # fmt: skip

    copy_migrated(migrated_sqlite, var / "safepassage.sqlite3")
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SETUP], env=env, cwd=ROOT, timeout=120, check=True
    )
    run.database = var / "safepassage.sqlite3"
    run.var = var
    return run


def test_verify_exits_0_on_an_intact_log_and_1_naming_the_edited_event(console):
    intact = console("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "Audit log intact: 6 events" in intact.stdout
    checkpoint = console.var / "checkpoint.json"
    assert console("audit", "anchor", "--out", str(checkpoint)).returncode == 0

    # An owner of the database file rewrites an event behind the application's back.
    with sqlite3.connect(console.database) as db:
        db.execute("DROP TRIGGER audit_auditevent_no_update")
        db.execute("UPDATE audit_auditevent SET actor_username = 'oscar' WHERE seq = 4")
    tampered = console("audit", "verify", "--checkpoint", str(checkpoint))
    assert tampered.returncode == 1
    assert "Traceback" not in tampered.stderr
    lines = tampered.stderr.strip().splitlines()
    assert "append-only triggers are missing" in lines[0]
    assert lines[1:] == [
        "CommandError: Audit log tampered: audit event #4 (id 4): its content does not match "
        "its hash: edited."
    ]
