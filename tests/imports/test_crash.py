"""An import killed half-way (SIGKILL, after chunks were written) leaves no partial batch, and
the same file then imports fully: on SQLite, and on PostgreSQL when the tests run on it."""

import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from safepassage.imports.models import ImportBatch, ImportedRecord
from safepassage.imports.writing import CHUNK
from safepassage.registry.models import Person, PersonName
from tests.factories import make_org, make_user
from tests.imports.corpus import csv_text
from tests.ops.conftest import ROOT, run, safepassage_env

ROWS = 20_000
KILL_AFTER = 3 * CHUNK  # rows reported done: three chunks were written in the transaction
TABLES = {
    "persons": Person, "names": PersonName, "cases": Case, "batches": ImportBatch,
    "records": ImportedRecord,
}  # fmt: skip


def _big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.csv"
    rows = [
        f"c-{i},Kim,Chol Su {i % 97},,1999-01-{1 + i % 28:02d},,KP,unit {i % 9},"
        for i in range(ROWS)
    ]
    path.write_text(csv_text(*rows), encoding="utf-8")
    return path


def _import_killed_half_way(env: dict[str, str], path: Path, tmp_path: Path) -> int:
    """Start the console import, SIGKILL it once three chunks are written; rows it had read."""
    stderr = tmp_path / "stderr.txt"
    with stderr.open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and console command
            [sys.executable, "-m", "safepassage.cli", "import", "persons", str(path),
             "--as", "alice"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            counts = re.findall(
                r"([\d,]+) rows", stderr.read_text(encoding="utf-8", errors="replace")
            )
            done = int(counts[-1].replace(",", "")) if counts else 0
            if done >= KILL_AFTER:
                break
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert done < ROWS  # killed in the middle, not after
    return done


def _sqlite_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        counts = {
            name: db.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()[0]  # noqa: S608
            for name, model in TABLES.items()
        }
        counts["events"] = db.execute(
            "SELECT COUNT(*) FROM audit_auditevent WHERE action = 'import.commit'"
        ).fetchone()[0]
    return counts


def _orm_counts() -> dict[str, int]:
    counts = {name: model.objects.count() for name, model in TABLES.items()}
    counts["events"] = AuditEvent.objects.filter(action="import.commit").count()
    return counts


NOTHING = {"persons": 0, "names": 0, "cases": 0, "batches": 0, "records": 0, "events": 0}
EVERYTHING = {
    "persons": ROWS, "names": ROWS, "cases": ROWS, "batches": 1, "records": ROWS, "events": 1,
}  # fmt: skip


def test_a_killed_import_leaves_no_partial_batch_on_sqlite(tmp_path, sqlite_env):
    made = run(
        sqlite_env, "shell", "-v0", "-c",
        "from tests.factories import make_org, make_user; "
        "o = make_org('Bureau', 'detaining_power', 'UA'); "
        "make_user(o, 'registrar', username='alice')",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    database = tmp_path / "db.sqlite3"
    path = _big_file(tmp_path)

    _import_killed_half_way(sqlite_env, path, tmp_path)
    assert _sqlite_counts(database) == NOTHING  # the journal rolled the chunks back

    again = run(sqlite_env, "import", "persons", str(path), "--as", "alice", "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _sqlite_counts(database) == EVERYTHING
    assert run(sqlite_env, "audit", "verify").returncode == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tests run on SQLite")
def test_a_killed_import_leaves_no_partial_batch_on_postgresql(tmp_path, committed):
    organisation = make_org("Bureau", OrganisationKind.DETAINING_POWER, "UA")
    make_user(organisation, Role.REGISTRAR, username="alice")
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = safepassage_env(tmp_path, DATABASE_URL=url)
    path = _big_file(tmp_path)

    _import_killed_half_way(env, path, tmp_path)
    assert _orm_counts() == NOTHING

    again = run(env, "import", "persons", str(path), "--as", "alice", "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _orm_counts() == EVERYTHING
