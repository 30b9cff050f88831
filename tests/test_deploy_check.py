"""Production settings pass Django's deployment checklist with no warning at all."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from safepassage.lib.crypto import Keyring, key_generate, key_id_generate, keyring_format


def _field_keys() -> str:
    return keyring_format(Keyring(((key_id_generate(), key_generate()),))).strip()


def _pseudonym_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


MANAGE = Path(sys.executable).parent / "safepassage"


def _production_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "SAFEPASSAGE_"))}
    env.update(
        SAFEPASSAGE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        SAFEPASSAGE_VAR_DIR=str(tmp_path / "var"),
        SAFEPASSAGE_FIELD_KEYS=_field_keys(),
        SAFEPASSAGE_PSEUDONYM_KEY=_pseudonym_key(),
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


@pytest.mark.parametrize(
    "missing, complaint",
    [
        ("SAFEPASSAGE_FIELD_KEYS", "Production needs SAFEPASSAGE_FIELD_KEYS"),
        ("SAFEPASSAGE_PSEUDONYM_KEY", "Production needs SAFEPASSAGE_PSEUDONYM_KEY"),
    ],
)
def test_check_deploy_names_a_missing_key_and_creates_none(tmp_path, missing, complaint):
    env = _production_env(tmp_path)
    del env[missing]
    result = _run(env, "check", "--deploy")
    assert result.returncode != 0
    assert complaint in result.stderr
    assert not (tmp_path / "var" / "field-keys").exists()
    assert not (tmp_path / "var" / "pseudonym-key").exists()


def test_check_deploy_warns_of_a_key_file_kept_in_the_data_directory(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "pseudonym-key").write_text(_pseudonym_key() + "\n", encoding="ascii")
    env = _production_env(tmp_path, SAFEPASSAGE_PSEUDONYM_KEY_FILE=str(var / "pseudonym-key"))
    del env["SAFEPASSAGE_PSEUDONYM_KEY"]
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "safepassage.W002" in result.stderr + result.stdout
    assert "inside the data directory" in result.stderr + result.stdout
