"""The example of docs/field.md, run as written: package at a centre, open on a laptop, record
over HTTP, close, receive; and what the laptop's disk holds on the way."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.field.scenario import MARKER

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "field.md"
PASSPHRASE = "granite lantern orchard 42"


def _block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- example: {name} -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/field.md has no example block {name!r}"
    return match.group(1)


def _run(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own documented example
        [shutil.which("bash") or "/bin/bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


@pytest.fixture
def world(tmp_path):
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "team.pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    env = {
        "PATH": f"/usr/bin:/bin:/usr/local/bin:{Path(sys.executable).parent}",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "CENTRE": str(tmp_path / "centre"),
        "LAPTOP": str(tmp_path / "laptop"),
        "MARKER": MARKER,
    }
    prepared = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "tests.field.prepare_server"],
        cwd=tmp_path, env={**env, "SAFEPASSAGE_VAR_DIR": env["CENTRE"]},
        capture_output=True, text=True, timeout=240, check=True,
    )  # fmt: skip
    env.update(re.findall(r"(\w+)=(\S+)", prepared.stdout.strip().splitlines()[-1]))
    yield tmp_path, env
    pid = tmp_path / "laptop" / "field" / "server.pid"
    if pid.exists():  # a failed run leaves its server behind
        os.kill(int(pid.read_text()), signal.SIGTERM)


@pytest.mark.skipif(not shutil.which("curl"), reason="needs curl")
def test_the_field_example_runs_from_package_to_a_verified_will(world):
    cwd, env = world
    opened = _run(_block("field"), cwd, env)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    laptop = cwd / "laptop"
    snapshot = laptop / "field" / "snapshot.sealed"
    # Recorded on the laptop, sealed on its disk: the statement is nowhere in clear.
    assert snapshot.exists()
    assert not any(MARKER.encode() in p.read_bytes() for p in _files(laptop))

    returned = _run(_block("field-return"), cwd, env)
    assert returned.returncode == 0, returned.stdout + returned.stderr
    assert "1 will expressions, 1 interviews, 0 conflicts" in returned.stdout
    assert "already received" in returned.stdout
    assert not (laptop / "field").exists()
    assert not any(MARKER.encode() in p.read_bytes() for p in _files(laptop))
    assert MARKER.encode() not in (cwd / "return.bundle").read_bytes()
    # The passphrase is in no file but the one it was given in.
    written = [p for p in _files(cwd) if p.name != "team.pass" and ".venv" not in p.parts]
    assert not [p for p in written if PASSPHRASE.encode() in p.read_bytes()]

    centre = sqlite3.connect(cwd / "centre" / "safepassage.sqlite3")
    state, verified = centre.execute(
        "SELECT c.state, w.verified FROM cases_case c JOIN registry_person p ON p.id = c.person_id"
        " JOIN cases_willexpression w ON w.id = c.governing_will_id WHERE p.registry_number = ?",
        (env["NUMBER"],),
    ).fetchone()
    assert (state, verified) == ("will_verified", 1)
    assert centre.execute("SELECT count(*) FROM visits_interview").fetchone() == (1,)
    assert centre.execute("SELECT count(*) FROM field_receivedbundle").fetchone() == (1,)
