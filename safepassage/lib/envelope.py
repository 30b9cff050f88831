"""Envelope encryption of files (no Django): each file under a fresh 256-bit data key with
AES-256-GCM, bound to associated data that names what it is (a document's id and version), so
a stored object swapped with another fails to open. The caller keeps the data key wrapped by
other keys; rewrapping it never touches the file."""

import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safepassage.lib.crypto import KEY_BYTES, NONCE_BYTES, CryptoError


def data_key_new() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def bytes_encrypt(key: bytes, plaintext: bytes, associated: str) -> tuple[bytes, bytes]:
    """(nonce, ciphertext with its tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, associated.encode("utf-8"))


def bytes_decrypt(key: bytes, nonce: bytes, ciphertext: bytes, associated: str) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated.encode("utf-8"))
    except InvalidTag as exc:
        raise CryptoError(
            f"The stored file for {associated} does not verify: it was altered, or belongs "
            "to another document."
        ) from exc
