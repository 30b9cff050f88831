"""What `/readyz` checks: the database answers, every migration is applied, the keys load.

Each check returns True or False and logs why it failed (without the exception's message, which
the log filter withholds anyway): the endpoint itself says only which check failed.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("safepassage.ops")


def database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: the database does not answer.")
        return False


def migrations_applied() -> bool:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("Readiness: the applied migrations cannot be read.")
        return False
    if plan:
        logger.warning(
            "Readiness: %d migrations are not applied: run `safepassage migrate`.", len(plan)
        )
    return not plan


def keys_present() -> bool:
    """SECRET_KEY is set and the field encryption keys load (production never creates them)."""
    from safepassage.crypto.keys import keyring

    try:
        keyring()
    except Exception:
        logger.exception("Readiness: the field encryption keys do not load.")
        return False
    return bool(settings.SECRET_KEY)


CHECKS = {
    "database": database_reachable,
    "migrations": migrations_applied,
    "keys": keys_present,
}


def readiness() -> dict[str, bool]:
    """Every check by name; migrations and keys are only checked once the database answers."""
    results = {"database": database_reachable()}
    for name in ("migrations", "keys"):
        results[name] = results["database"] and CHECKS[name]()
    return results
