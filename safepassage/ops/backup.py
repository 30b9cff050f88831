"""Backups of the whole database: SQLite's online backup API, or pg_dump / pg_restore.

What a backup holds: every table — registry, cases, the audit chain, accounts, sessions, jobs.
Encrypted fields stay encrypted in it. What it does **not** hold: the field encryption keys
(`SAFEPASSAGE_FIELD_KEYS_FILE`), the audit signing key and SECRET_KEY. Without the field keys a
restored database cannot show a will statement or next of kin: back the keys up separately, and
keep them apart from the backups (docs/deploy.md#backups).
"""

import datetime
import getpass
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from safepassage.audit.integrity import Verification, chain_verify
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_append
from safepassage.lib.chain import StoredEvent, event_content, stored_form
from safepassage.lib.checkpoint import Checkpoint
from safepassage.lib.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _private_file(path: Path) -> None:
    """Create `path` empty with mode 0600: a backup is as sensitive as the database."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [option, str(settings[key])]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DomainError(
            f"{name} is not installed: install the PostgreSQL client (Debian: postgresql-client)."
        )
    return path


def database_backup(*, out: Path, overwrite: bool = False) -> Path:
    """Write a consistent copy of the database to `out` (mode 0600) while it keeps serving."""
    if out.exists() and not overwrite:
        raise DomainError(f"{out} exists; choose another file or give --force.")
    if not out.parent.is_dir():
        raise DomainError(f"{out.parent} is not a directory.")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        _private_file(out)
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return out
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        _private_file(out)
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                   *args, "--file", str(out), connection.settings_dict["NAME"]]  # fmt: skip
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv, no shell
        if result.returncode != 0:
            out.unlink(missing_ok=True)
            raise DomainError(f"pg_dump failed: {result.stderr.strip()}")
        return out
    raise DomainError(f"Backups of {connection.vendor} databases are not supported.")


def _sqlite_backup_check(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (ok,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise DomainError(f"{path} is not a readable SQLite backup: {exc}") from exc
    if ok != "ok":
        raise DomainError(f"{path} is damaged (SQLite integrity check: {ok}); nothing restored.")
    if not {"django_migrations", "audit_auditevent", "registry_person"} <= tables:
        raise DomainError(f"{path} is not a safepassage backup; nothing restored.")


def _backup_kind(source: Path) -> str:
    """The database kind of the backup `source`, which must be that of this database."""
    if not source.is_file():
        raise DomainError(f"{source} is not a file.")
    with source.open("rb") as handle:
        magic = handle.read(16)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if magic != SQLITE_MAGIC:
            raise DomainError(f"{source} is not a SQLite backup (made by `safepassage backup`).")
        _sqlite_backup_check(source)
    elif connection.vendor == "postgresql":
        if not magic.startswith(PGDUMP_MAGIC):
            raise DomainError(f"{source} is not a pg_dump custom-format backup.")
    else:
        raise DomainError(f"Restoring {connection.vendor} databases is not supported.")
    return connection.vendor


def database_restore(*, source: Path) -> None:
    """Replace the whole database with the backup `source`, all or nothing."""
    if _backup_kind(source) == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            # Page by page into the live file, under SQLite's lock: readers see old or new.
            backup.backup(connection.connection)
        finally:
            backup.close()
        connection.close()
        return
    env, args = _pg_env_and_args()
    name = connection.settings_dict["NAME"]
    connection.close()  # pg_restore drops the tables: hold no lock on them
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
               "--single-transaction", "--exit-on-error", *args, "--dbname", name,
               str(source)]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv, no shell
    if result.returncode != 0:
        raise DomainError(f"pg_restore failed; nothing restored: {result.stderr.strip()}")


# --- the audit chain inside a backup, read before anything is restored ------------------------

_AUDIT_TABLE = "audit_auditevent"
_AUDIT_COLUMNS = ("id", "seq", "at", "actor_id", "actor_username", "organisation_id", "action",
                  "object_type", "object_id", "object_repr", "person_id", "changes", "prev_hash",
                  "hash")  # fmt: skip
_COPY_START = re.compile(
    r"^COPY (?:\S+\.)?\"?audit_auditevent\"? \((?P<columns>[^)]*)\) FROM stdin;$"
)
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_COPY_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))")


def _stored_event(row: dict) -> StoredEvent:
    def number(name: str) -> int | None:
        return None if row[name] is None else int(row[name])

    at = row["at"]
    if isinstance(at, str):
        at = datetime.datetime.fromisoformat(at)
        if at.tzinfo is None:  # SQLite keeps UTC without an offset
            at = at.replace(tzinfo=datetime.UTC)
    changes = row["changes"]
    content = event_content(
        seq=int(row["seq"]), at=at, actor_id=number("actor_id"),
        actor_username=row["actor_username"], organisation_id=number("organisation_id"),
        action=row["action"], object_type=row["object_type"], object_id=row["object_id"],
        object_repr=row["object_repr"], person_id=number("person_id"),
        changes=json.loads(changes) if isinstance(changes, str) else changes,
    )  # fmt: skip
    return StoredEvent(
        id=int(row["id"]), content=content, prev_hash=row["prev_hash"], hash=row["hash"]
    )


def _sqlite_audit_events(path: Path) -> Iterator[StoredEvent]:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = ", ".join(f'"{c}"' for c in _AUDIT_COLUMNS)
        rows = source.execute(f"SELECT {columns} FROM {_AUDIT_TABLE} ORDER BY seq")  # noqa: S608 - fixed names
        for values in rows:
            yield _stored_event(dict(zip(_AUDIT_COLUMNS, values, strict=True)))
    finally:
        source.close()


def _copy_field(text: str) -> str | None:
    """One field of PostgreSQL's COPY text format: \\N is NULL, backslash escapes as documented."""
    if text == "\\N":
        return None

    def unescape(match: re.Match) -> str:
        octal, hexadecimal, other = match.groups()
        if octal:
            return chr(int(octal, 8))
        if hexadecimal:
            return chr(int(hexadecimal, 16))
        return _COPY_ESCAPES.get(other, other)

    return _COPY_ESCAPE.sub(unescape, text)


def copy_rows(lines: Iterator[str]) -> Iterator[dict]:
    """The audit table's rows in the SQL that `pg_restore --data-only` prints, as column dicts."""
    columns: list[str] | None = None
    for line in lines:
        line = line.rstrip("\n")
        if columns is None:
            if match := _COPY_START.match(line):
                columns = [c.strip().strip('"') for c in match["columns"].split(",")]
            continue
        if line == "\\.":
            return
        values = [_copy_field(field) for field in line.split("\t")]
        yield dict(zip(columns, values, strict=True))
    if columns is None:
        raise DomainError("the backup holds no audit table; nothing restored.")


def _postgres_audit_events(path: Path) -> list[StoredEvent]:
    """Read through `pg_restore --data-only` (it writes nothing to any database). A dump lists
    rows in the table's physical order, which need not be `seq` order: they are sorted."""
    command = [_tool("pg_restore"), "--data-only", f"--table={_AUDIT_TABLE}", "--file=-",
               str(path)]  # fmt: skip
    with subprocess.Popen(  # noqa: S603 - our own command line, no shell
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    ) as process:
        stdout, stderr = process.stdout, process.stderr
        if stdout is None or stderr is None:  # stdout=PIPE always gives one
            raise DomainError("pg_restore gave no output; nothing restored.")
        events = [_stored_event(row) for row in copy_rows(iter(stdout))]
        stdout.read()
        error = stderr.read()
    if process.returncode != 0:
        raise DomainError(f"pg_restore cannot read {path}: {error.strip()}; nothing restored.")
    events.sort(key=lambda event: (event.seq, event.id))
    return events


def backup_audit_verify(*, source: Path, checkpoint: Checkpoint | None) -> Verification:
    """Walk the audit chain held in the backup `source` (without restoring it) and compare it
    with `checkpoint`, whose signature the caller checked."""
    if _backup_kind(source) == "sqlite":
        return chain_verify(_sqlite_audit_events(source), checkpoint=checkpoint)
    return chain_verify(_postgres_audit_events(source), checkpoint=checkpoint)


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class RestoreFacts:
    """What the audit event of a restore says: which backup, what it held, what was accepted."""

    source: Path
    digest: str
    verification: Verification
    checkpoint: Checkpoint | None
    rollback_accepted: str | None


def restore_record(facts: RestoreFacts) -> AuditEvent:
    """Append `ops.restore` to the restored chain: the console has no account, so the event
    names the operating-system user who ran it."""
    checkpoint = facts.checkpoint
    changes = {
        "backup": [None, facts.source.name],
        "sha256": [None, facts.digest],
        "events": [None, facts.verification.count],
        "head_hash": [None, facts.verification.head_hash],
        "checkpoint": [
            None,
            None if checkpoint is None else {"count": checkpoint.count, "time": checkpoint.time},
        ],
        "rollback_accepted": [None, facts.rollback_accepted],
        "operator": [None, getpass.getuser()],
    }
    event = AuditEvent(
        actor=None, actor_username="system", organisation=None, action="ops.restore",
        object_type="ops.backup", object_id=facts.digest[:64],
        object_repr=f"restore of {facts.source.name}"[:200], person=None,
        changes=stored_form(changes),
    )  # fmt: skip
    with transaction.atomic():
        return audit_append([event])[0]
