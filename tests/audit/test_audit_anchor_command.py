"""`safepassage audit anchor` and `keygen`: signed checkpoints and the key that signs them."""

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from safepassage.lib.chain import GENESIS, canonical_json
from safepassage.lib.checkpoint import FORMAT, key_load, public_hex, public_key_load
from tests.audit.tamper import TABLE, tamper
from tests.factories import register


@pytest.fixture
def key_file(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "audit-signing.key"
    return settings.AUDIT_SIGNING_KEY_FILE


@pytest.fixture
def log(people, key_file):
    person = register(people.registrar)
    audit_record(actor=people.registrar, action="test.note", obj=person, person=person)
    return person


def anchored(capsys) -> tuple[dict, str]:
    call_command("audit", "anchor")
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_it_prints_a_signed_checkpoint_of_the_head(log, key_file, capsys):
    checkpoint, _ = anchored(capsys)
    head = AuditEvent.objects.order_by("seq").last()
    assert checkpoint["format"] == FORMAT
    assert (checkpoint["count"], checkpoint["head_hash"]) == (head.seq, head.hash)
    assert checkpoint["time"].endswith("+00:00")
    key = key_load(key_file).public_key()
    assert checkpoint["public_key"] == public_hex(key)
    signed = {k: v for k, v in checkpoint.items() if k != "signature"}
    key.verify(bytes.fromhex(checkpoint["signature"]), canonical_json(signed).encode())


def test_the_first_anchor_creates_a_private_key_and_says_to_move_it(log, key_file, capsys):
    assert not key_file.exists()
    _, warning = anchored(capsys)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert f"Created a new checkpoint signing key at {key_file}" in warning
    assert "move it outside the data directory" in warning
    first = key_load(key_file).public_key()
    checkpoint, warning = anchored(capsys)
    assert "Created" not in warning
    assert checkpoint["public_key"] == public_hex(first)  # the same key, not a new one


def test_an_empty_log_anchors_at_the_genesis_hash(db, key_file, capsys):
    checkpoint, _ = anchored(capsys)
    assert (checkpoint["count"], checkpoint["head_hash"]) == (0, GENESIS)


def test_it_writes_the_checkpoint_to_a_file(log, tmp_path, capsys):
    out = tmp_path / "cp.json"
    call_command("audit", "anchor", "--out", str(out))
    assert "written to" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["count"] == AuditEvent.objects.count()


def test_it_refuses_to_sign_a_broken_chain(log, capsys):
    tamper(f"UPDATE {TABLE} SET object_repr = 'forged' WHERE seq = 1")  # noqa: S608
    with pytest.raises(CommandError, match=r"not signing a broken chain: audit event #1") as err:
        call_command("audit", "anchor")
    assert err.value.returncode == 1
    assert capsys.readouterr().out == ""


def test_keygen_writes_a_private_key_and_its_public_half(db, tmp_path, capsys):
    path = tmp_path / "offline" / "signing.key"
    call_command("audit", "keygen", "--out", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public = public_key_load(path.with_name("signing.key.pub"))
    assert public_hex(public) == public_hex(key_load(path).public_key())
    assert public_hex(public) in capsys.readouterr().out


def test_keygen_never_overwrites_a_key(db, tmp_path):
    path = tmp_path / "signing.key"
    call_command("audit", "keygen", "--out", str(path))
    before = path.read_bytes()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("audit", "keygen", "--out", str(path))
    assert path.read_bytes() == before
