"""A worker killed mid-job (SIGKILL) leaves no partial writes, and the job runs again cleanly."""

import signal
import subprocess
import sys
import time

import pytest

from tests.ops.conftest import ROOT, run

NAMES = [f"Crash test NGO {i}" for i in range(6)]
COUNT = (
    "from safepassage.accounts.models import Organisation as O; "
    "print(O.objects.filter(name__startswith='Crash test NGO').count())"
)
STATUS = "from django_tasks_db.models import DBTaskResult as T; print(T.objects.get().status)"


def _shell(env, code: str) -> str:
    result = run(env, "shell", "-v0", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _killed_mid_job_then_rerun(tmp_path, env) -> None:
    env = {**env, "TASKS_BACKEND": "database"}
    hold = tmp_path / "half-way"
    _shell(
        env,
        "from tests.ops.tasks import organisations_create as t; "
        f"t.enqueue(names={NAMES!r}, hold_file={str(hold)!r})",
    )
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and console command
        [sys.executable, "-m", "safepassage.cli", "worker", "--interval", "0.1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not hold.exists():
            assert worker.poll() is None, "the worker exited before the job was half-way"
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert _shell(env, COUNT) == "0"  # half the organisations were written, none committed
    assert _shell(env, STATUS) == "RUNNING"  # claimed by a worker that no longer exists

    rerun = run(env, "worker", "--batch")
    assert rerun.returncode == 0, rerun.stderr
    assert "left by a dead worker" in rerun.stderr
    assert _shell(env, STATUS) == "SUCCESSFUL"
    assert _shell(env, COUNT) == str(len(NAMES))
    verify = run(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_killed_worker_leaves_no_partial_writes_and_the_job_can_be_rerun(tmp_path, sqlite_env):
    _killed_mid_job_then_rerun(tmp_path, sqlite_env)


@pytest.mark.postgres
def test_on_postgresql_too_a_killed_worker_leaves_nothing_half_written(tmp_path, postgres_env):
    _killed_mid_job_then_rerun(tmp_path, postgres_env)
