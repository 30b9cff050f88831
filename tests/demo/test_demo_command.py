"""`safepassage demo` as an operator runs it, in a temporary var/ directory."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

ROOT = Path(__file__).resolve().parents[2]
SAFEPASSAGE = Path(sys.executable).parent / "safepassage"


def _env(var: Path) -> dict[str, str]:
    env = {**os.environ, "SAFEPASSAGE_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "safepassage.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def demo_env(tmp_path):
    return _env(tmp_path / "var")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """The first `safepassage demo` in an empty var/ directory: its output, and the directory it
    left (migrated and seeded), which later tests copy instead of migrating and seeding again."""
    var = tmp_path_factory.mktemp("first") / "var"
    result = demo(_env(var), "--no-serve", "--port", "8123")
    return result, var


@pytest.fixture
def seeded_env(first_run, tmp_path):
    """A var/ directory as the first run left it (a copy), for a later run."""
    assert first_run[0].returncode == 0, first_run[0].stderr
    shutil.copytree(first_run[1], tmp_path / "var")
    return _env(tmp_path / "var")


def demo(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own console script
        [str(SAFEPASSAGE), "demo", "--persons", "20", *args], capture_output=True, text=True,
        env=env, cwd=ROOT, timeout=180, check=False,
    )  # fmt: skip


def test_it_migrates_seeds_and_prints_the_accounts_and_the_url(first_run):
    result, var = first_run
    assert (var / "safepassage.sqlite3").exists()
    assert result.returncode == 0, result.stderr
    assert "Seeded 20 fictional persons" in result.stdout
    assert "ua-registrar" in result.stdout and "kr-decision" in result.stdout
    assert "demo-passage-2026" in result.stdout
    assert "http://127.0.0.1:8123" in result.stdout


def test_a_second_run_does_not_seed_again_and_says_so(seeded_env):
    result = demo(seeded_env, "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "demo data not seeded" in result.stdout
    assert "ua-registrar" in result.stdout


def test_reset_deletes_the_default_database_and_seeds_afresh(seeded_env):
    result = demo(seeded_env, "--no-serve", "--reset")
    assert result.returncode == 0, result.stderr
    assert "Deleted" in result.stdout and "Seeded 20 fictional persons" in result.stdout


def test_reset_refuses_a_database_configured_elsewhere(demo_env, tmp_path):
    elsewhere = tmp_path / "elsewhere.sqlite3"
    elsewhere.write_bytes(b"")
    env = {**demo_env, "DATABASE_URL": f"sqlite:///{elsewhere}"}
    result = demo(env, "--no-serve", "--reset")
    assert result.returncode == 1
    assert "Nothing was deleted" in result.stderr and "Traceback" not in result.stderr
    assert elsewhere.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_serves_on_the_port(demo_env, migrated_sqlite):
    """Seeded and served in one run (on a migrated database: the first run proves migrating)."""
    copy_migrated(migrated_sqlite, Path(demo_env["SAFEPASSAGE_VAR_DIR"]) / "safepassage.sqlite3")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [str(SAFEPASSAGE), "demo", "--persons", "5", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=demo_env, cwd=ROOT,
    )  # fmt: skip
    try:
        status = _first_answer(f"http://127.0.0.1:{port}/login/", deadline=time.monotonic() + 60)
        assert status is not None, "the demo server never answered"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _first_answer(url: str, deadline: float) -> int | None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    return None
