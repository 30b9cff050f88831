import stat

import pytest

from safepassage.lib.keyfile import KeyStore, key_file_write


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


def _store(loads):
    def load(inline, path):
        loads.append(inline or path.read_text())
        return loads[-1]

    return KeyStore(load)


def test_a_key_store_reads_the_file_once_until_it_changes(tmp_path):
    path, loads = tmp_path / "key", []
    path.write_text("first")
    store = _store(loads)
    assert store.current(inline="", path=path, create=None) == "first"
    assert store.current(inline="", path=path, create=None) == "first" and len(loads) == 1
    path.write_text("second key")
    assert store.current(inline="", path=path, create=None) == "second key"


def test_a_key_store_makes_a_missing_key_file(tmp_path):
    store = _store([])
    path = tmp_path / "key"
    assert store.current(inline="", path=path, create=lambda p: p.write_text("made")) == "made"


def test_an_inline_key_wins_over_the_file(tmp_path):
    store = _store([])
    assert store.current(inline="inline", path=tmp_path / "absent", create=None) == "inline"
