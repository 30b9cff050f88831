"""Backups of the whole database: SQLite's online backup API, or pg_dump / pg_restore.

What a backup holds: every table — registry, cases, the audit chain, accounts, sessions, jobs.
Encrypted fields stay encrypted in it. What it does **not** hold: the field encryption keys
(`SAFEPASSAGE_FIELD_KEYS_FILE`), the audit signing key and SECRET_KEY. Without the field keys a
restored database cannot show a will statement or next of kin: back the keys up separately, and
keep them apart from the backups (docs/deploy.md#backups).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

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
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
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


def database_restore(*, source: Path) -> None:
    """Replace the whole database with the backup `source`, all or nothing."""
    if not source.is_file():
        raise DomainError(f"{source} is not a file.")
    with source.open("rb") as handle:
        magic = handle.read(16)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if magic != SQLITE_MAGIC:
            raise DomainError(f"{source} is not a SQLite backup (made by `safepassage backup`).")
        _sqlite_backup_check(source)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            # Page by page into the live file, under SQLite's lock: readers see old or new.
            backup.backup(connection.connection)
        finally:
            backup.close()
        connection.close()
        return
    if connection.vendor == "postgresql":
        if not magic.startswith(PGDUMP_MAGIC):
            raise DomainError(f"{source} is not a pg_dump custom-format backup.")
        env, args = _pg_env_and_args()
        name = connection.settings_dict["NAME"]
        connection.close()  # pg_restore drops the tables: hold no lock on them
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                   "--no-privileges", "--single-transaction", "--exit-on-error", *args,
                   "--dbname", name, str(source)]  # fmt: skip
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise DomainError(f"pg_restore failed; nothing restored: {result.stderr.strip()}")
        return
    raise DomainError(f"Restoring {connection.vendor} databases is not supported.")
