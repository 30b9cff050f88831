"""Configuration by environment: secrets from *_FILE paths, PostgreSQL pooling, loud failures."""

import pytest

from safepassage import settings as settings_module
from safepassage.lib.env import ConfigError, env_list
from safepassage.ops.config import log_format, postgres_options, tasks_setting
from tests.ops.conftest import run, safepassage_env

PG_URL = "postgres://app:s3cret@db.internal:5432/safepassage"


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "DATABASE_URL", "DATABASE_URL_FILE", "DATABASE_POOL", "DATABASE_POOL_MIN_SIZE",
        "DATABASE_POOL_MAX_SIZE", "DATABASE_POOL_TIMEOUT", "TASKS_BACKEND", "LOG_FORMAT",
        "ALLOWED_HOSTS", "ALLOWED_HOSTS_FILE",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_database_url_can_come_from_a_file(clean_env, tmp_path):
    secret = tmp_path / "database-url"
    secret.write_text(PG_URL + "\n", encoding="utf-8")
    clean_env.setenv("DATABASE_URL_FILE", str(secret))
    config = settings_module._database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["USER"], config["PASSWORD"]) == ("db.internal", "app", "s3cret")


def test_an_unreadable_secret_file_is_named(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="DATABASE_URL_FILE=.*cannot be read"):
        settings_module._database()


def test_allowed_hosts_can_come_from_a_file(clean_env, tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("registry.example.org\nregistry-b.example.org\n", encoding="utf-8")
    clean_env.setenv("ALLOWED_HOSTS_FILE", str(hosts))
    assert env_list("ALLOWED_HOSTS", []) == ["registry.example.org", "registry-b.example.org"]


def test_postgresql_gets_a_connection_pool_in_production(clean_env):
    assert postgres_options(production=True) == {
        "pool": {"min_size": 1, "max_size": 4, "timeout": 10}
    }
    assert postgres_options(production=False) == {}


def test_the_pool_is_sized_from_the_environment(clean_env):
    clean_env.setenv("DATABASE_POOL", "true")
    clean_env.setenv("DATABASE_POOL_MIN_SIZE", "2")
    clean_env.setenv("DATABASE_POOL_MAX_SIZE", "8")
    assert postgres_options(production=False)["pool"] == {
        "min_size": 2, "max_size": 8, "timeout": 10,
    }  # fmt: skip
    clean_env.setenv("DATABASE_POOL", "false")
    assert postgres_options(production=True) == {}


def test_the_pool_reaches_django_on_postgresql_only(clean_env):
    clean_env.setenv("DATABASE_POOL", "true")
    clean_env.setenv("DATABASE_URL", PG_URL)
    assert settings_module._database()["OPTIONS"]["pool"]["max_size"] == 4
    clean_env.setenv("DATABASE_URL", "sqlite:///var/x.sqlite3")
    assert "pool" not in settings_module._database()["OPTIONS"]


@pytest.mark.parametrize(
    "name, value, complaint",
    [
        ("DATABASE_POOL", "maybe", "DATABASE_POOL='maybe' is not a boolean"),
        ("DATABASE_POOL_MAX_SIZE", "lots", "DATABASE_POOL_MAX_SIZE='lots' is not a whole number"),
        ("DATABASE_POOL_MAX_SIZE", "0", "must be at least 1"),
        ("DATABASE_POOL_TIMEOUT", "-3", "must be at least 1"),
    ],
)
def test_bad_pool_values_fail_loudly(clean_env, name, value, complaint):
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=complaint):
        postgres_options(production=True)


def test_a_pool_smaller_than_its_minimum_is_refused(clean_env):
    clean_env.setenv("DATABASE_POOL_MIN_SIZE", "5")
    clean_env.setenv("DATABASE_POOL_MAX_SIZE", "2")
    with pytest.raises(ConfigError, match="below DATABASE_POOL_MIN_SIZE"):
        postgres_options(production=True)


def test_jobs_run_in_process_by_default_and_in_a_worker_in_production(clean_env):
    assert tasks_setting(production=False)["default"]["BACKEND"].endswith("ImmediateBackend")
    assert tasks_setting(production=True)["default"]["BACKEND"] == (
        "django_tasks_db.DatabaseBackend"
    )
    clean_env.setenv("TASKS_BACKEND", "immediate")
    assert tasks_setting(production=True)["default"]["BACKEND"].endswith("ImmediateBackend")


def test_an_unknown_job_backend_or_log_format_is_refused(clean_env):
    clean_env.setenv("TASKS_BACKEND", "celery")
    with pytest.raises(ConfigError, match="TASKS_BACKEND='celery': use database or immediate"):
        tasks_setting(production=False)
    clean_env.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT='xml': use text or json"):
        log_format()


def test_the_server_refuses_to_start_on_a_bad_value(tmp_path):
    result = run(safepassage_env(tmp_path, TASKS_BACKEND="celery"), "check")
    assert result.returncode != 0
    assert "TASKS_BACKEND='celery'" in result.stderr
