import stat

import pytest

from safepassage.lib.keyfile import key_file_write


def test_it_writes_the_key_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "keys" / "field.keys"
    key_file_write(path, b"k1:secret\n")
    assert path.read_bytes() == b"k1:secret\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_never_replaces_a_key_file(tmp_path):
    path = tmp_path / "field.keys"
    key_file_write(path, b"first")
    with pytest.raises(FileExistsError):
        key_file_write(path, b"second")
    assert path.read_bytes() == b"first"
