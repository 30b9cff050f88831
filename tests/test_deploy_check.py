"""Production settings pass Django's deployment checklist with no warning at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

MANAGE = Path(sys.executable).parent / "safepassage"


def _production_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "SAFEPASSAGE_"))}
    env.update(
        SAFEPASSAGE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        SAFEPASSAGE_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(extra)
    return env


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "change, complaint",
    [
        ({"SAFEPASSAGE_DEBUG": "true"}, "SAFEPASSAGE_DEBUG must be off"),
        ({"SECRET_KEY": ""}, "Production needs SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "too short"),
        ({"ALLOWED_HOSTS": ""}, "Production needs ALLOWED_HOSTS"),
        ({"SAFEPASSAGE_ENV": "staging"}, "use production or development"),
    ],
)
def test_production_refuses_to_start_when_misconfigured(tmp_path, change, complaint):
    result = _run(_production_env(tmp_path, **change), "check")
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_never_generates_a_secret_key_beside_the_data(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    _run(env, "check")
    assert not (tmp_path / "var" / "secret_key").exists()
