"""Signed checkpoints of the audit chain (Ed25519), without Django.

A checkpoint states how many events the log had and the hash of the last one, at a time, signed
with a key kept outside the database. Kept off-site, it lets anyone holding the public key show
later that the log was not truncated or rewritten since.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from safepassage.lib.chain import GENESIS, canonical_json
from safepassage.lib.keyfile import key_file_write

FORMAT = "safepassage-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "count", "head_hash", "time", "public_key")


class CheckpointError(ValueError):
    """A checkpoint or key that cannot be read, or a signature that does not verify."""


def key_generate(path: Path) -> Ed25519PrivateKey:
    """Write a new private key (PKCS#8 PEM) readable by its owner only; refuse to overwrite."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Never replace a key whose public half may already sit beside old checkpoints.
    key_file_write(path, pem)
    return key


def key_load(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise CheckpointError(f"cannot read the signing key {path}: {exc.strerror}") from exc
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 key")
    return key


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_load(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file or from a file holding its 64 hexadecimal digits."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointError(f"cannot read the public key {path}: {exc.strerror}") from exc
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(data.decode().strip()))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"{path} is not an Ed25519 public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_hash: str
    time: str
    public_key: str
    signature: str

    def signed_part(self) -> dict:
        return {
            "format": FORMAT,
            "count": self.count,
            "head_hash": self.head_hash,
            "time": self.time,
            "public_key": self.public_key,
        }

    def to_json(self) -> str:
        return json.dumps({**self.signed_part(), "signature": self.signature}, indent=2) + "\n"


def checkpoint_sign(key: Ed25519PrivateKey, *, count: int, head_hash: str, time: str) -> Checkpoint:
    unsigned = Checkpoint(count, head_hash, time, public_hex(key.public_key()), "")
    message = canonical_json(unsigned.signed_part()).encode("utf-8")
    return Checkpoint(count, head_hash, time, unsigned.public_key, key.sign(message).hex())


def checkpoint_parse(text: str) -> Checkpoint:
    """The checkpoint in `text`, with its fields' shapes checked (not yet its signature)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CheckpointError("the checkpoint is not JSON") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"the checkpoint is not a {FORMAT} document")
    missing = [name for name in (*SIGNED_FIELDS, "signature") if name not in data]
    if missing:
        raise CheckpointError(f"the checkpoint lacks {', '.join(missing)}")
    count = data["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise CheckpointError("the checkpoint's count is not a whole number")
    for name, length in (("head_hash", 64), ("public_key", 64), ("signature", 128)):
        value = data[name]
        if not isinstance(value, str) or len(value) != length or not _is_hex(value):
            raise CheckpointError(f"the checkpoint's {name} is not {length} hexadecimal digits")
    if count == 0 and data["head_hash"] != GENESIS:
        raise CheckpointError("an empty checkpoint must carry the genesis hash")
    if not isinstance(data["time"], str):
        raise CheckpointError("the checkpoint's time is not text")
    return Checkpoint(count, data["head_hash"], data["time"], data["public_key"], data["signature"])


def checkpoint_check_signature(checkpoint: Checkpoint, trusted: Ed25519PublicKey) -> None:
    """Raise CheckpointError unless `trusted` signed exactly this checkpoint."""
    if checkpoint.public_key != public_hex(trusted):
        raise CheckpointError(
            "the checkpoint names a different public key than the trusted one: forged"
        )
    message = canonical_json(checkpoint.signed_part()).encode("utf-8")
    try:
        trusted.verify(bytes.fromhex(checkpoint.signature), message)
    except InvalidSignature as exc:
        raise CheckpointError(
            "the checkpoint's signature does not verify: forged or altered"
        ) from exc


def _is_hex(value: str) -> bool:
    return all(c in "0123456789abcdef" for c in value)
