"""The field encryption keyring of this process, from the environment or a key file.

`SAFEPASSAGE_FIELD_KEYS` (inline) wins over the key file (`SAFEPASSAGE_FIELD_KEYS_FILE`, by
default `var/field-keys`). The key file is re-read whenever it changes on disk, so a running
server picks up the key `safepassage keys rotate` adds without a restart: it can read values
rewritten under the new key, and seals new values under it.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from safepassage.lib.crypto import (
    Keyring,
    KeyringError,
    key_generate,
    key_id_generate,
    keyring_format,
    keyring_parse,
)
from safepassage.lib.keyfile import KeyStore, key_file_write

logger = logging.getLogger("safepassage.crypto")


def key_file() -> Path:
    return Path(settings.FIELD_KEYS_FILE)


def keys_are_inline() -> bool:
    return bool(settings.FIELD_KEYS)


def _keyring_load(inline: str, path: Path) -> Keyring:
    try:
        text = inline or path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"The field key file cannot be read: {exc}") from exc
    try:
        return keyring_parse(text)
    except KeyringError as exc:
        source = "SAFEPASSAGE_FIELD_KEYS" if inline else str(path)
        raise ImproperlyConfigured(f"{source}: {exc}") from exc


_keys = KeyStore(_keyring_load)


def keyring() -> Keyring:
    """The current keyring; the first key seals new values."""
    return _keys.current(inline=settings.FIELD_KEYS, path=key_file(), create=_key_file_create)


def key_id_new() -> str:
    """A fresh key id that says when the key was made, e.g. `k20261123-1f2e3d4c`."""
    return key_id_generate(prefix=f"k{timezone.now():%Y%m%d}-")


def keyring_forget() -> None:
    _keys.forget()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in {"FIELD_KEYS", "FIELD_KEYS_FILE"}:
        keyring_forget()


def _key_file_create(path: Path) -> None:
    """The embedded default: one random key beside the database, created once."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Production needs SAFEPASSAGE_FIELD_KEYS or SAFEPASSAGE_FIELD_KEYS_FILE pointing to a "
            "key file outside the data directory (docs/security-model.md)."
        )
    ring = Keyring(((key_id_new(), key_generate()),))
    try:
        key_file_write(path, keyring_format(ring).encode("ascii"))
    except FileExistsError:
        return  # another process created it first
    logger.warning(
        "Created the field encryption key file %s. A key kept beside the database is stolen with "
        "it: in production keep the keys outside the data directory "
        "(SAFEPASSAGE_FIELD_KEYS_FILE).",
        path,
    )


def keyring_save(ring: Keyring) -> None:
    """Replace the key file atomically (mode 0600). Inline keys cannot be changed from here."""
    if keys_are_inline():
        raise KeyringError(
            "The keys come from SAFEPASSAGE_FIELD_KEYS; change that variable instead (put the "
            "new key first), restart, then run `safepassage keys rotate --no-new-key`."
        )
    path = key_file()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(keyring_format(ring))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    keyring_forget()
