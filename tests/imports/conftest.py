from pathlib import Path

import pytest
from django.test import Client

from tests.factories import force_login_fresh

# A migrated SQLite file for console subprocesses, and really committed data on PostgreSQL.
from tests.ops.conftest import (  # noqa: F401 - fixtures
    committed,
    sqlite_env,
    triggers_back_after_flush,
)
from tests.web.conftest import login  # noqa: F401 - fixture of the page matrix


@pytest.fixture
def write(tmp_path):
    def _write(data: bytes | str, suffix: str = ".csv", name: str = "list") -> Path:
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """Progress files and fallback temporary files go under the test's own directory."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def client_of():
    def _client(user=None, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            force_login_fresh(client, user)
        return client

    return _client
