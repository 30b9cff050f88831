"""What an `Idempotency-Key` leaves behind: no statement or contact in any column of any table,
nor anywhere in the SQLite file, and the upgrade drops the bodies stored before."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.api.idempotency_markers import MARKERS, PLAIN_MARKER, sent_with_keys
from tests.conftest import TEST_FIELD_KEYS, copy_migrated
from tests.factories import register

ROOT = Path(__file__).resolve().parents[2]
OLD_BODY_MARKER = "MRK-IDEM-OLD-BODY-N6C4"


def columns_holding(marker: str) -> list[str]:
    """`table.column` of every column of every table whose text holds `marker`."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} "  # noqa: S608 - names from the schema itself
                    f"WHERE CAST({quote(column.name)} AS TEXT) LIKE %s LIMIT 1",
                    [f"%{marker}%"],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column.name}")
    return found


def test_a_statement_and_a_contact_sent_with_a_key_are_in_no_column_of_any_table(people):
    sent_with_keys(interviewer=people.interviewer, person=register(people.registrar))
    assert "tracing_tracingrequest.unit" in columns_holding(PLAIN_MARKER)
    assert {marker: columns_holding(marker) for marker in MARKERS} == {m: [] for m in MARKERS}


# --- the SQLite file ----------------------------------------------------------------------------

USERS = """
import django
django.setup()
from safepassage.accounts.models import OrganisationKind as K, Role
from tests.factories import make_org, make_user, register
registrar = make_user(make_org("Bureau", K.DETAINING_POWER, "UA"), Role.REGISTRAR)
interviewer = make_user(make_org("Mission", K.NEUTRAL_VERIFIER, "CH"), Role.INTERVIEWER)
"""
SENT = """
from tests.api.idempotency_markers import sent_with_keys
sent_with_keys(interviewer=interviewer, person=register(registrar))
"""
# Records as the old code stored them: (key, response body, hours old).
OLD_RECORDS = [
    ("named", {"id": 7, "statement": OLD_BODY_MARKER}, 1),
    ("unnamed", [{"id": 7, "statement": OLD_BODY_MARKER}], 1),
    ("expired", {"id": 8, "statement": OLD_BODY_MARKER}, 48),
]


@pytest.fixture
def var(tmp_path, migrated_sqlite) -> Path:
    """A data directory with a fresh migrated SQLite file; keys kept outside it."""
    copy_migrated(migrated_sqlite, tmp_path / "var" / "safepassage.sqlite3")
    return tmp_path / "var"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPASSAGE_", "DATABASE_"))}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'safepassage.sqlite3'}",
        "SAFEPASSAGE_VAR_DIR": str(tmp_path / "var"), "SAFEPASSAGE_FIELD_KEYS": TEST_FIELD_KEYS,
        "DJANGO_SETTINGS_MODULE": "safepassage.settings", "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT),
    }  # fmt: skip


def _run(tmp_path: Path, *args: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and console
        [sys.executable, *args], env=_env(tmp_path), cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def grep(directory: Path, marker: str) -> list[str]:
    """`grep -rl marker directory`: the files under it whose bytes hold the marker."""
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and marker.encode() in path.read_bytes()
    )


def test_grep_finds_no_statement_or_contact_sent_with_a_key_under_var(tmp_path, var):
    _run(tmp_path, "-c", USERS + SENT)
    assert grep(var, PLAIN_MARKER) == ["safepassage.sqlite3"]
    assert {marker: grep(var, marker) for marker in MARKERS} == {m: [] for m in MARKERS}


def test_the_upgrade_drops_the_stored_bodies_and_keeps_the_replays_it_can(tmp_path, var):
    """A body naming its resource's id keeps replaying it; a list answer, or an expired record,
    cannot and is deleted; the bodies are gone from the file too (SQLite's secure_delete)."""
    _run(tmp_path, "-m", "safepassage.cli", "migrate", "api", "0001", "-v0")
    _run(tmp_path, "-c", USERS)
    database = var / "safepassage.sqlite3"
    db = sqlite3.connect(database)
    with db:
        for key, body, hours in OLD_RECORDS:
            db.execute(
                "INSERT INTO api_idempotencyrecord (user_id, key, method, path, fingerprint, "
                "response_status, response_body, created_at) VALUES "
                "(1, ?, 'POST', '/', '', 201, ?, datetime('now', ?))",
                [key, json.dumps(body), f"-{hours} hours"],
            )
    db.close()
    assert grep(var, OLD_BODY_MARKER) == ["safepassage.sqlite3"]
    _run(tmp_path, "-m", "safepassage.cli", "migrate", "-v0")
    db = sqlite3.connect(database)
    rows = db.execute("SELECT key, resource_id FROM api_idempotencyrecord").fetchall()
    columns = [c[1] for c in db.execute("PRAGMA table_info(api_idempotencyrecord)")]
    db.close()
    assert rows == [("named", 7)]
    assert "response_body" not in columns
    assert grep(var, OLD_BODY_MARKER) == []
