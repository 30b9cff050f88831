"""Keyed pseudonyms: the same person always gets the same pseudonym, and nobody without the key
can tell whose it is.

`P-XXXX-XXXX-XXXX-XXXX` is 80 bits of HMAC-SHA-256 over the registry number, in Crockford's
base32. Registry numbers are sequential and guessable, so a plain hash would be reversed by
trying them all: the key is what makes the pseudonym opaque. It comes from
`SAFEPASSAGE_PSEUDONYM_KEY` (inline) or the file `SAFEPASSAGE_PSEUDONYM_KEY_FILE` names, as
the field encryption keys do, never from the database; the embedded install creates
`var/pseudonym-key` once. A new key gives everyone new pseudonyms (partners can no longer
follow a person across the change), so it is rotated only on purpose.
"""

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from safepassage.lib.keyfile import KeyStore, key_file_write

logger = logging.getLogger("safepassage.exports")

KEY_BYTES = 32
# Separates this use of the key from any other (a future pseudonym of another record kind).
_PERSON_DOMAIN = b"safepassage/person-pseudonym/v1\x00"
_RECORD_DOMAIN = b"safepassage/record-pseudonym/v1\x00"
# The letter that starts a record's pseudonym, per kind of record a document names.
RECORD_PREFIXES = {"will": "W", "assessment": "A"}
_FINGERPRINT_DOMAIN = b"safepassage/pseudonym-key-fingerprint/v1"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class PseudonymKeyError(ValueError):
    """The configured pseudonym key is not usable."""


def key_parse(text: str) -> bytes:
    """The key from its stored form: base64 of at least 32 random bytes."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PseudonymKeyError("the pseudonym key is not base64") from exc
    if len(key) < KEY_BYTES:
        raise PseudonymKeyError(
            f"the pseudonym key has {len(key)} bytes; it needs at least {KEY_BYTES} random bytes"
        )
    return key


def pseudonym_compute(key: bytes, registry_number: str) -> str:
    """`P-XXXX-XXXX-XXXX-XXXX` for `registry_number` under `key` (pure, no settings)."""
    digest = hmac.new(key, _PERSON_DOMAIN + registry_number.encode("utf-8"), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:10], "big")  # 80 bits: 16 base32 characters
    text = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(75, -1, -5))
    return "P-" + "-".join(text[i : i + 4] for i in range(0, 16, 4))


def record_pseudonym_compute(key: bytes, kind: str, pk: int) -> str:
    """`W-XXXX-XXXX` for a record of `kind` (`RECORD_PREFIXES`) under `key` (pure, no settings).

    Database ids are sequential: printed in a pseudonymised document, "will expression #7"
    would let anyone holding the database, or the audit log, find the person. 40 bits suffice:
    the pseudonym tells a person's few records apart; the key, not its length, makes it opaque.
    """
    message = _RECORD_DOMAIN + f"{kind}\x00{pk}".encode("ascii")
    number = int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:5], "big")
    text = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{RECORD_PREFIXES[kind]}-{text[:4]}-{text[4:]}"


def key_fingerprint_compute(key: bytes) -> str:
    """Eight hex digits naming the key (printed on documents) without revealing it."""
    return hmac.new(key, _FINGERPRINT_DOMAIN, hashlib.sha256).hexdigest()[:8]


def _key_file() -> Path:
    return Path(settings.PSEUDONYM_KEY_FILE)


def _key_file_create(path: Path) -> None:
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Production needs SAFEPASSAGE_PSEUDONYM_KEY or SAFEPASSAGE_PSEUDONYM_KEY_FILE pointing "
            "to a key file outside the data directory (docs/exports.md#pseudonyms)."
        )
    try:
        key_file_write(path, base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n")
    except FileExistsError:
        return  # another process made it first
    logger.warning(
        "Created the pseudonym key file %s. A key beside the database lets whoever takes both "
        "tell who each pseudonym is: in production keep it outside the data directory "
        "(SAFEPASSAGE_PSEUDONYM_KEY_FILE).",
        path,
    )


def _key_load(inline: str, path: Path) -> bytes:
    try:
        return key_parse(inline or path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError, PseudonymKeyError) as exc:
        source = "SAFEPASSAGE_PSEUDONYM_KEY" if inline else str(path)
        raise ImproperlyConfigured(f"{source}: {exc}") from exc


_keys = KeyStore(_key_load)


def pseudonym_key() -> bytes:
    """The current key; the key file is read again when it changes on disk."""
    return _keys.current(inline=settings.PSEUDONYM_KEY, path=_key_file(), create=_key_file_create)


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in {"PSEUDONYM_KEY", "PSEUDONYM_KEY_FILE"}:
        _keys.forget()


def pseudonym_of(registry_number: str) -> str:
    return pseudonym_compute(pseudonym_key(), registry_number)


def record_pseudonym_of(kind: str, pk: int) -> str:
    return record_pseudonym_compute(pseudonym_key(), kind, pk)


def key_fingerprint() -> str:
    return key_fingerprint_compute(pseudonym_key())
