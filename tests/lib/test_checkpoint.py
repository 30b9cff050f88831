"""Signed checkpoints, without the database."""

import dataclasses
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from safepassage.lib.chain import GENESIS
from safepassage.lib.checkpoint import (
    CheckpointError,
    checkpoint_check_signature,
    checkpoint_parse,
    checkpoint_sign,
    key_generate,
    key_load,
    public_hex,
    public_key_load,
    public_pem,
)

HEAD = "ab" * 32


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def signed(key, count=12, head=HEAD):
    return checkpoint_sign(key, count=count, head_hash=head, time="2025-03-01T12:00:00+00:00")


def test_a_checkpoint_survives_its_own_json(key):
    checkpoint = signed(key)
    assert checkpoint_parse(checkpoint.to_json()) == checkpoint
    checkpoint_check_signature(checkpoint_parse(checkpoint.to_json()), key.public_key())


@pytest.mark.parametrize(
    "change", [{"count": 11}, {"head_hash": "cd" * 32}, {"time": "2030-01-01T00:00:00+00:00"}]
)
def test_any_altered_field_breaks_the_signature(key, change):
    altered = dataclasses.replace(signed(key), **change)
    with pytest.raises(CheckpointError, match="does not verify"):
        checkpoint_check_signature(altered, key.public_key())


def test_a_checkpoint_of_another_key_is_refused(key):
    other = Ed25519PrivateKey.generate()
    with pytest.raises(CheckpointError, match="different public key"):
        checkpoint_check_signature(signed(other), key.public_key())


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"format": "x"}',
     '{"format": "safepassage-audit-checkpoint/1", "count": 1}'],
)  # fmt: skip
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(CheckpointError):
        checkpoint_parse(text)


def test_field_shapes_are_checked(key):
    good = signed(key).to_json()
    for old, new in [('"count": 12', '"count": -1'), ('"count": 12', '"count": true'),
                     (HEAD, HEAD[:-2]), (HEAD, HEAD.upper())]:  # fmt: skip
        with pytest.raises(CheckpointError):
            checkpoint_parse(good.replace(old, new))


def test_an_empty_checkpoint_carries_the_genesis_hash(key):
    assert checkpoint_parse(signed(key, 0, GENESIS).to_json()).count == 0
    with pytest.raises(CheckpointError, match="genesis"):
        checkpoint_parse(signed(key, 0, HEAD).to_json())


def test_keys_round_trip_through_files(tmp_path):
    path = tmp_path / "k" / "signing.key"
    key = key_generate(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_hex(key_load(path).public_key()) == public_hex(key.public_key())
    (tmp_path / "pub.pem").write_bytes(public_pem(key.public_key()))
    (tmp_path / "pub.hex").write_text(public_hex(key.public_key()) + "\n")
    for name in ("pub.pem", "pub.hex"):
        assert public_hex(public_key_load(tmp_path / name)) == public_hex(key.public_key())
    with pytest.raises(FileExistsError):
        key_generate(path)


def test_unreadable_keys_are_reported(tmp_path):
    (tmp_path / "junk").write_text("hello")
    for load in (key_load, public_key_load):
        with pytest.raises(CheckpointError):
            load(tmp_path / "junk")
        with pytest.raises(CheckpointError, match="cannot read"):
            load(tmp_path / "absent")
