"""Production settings read from the environment: database pooling, background jobs, logs.

Called from `safepassage/settings.py`; no Django imports, so a bad value fails before Django
starts, with a `ConfigError` that names the variable and what to write instead.
"""

from safepassage.lib.env import ConfigError, env_bool, env_int, env_str

POSTGRESQL = "django.db.backends.postgresql"

# The background job backends `TASKS_BACKEND` may name.
TASK_BACKENDS = {
    # In the request's own thread: the embedded default needs no worker (and no service).
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    # Rows in the database, run by `safepassage worker` (django-tasks-db; docs/adr/0002).
    "database": "django_tasks_db.DatabaseBackend",
}


def postgres_options(*, production: bool) -> dict:
    """OPTIONS for PostgreSQL: a psycopg 3 connection pool per process, on in production.

    DATABASE_POOL (default: on in production), DATABASE_POOL_MIN_SIZE (1), DATABASE_POOL_MAX_SIZE
    (4: a sync gunicorn worker serves one request at a time) and DATABASE_POOL_TIMEOUT (seconds
    to wait for a free connection before the request fails, 10).
    """
    if not env_bool("DATABASE_POOL", production):
        return {}
    minimum = env_int("DATABASE_POOL_MIN_SIZE", 1, minimum=0)
    maximum = env_int("DATABASE_POOL_MAX_SIZE", 4, minimum=1)
    if maximum < minimum:
        raise ConfigError(
            f"DATABASE_POOL_MAX_SIZE={maximum} is below DATABASE_POOL_MIN_SIZE={minimum}; "
            "the pool's largest size must be at least its smallest."
        )
    timeout = env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1)
    return {"pool": {"min_size": minimum, "max_size": maximum, "timeout": timeout}}


def tasks_setting(*, production: bool) -> dict:
    """TASKS: `immediate` by default in development, `database` (a worker) in production."""
    name = (env_str("TASKS_BACKEND") or ("database" if production else "immediate")).strip()
    if name not in TASK_BACKENDS:
        raise ConfigError(
            f"TASKS_BACKEND={name!r}: use {' or '.join(sorted(TASK_BACKENDS))} "
            "(docs/deploy.md#background-jobs)."
        )
    # No QUEUES list: a task may name any queue; `safepassage worker` runs them all by default.
    return {"default": {"BACKEND": TASK_BACKENDS[name], "QUEUES": []}}


def log_format() -> str:
    """LOG_FORMAT: `text` (default) or `json`, one JSON object per line."""
    value = (env_str("LOG_FORMAT") or "text").strip().lower()
    if value not in {"text", "json"}:
        raise ConfigError(f"LOG_FORMAT={value!r}: use text or json.")
    return value
