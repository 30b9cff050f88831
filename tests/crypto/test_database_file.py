"""A stolen database file reveals nothing sensitive: no marker from any encrypted field appears in
the raw SQLite file (nor its journal or WAL), nor in a pg_dump of the PostgreSQL database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.audit.tamper import triggers_create, triggers_drop
from tests.conftest import TEST_FIELD_KEYS, copy_migrated
from tests.crypto.markers import (
    PLAIN_MARKER,
    markers_found,
    sensitive_records,
    tracing_sensitive_records,
)

ROOT = Path(__file__).resolve().parents[2]
SAFEPASSAGE = Path(sys.executable).parent / "safepassage"

SETUP = """
import django
django.setup()
from safepassage.accounts.models import OrganisationKind as K, Role
from tests.crypto.markers import sensitive_records, tracing_sensitive_records
from tests.factories import make_org, make_user
ua = make_org("Bureau", K.DETAINING_POWER, "UA")
verifier = make_org("Mission", K.NEUTRAL_VERIFIER, "CH")
ngo = make_org("Law Centre", K.LEGAL_NGO, "UA")
interviewer = make_user(verifier, Role.INTERVIEWER)
person, _will, _assessment = sensitive_records(
    registrar=make_user(ua, Role.REGISTRAR),
    interviewer=interviewer,
    legal_officer=make_user(ngo, Role.LEGAL_OFFICER),
)
tracing_sensitive_records(person=person, interviewer=interviewer)
"""


def database_files(database: Path) -> dict[str, bytes]:
    """The database and whatever journal, WAL or shared-memory file lies beside it."""
    return {p.name: p.read_bytes() for p in database.parent.glob(f"{database.name}*")}


def test_the_sqlite_file_holds_none_of_the_sensitive_markers(tmp_path, migrated_sqlite):
    database = copy_migrated(migrated_sqlite, tmp_path / "data" / "safepassage.sqlite3")
    keys = tmp_path / "keys" / "field-keys"  # outside the data directory, as in production
    keys.parent.mkdir()
    keys.write_text(TEST_FIELD_KEYS + "\n", encoding="ascii")
    env = {**os.environ, "SAFEPASSAGE_VAR_DIR": str(tmp_path / "var"),
           "DATABASE_URL": f"sqlite:///{database}", "SAFEPASSAGE_FIELD_KEYS_FILE": str(keys),
           "DJANGO_SETTINGS_MODULE": "safepassage.settings"}  # fmt: skip
    env.pop("SAFEPASSAGE_FIELD_KEYS", None)

    def run(*command: str) -> None:
        result = subprocess.run(  # noqa: S603 - our own console script and interpreter
            command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=180, check=False
        )
        assert result.returncode == 0, result.stderr

    run(sys.executable, "-c", SETUP)
    files = database_files(database)
    assert PLAIN_MARKER.encode() in files[database.name]  # the search does find plain text
    assert {name: markers_found(data) for name, data in files.items()} == {n: [] for n in files}

    # Rewritten under a new key, the old ciphertexts left in free pages are still ciphertexts.
    run(str(SAFEPASSAGE), "keys", "rotate", "--batch-size", "2")
    files = database_files(database)
    assert {name: markers_found(data) for name, data in files.items()} == {n: [] for n in files}


@pytest.fixture
def triggers_back_after_flush(django_db_blocker):
    """Requested before `committed`, so its teardown runs after pytest-django's flush."""
    yield
    with django_db_blocker.unblock():
        triggers_create()


@pytest.fixture
def committed(triggers_back_after_flush, transactional_db):
    """Really committed data (pg_dump sees nothing else); the flush (TRUNCATE) that ends the
    test must pass the audit log's append-only triggers."""
    yield
    triggers_drop()


def _without_pg_dump(reason: str) -> None:
    """Skip on a developer's machine; under CI=true the dump is required, so fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason} CI must dump the PostgreSQL database (apt-get install postgresql-client)."
        )
    pytest.skip(reason)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL only")
def test_a_postgresql_dump_holds_none_of_the_sensitive_markers(committed, people):
    person, _will, _assessment = sensitive_records(
        registrar=people.registrar,
        interviewer=people.interviewer,
        legal_officer=people.legal_officer,
    )
    tracing_sensitive_records(person=person, interviewer=people.interviewer)
    if shutil.which("pg_dump") is None:
        _without_pg_dump("pg_dump is not installed.")
    database = connection.settings_dict
    command = [shutil.which("pg_dump"), "--no-owner", "--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [option, str(database[key])]
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    result = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)  # noqa: S603
    if result.returncode != 0:
        _without_pg_dump(f"pg_dump failed: {result.stderr.decode(errors='replace')[:200]}")
    assert PLAIN_MARKER.encode() in result.stdout
    assert markers_found(result.stdout) == []
