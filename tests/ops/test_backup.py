"""`safepassage backup` / `restore` round-trip, and the audit chain still verifies afterwards."""

import os
import sqlite3

import pytest

from tests.ops.conftest import run

COUNT = "from safepassage.registry.models import Person; print(Person.objects.count())"


def _count(env) -> str:
    result = run(env, "shell", "-v0", "-c", COUNT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _round_trip(env, backup_file) -> None:
    assert run(env, "seed", "--persons", "20", "-v0").returncode == 0
    backed_up = run(env, "backup", "--out", str(backup_file))
    assert backed_up.returncode == 0, backed_up.stderr
    assert "field encryption keys are not in the backup" in backed_up.stderr
    assert os.stat(backup_file).st_mode & 0o777 == 0o600
    assert run(env, "seed", "--persons", "7", "--seed", "9", "-v0").returncode == 0

    restored = run(env, "restore", str(backup_file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _count(env) == "20"
    verify = run(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # One seeding batch, the seed account made and disabled, and the restore itself.
    assert "intact: 4 events" in verify.stdout
    # Work goes on after the restore: the chain extends from the restored head.
    assert run(env, "seed", "--persons", "1", "-v0").returncode == 0
    assert run(env, "audit", "verify").returncode == 0


def test_a_sqlite_backup_restores_with_the_audit_chain_intact(tmp_path, sqlite_env):
    _round_trip(sqlite_env, tmp_path / "backup.sqlite3")


def test_it_refuses_to_overwrite_a_backup_or_restore_something_else(tmp_path, sqlite_env):
    existing = tmp_path / "taken"
    existing.write_text("keep me", encoding="utf-8")
    refused = run(sqlite_env, "backup", "--out", str(existing))
    assert refused.returncode != 0
    assert "exists; choose another file or give --force" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"

    not_sqlite = run(sqlite_env, "restore", str(existing), "--yes")
    assert "is not a SQLite backup" in not_sqlite.stderr
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    not_ours = run(sqlite_env, "restore", str(other), "--yes")
    assert "is not a safepassage backup; nothing restored" in not_ours.stderr
    unconfirmed = run(sqlite_env, "restore", str(other))
    assert "confirm with --yes" in unconfirmed.stderr


@pytest.mark.postgres
def test_a_postgresql_backup_restores_with_the_audit_chain_intact(tmp_path, postgres_env):
    _round_trip(postgres_env, tmp_path / "backup.dump")
