from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path):
    def _write(data: bytes | str, suffix: str = ".csv", name: str = "list") -> Path:
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write
