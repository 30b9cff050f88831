"""`safepassage restore --checkpoint`: a backup is checked against the newest signed checkpoint
before anything is replaced; a rollback past it is refused unless accepted; every restore is an
audit event."""

import json
import sqlite3

import pytest

from tests.ops.conftest import run

COUNT = "from safepassage.registry.models import Person; print(Person.objects.count())"
LAST_EVENT = (
    "import json; from safepassage.audit.models import AuditEvent as E; "
    "e = E.objects.order_by('-seq').first(); print(json.dumps([e.action, e.changes]))"
)


def _ok(env, *args: str) -> str:
    result = run(env, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _count(env) -> str:
    return _ok(env, "shell", "-v0", "-c", COUNT).strip()


def _last_event(env) -> list:
    return json.loads(_ok(env, "shell", "-v0", "-c", LAST_EVENT))


def _backup_then_checkpoint(env, tmp_path, suffix: str):
    """A backup of 20 persons, then 7 more and a checkpoint: the backup is older than it."""
    backup, checkpoint = tmp_path / f"backup{suffix}", tmp_path / "checkpoint.json"
    _ok(env, "seed", "--persons", "20", "-v0")
    _ok(env, "backup", "--out", str(backup))
    _ok(env, "seed", "--persons", "7", "--seed", "9", "-v0")
    _ok(env, "audit", "anchor", "--out", str(checkpoint))
    return backup, checkpoint


def _a_rollback_is_refused_unless_accepted(env, tmp_path, suffix: str) -> None:
    backup, checkpoint = _backup_then_checkpoint(env, tmp_path, suffix)
    refused = run(env, "restore", str(backup), "--checkpoint", str(checkpoint), "--yes")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Rollback refused: the backup's audit log ends at event #3, before the checkpoint" in (
        refused.stderr
    )
    assert "give --accept-rollback" in refused.stderr
    assert _count(env) == "27"  # nothing restored

    accepted = run(env, "restore", str(backup), "--checkpoint", str(checkpoint), "--yes",
                   "--accept-rollback")  # fmt: skip
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "recorded as audit event #4" in accepted.stdout
    assert _count(env) == "20"
    action, changes = _last_event(env)
    assert action == "ops.restore"
    assert changes["backup"] == [None, backup.name] and changes["events"] == [None, 3]
    assert changes["checkpoint"][1]["count"] == 4
    assert "ends at event #3" in changes["rollback_accepted"][1]
    assert "intact: 4 events" in _ok(env, "audit", "verify")


def test_a_sqlite_rollback_past_the_checkpoint_is_refused_unless_accepted(tmp_path, sqlite_env):
    _a_rollback_is_refused_unless_accepted(sqlite_env, tmp_path, ".sqlite3")


@pytest.mark.postgres
def test_a_postgresql_rollback_past_the_checkpoint_is_refused_unless_accepted(
    tmp_path, postgres_env
):
    _a_rollback_is_refused_unless_accepted(postgres_env, tmp_path, ".dump")


def test_a_backup_newer_than_the_checkpoint_restores_and_is_recorded(tmp_path, sqlite_env):
    checkpoint, backup = tmp_path / "checkpoint.json", tmp_path / "backup.sqlite3"
    _ok(sqlite_env, "seed", "--persons", "5", "-v0")
    _ok(sqlite_env, "audit", "anchor", "--out", str(checkpoint))
    _ok(sqlite_env, "seed", "--persons", "5", "--seed", "3", "-v0")
    _ok(sqlite_env, "backup", "--out", str(backup))
    out = _ok(sqlite_env, "restore", str(backup), "--checkpoint", str(checkpoint), "--yes")
    assert "Restored" in out and "4 audit events" in out
    action, changes = _last_event(sqlite_env)
    assert action == "ops.restore" and changes["rollback_accepted"] == [None, None]
    assert changes["checkpoint"][1]["count"] == 3


def test_a_backup_whose_history_differs_from_the_checkpoint_is_refused(tmp_path, sqlite_env):
    """Rewound to an old backup, then other work: as long as the checkpoint's history, but
    not the same history."""
    backup, checkpoint = _backup_then_checkpoint(sqlite_env, tmp_path, ".sqlite3")
    _ok(sqlite_env, "restore", str(backup), "--yes")  # no checkpoint: nothing to hold it to
    _ok(sqlite_env, "seed", "--persons", "3", "--seed", "4", "-v0")
    other = tmp_path / "other.sqlite3"
    _ok(sqlite_env, "backup", "--out", str(other))
    refused = run(sqlite_env, "restore", str(other), "--checkpoint", str(checkpoint), "--yes")
    assert refused.returncode == 1
    assert "differs from the one the checkpoint" in refused.stderr


def test_a_checkpoint_signed_by_another_key_is_refused(tmp_path, sqlite_env):
    backup, checkpoint = _backup_then_checkpoint(sqlite_env, tmp_path, ".sqlite3")
    other_key = tmp_path / "other.key"
    _ok(sqlite_env, "audit", "keygen", "--out", str(other_key))
    refused = run(sqlite_env, "restore", str(backup), "--checkpoint", str(checkpoint),
                  "--public-key", f"{other_key}.pub", "--yes")  # fmt: skip
    assert refused.returncode == 1 and "Checkpoint rejected" in refused.stderr
    assert _count(sqlite_env) == "27"


def test_a_restore_the_audit_log_cannot_record_says_so(tmp_path, sqlite_env):
    """A backup whose audit table refuses the event (as one from an older schema might)."""
    backup = tmp_path / "backup.sqlite3"
    _ok(sqlite_env, "seed", "--persons", "2", "-v0")
    _ok(sqlite_env, "backup", "--out", str(backup))
    with sqlite3.connect(backup) as db:
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    result = run(sqlite_env, "restore", str(backup), "--yes")
    assert result.returncode == 1
    assert "but the audit log could not record it (refused by the test)" in result.stderr
