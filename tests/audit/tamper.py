"""Rewriting the audit table as its database owner can: drop the append-only triggers, write,
put them back. The tamper tests use it to show that `verify` still catches what he changed."""

import importlib
from contextlib import contextmanager

from django.db import connection

from safepassage.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table
_TRIGGERS = importlib.import_module("safepassage.audit.migrations.0005_append_only")
# The guard's clearances refuse a DELETE that a live movement relies on; a test database's
# flush deletes them before the transfers (SQLite deletes table by table), so they go too.
_GUARD = importlib.import_module("safepassage.cases.migrations.0006_guard_clearance_triggers")


_CLEARANCE_TRIGGERS = (
    "cases_guardclearance_no_update", "cases_guardclearance_delete",
    "cases_guardclearance_guard",
)  # fmt: skip


def _clearance_triggers(statements: list[str]) -> list[str]:
    """The statements that make or drop the triggers *on* the clearance table."""
    return [s for s in statements if any(name in s.split("$$")[0] for name in _CLEARANCE_TRIGGERS)]


def _execute(statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggers_drop() -> None:
    """The audit table's append-only triggers and the guard's clearance-keeping ones."""
    _execute(_TRIGGERS.REVERSE[connection.vendor])
    reverse = {"sqlite": _GUARD.SQLITE_REVERSE, "postgresql": _GUARD.POSTGRESQL_REVERSE}
    _execute(_clearance_triggers(reverse[connection.vendor]))


def triggers_create() -> None:
    _execute(_TRIGGERS.STATEMENTS[connection.vendor])
    create = {"sqlite": _GUARD.SQLITE, "postgresql": _GUARD.POSTGRESQL}
    _execute(_clearance_triggers(create[connection.vendor]))


@contextmanager
def append_only_suspended():
    """The append-only triggers dropped for the block, then created again."""
    triggers_drop()
    try:
        yield
    finally:
        triggers_create()


def tamper(*statements: str | tuple[str, list]) -> None:
    """Run raw SQL on the audit table with the triggers out of the way."""
    with append_only_suspended(), connection.cursor() as cursor:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, [])
            cursor.execute(sql, params)
