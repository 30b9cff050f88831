"""`safepassage serve`: gunicorn with whitenoise, refusing to start in an unsafe state."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.ops.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_refuses_to_start_with_debug_on(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="SAFEPASSAGE_DEBUG is on"):
        call_command("serve", "--dry-run")


def test_it_refuses_nonsense_sizes(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "--workers", "0", "--dry-run")


def test_it_logs_paths_without_query_strings(db, capsys):
    call_command("serve", "--bind", "127.0.0.1:9999", "--workers", "3", "--dry-run")
    argv = capsys.readouterr().out
    assert "gunicorn safepassage.wsgi:application --bind 127.0.0.1:9999 --workers 3" in argv
    assert "%(U)s" in argv  # the path only
    assert "%(r)s" not in argv and "%(q)s" not in argv  # never the request line or query


def test_it_serves_health_readiness_and_static_files(tmp_path, sqlite_env):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and console command
        [sys.executable, "-m", "safepassage.cli", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "1"],
        env=sqlite_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz?q=Kovalenko", timeout=2) as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/readyz", timeout=5) as r:  # noqa: S310
            assert r.status == 200
        with urllib.request.urlopen(f"{base}/static/web/safepassage.css", timeout=5) as r:  # noqa: S310
            assert r.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert '"GET /healthz" 200' in output
    assert "Kovalenko" not in output
