"""Authenticated encryption of single values under a keyring of named keys (no Django).

A value is sealed with AES-256-GCM under the keyring's current key and stored as base64 text:

    version (1 byte, 0x01) ‖ key id length (1 byte) ‖ key id (ASCII) ‖ nonce (12 bytes)
    ‖ ciphertext ‖ tag (16 bytes)

The associated data is the header (version and key id) followed by a context, e.g. the table and
column (`cases_willexpression.statement`): a ciphertext copied into another column, or with its
key id edited, fails to open. Older keys stay in the ring so values sealed under them still open
until `safepassage keys rotate` has rewritten them.
"""

import base64
import binascii
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class CryptoError(Exception):
    """A value cannot be sealed or opened: unknown key, wrong context, tampered, malformed."""


class MissingKeyError(CryptoError):
    """The value was sealed under a key the keyring does not hold."""

    def __init__(self, key_id: str):
        self.key_id = key_id
        super().__init__(
            f"Field encryption key {key_id!r} is not in the keyring: values sealed under it "
            "cannot be read. Restore it to SAFEPASSAGE_FIELD_KEYS or the key file."
        )


class KeyringError(CryptoError):
    """The keyring configuration is malformed."""


@dataclass(frozen=True)
class Keyring:
    """Named 256-bit keys; the first is current (new values are sealed under it)."""

    keys: tuple[tuple[str, bytes], ...]

    def __post_init__(self):
        if not self.keys:
            raise KeyringError("The field encryption keyring is empty.")
        seen = set()
        for key_id, key in self.keys:
            if not KEY_ID.match(key_id):
                raise KeyringError(f"Key id {key_id!r}: use 1-32 letters, digits, '.', '_' or '-'.")
            if len(key) != KEY_BYTES:
                raise KeyringError(f"Key {key_id!r} has {len(key)} bytes; it needs {KEY_BYTES}.")
            if key_id in seen:
                raise KeyringError(f"Key id {key_id!r} appears twice.")
            seen.add(key_id)

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    @property
    def ids(self) -> list[str]:
        return [key_id for key_id, _key in self.keys]

    def key(self, key_id: str) -> bytes:
        for candidate, key in self.keys:
            if candidate == key_id:
                return key
        raise MissingKeyError(key_id)

    def with_new_current(self, key_id: str, key: bytes) -> "Keyring":
        return Keyring(((key_id, key), *self.keys))

    def without(self, key_id: str) -> "Keyring":
        return Keyring(tuple((i, k) for i, k in self.keys if i != key_id))


def key_generate() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id_generate(prefix: str = "k") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def keyring_parse(text: str) -> Keyring:
    """Read `id:base64key,id:base64key` (commas or new lines) or a JSON object `{id: base64key}`.

    The first key is current.
    """
    text = text.strip()
    if not text:
        raise KeyringError("No field encryption keys given.")
    pairs: Iterable[tuple[str, str]]
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise KeyringError(f"The field keys are not valid JSON: {exc}") from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise KeyringError('Write the JSON field keys as {"key id": "base64 key", ...}.')
        pairs = loaded.items()
    else:
        pairs = []
        for item in re.split(r"[,\n]", text):
            item = item.strip()
            if not item or item.startswith("#"):
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep:
                raise KeyringError("Write the field keys as id:base64key, separated by commas.")
            pairs.append((key_id.strip(), encoded.strip()))
    keys = []
    for key_id, encoded in pairs:
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise KeyringError(f"Key {key_id!r} is not valid base64.") from exc
        keys.append((key_id, key))
    return Keyring(tuple(keys))


def keyring_format(keyring: Keyring) -> str:
    """The text form `keyring_parse` reads: one `id:base64key` a line, current first."""
    return "".join(f"{i}:{base64.b64encode(k).decode('ascii')}\n" for i, k in keyring.keys)


def _header(key_id: str) -> bytes:
    encoded = key_id.encode("ascii")
    return bytes([VERSION, len(encoded)]) + encoded


def seal(keyring: Keyring, plaintext: str, context: str) -> str:
    """Encrypt under the current key, bound to `context`; base64 text."""
    key_id = keyring.current_id
    header = _header(key_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keyring.key(key_id)).encrypt(
        nonce, plaintext.encode("utf-8"), header + context.encode("utf-8")
    )
    return base64.b64encode(header + nonce + sealed).decode("ascii")


def _parse(token: str) -> tuple[str, bytes, bytes, bytes]:
    try:
        raw = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("Not an encrypted value (not base64).") from exc
    if len(raw) < 2 or raw[0] != VERSION:
        raise CryptoError("Not an encrypted value (unknown format version).")
    end = 2 + raw[1]
    if len(raw) < end + NONCE_BYTES + 16:
        raise CryptoError("Not an encrypted value (too short).")
    try:
        key_id = raw[2:end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise CryptoError("Not an encrypted value (bad key id).") from exc
    return key_id, raw[:end], raw[end : end + NONCE_BYTES], raw[end + NONCE_BYTES :]


def key_id_of(token: str) -> str:
    """The id of the key a value was sealed under (read from its header, not verified)."""
    return _parse(token)[0]


def open_sealed(keyring: Keyring, token: str, context: str) -> str:
    """Decrypt and verify; raises CryptoError if tampered, misplaced or sealed with another key."""
    key_id, header, nonce, sealed = _parse(token)
    key = keyring.key(key_id)
    try:
        plaintext = AESGCM(key).decrypt(nonce, sealed, header + context.encode("utf-8"))
    except InvalidTag as exc:
        raise CryptoError(
            f"An encrypted value for {context} does not verify under key {key_id!r}: "
            "it was altered, or copied from another column."
        ) from exc
    return plaintext.decode("utf-8")
