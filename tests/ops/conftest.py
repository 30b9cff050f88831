import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

ROOT = Path(__file__).resolve().parents[2]
TEST_FIELD_KEYS = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


def safepassage_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment for a `safepassage` subprocess on its own SQLite file under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPASSAGE_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SAFEPASSAGE_VAR_DIR=str(tmp_path / "var"),
        SAFEPASSAGE_FIELD_KEYS=TEST_FIELD_KEYS,
        PYTHONPATH=str(ROOT),  # so the worker can import tests.ops.tasks
    )
    env.update(extra)
    return env


def run(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and console command
        [sys.executable, "-m", "safepassage.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture
def sqlite_env(tmp_path, migrated_sqlite) -> dict[str, str]:
    """The subprocess environment on a fresh migrated SQLite file of its own (tests/conftest.py's
    `migrated_sqlite`, copied)."""
    copy_migrated(migrated_sqlite, tmp_path / "db.sqlite3")
    return safepassage_env(tmp_path)


@pytest.fixture
def postgres_env(sqlite_env):
    """The subprocess environment on a scratch PostgreSQL database of its own, migrated, on the
    server the suite runs on (skipped on SQLite); dropped afterwards."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL run of the suite")
    server = connection.settings_dict
    name = f"sp_ops_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=server["HOST"] or None, port=server["PORT"] or None, user=server["USER"] or None,
        password=server["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user = server["USER"] or ""
        auth = (
            f"{user}:{server['PASSWORD']}@" if server["PASSWORD"] else (f"{user}@" if user else "")
        )
        url = f"postgres://{auth}{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"
        env = {**sqlite_env, "DATABASE_URL": url}
        migrated = run(env, "migrate", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        yield env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def triggers_back_after_flush(django_db_blocker):
    """Requested before `committed`, so its teardown runs after pytest-django's flush."""
    from tests.audit.tamper import triggers_create

    yield
    with django_db_blocker.unblock():
        triggers_create()


@pytest.fixture
def committed(triggers_back_after_flush, transactional_db):
    """Really committed data (a worker or another thread sees it); the flush passes the triggers."""
    from tests.audit.tamper import triggers_drop

    yield
    triggers_drop()
