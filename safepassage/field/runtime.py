"""The field instance on a team's laptop: an in-memory database, sealed to disk as a snapshot.

The settings (`FIELD_MODE`, set by `safepassage field …`) point Django at one shared-cache
in-memory SQLite database. A keeper connection holds it open for the life of the process; the
snapshot is that database's image together with the instance's SECRET_KEY, field keys and the
package's keys, sealed with AES-256-GCM under the key derived from the team passphrase
(`lib.fieldpack.snapshot_seal`). It is written after every request, when the instance opens and
when it stops: nothing recorded in the field reaches the disk in clear.
"""

import base64
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

from safepassage.crypto.keys import keyring_forget
from safepassage.lib.fieldpack import (
    FieldFormatError,
    KdfParams,
    key_derive,
    snapshot_kdf,
    snapshot_open,
    snapshot_seal,
)

SNAPSHOT_NAME = "snapshot.sealed"
PID_NAME = "server.pid"


def field_dir() -> Path:
    return Path(settings.FIELD_DIR)


def snapshot_path() -> Path:
    return field_dir() / SNAPSHOT_NAME


@dataclass
class Instance:
    """The open field instance of this process."""

    keeper: sqlite3.Connection
    key: bytes
    kdf: KdfParams
    meta: dict
    lock: threading.Lock = field(default_factory=threading.Lock)

    def save(self) -> None:
        """Seal the database and the keys into the snapshot file (atomically replaced)."""
        with self.lock:
            image = self.keeper.serialize()
            data = snapshot_seal(key=self.key, kdf=self.kdf, meta=self.meta, database=image)
            path = snapshot_path()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)


_instance: Instance | None = None


def current() -> Instance | None:
    return _instance


def _require_field_mode() -> None:
    if not settings.FIELD_MODE:
        raise RuntimeError("The field instance runs only under `safepassage field`.")


def _keeper() -> sqlite3.Connection:
    return sqlite3.connect(settings.FIELD_DATABASE_URI, uri=True, check_same_thread=False)


def _secrets_apply(meta: dict) -> None:
    """This instance's own SECRET_KEY and field keys, from inside the sealed snapshot."""
    settings.SECRET_KEY = meta["secret_key"]
    settings.FIELD_KEYS = meta["field_keys"]
    keyring_forget()


def instance_new(*, passphrase: str, meta: dict, kdf: KdfParams | None = None) -> Instance:
    """A fresh, empty instance (the caller migrates and loads the package); fresh keys."""
    global _instance
    _require_field_mode()
    kdf = kdf or KdfParams.fresh()
    meta = {
        **meta,
        "secret_key": secrets.token_urlsafe(50),
        "field_keys": f"f1:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}",
    }
    _instance = Instance(keeper=_keeper(), key=key_derive(passphrase, kdf), kdf=kdf, meta=meta)
    _secrets_apply(meta)
    return _instance


def instance_resume(*, passphrase: str) -> Instance:
    """The instance sealed in the field directory's snapshot, opened with the passphrase."""
    global _instance
    _require_field_mode()
    try:
        data = snapshot_path().read_bytes()
    except FileNotFoundError:
        raise FieldFormatError(
            f"no field instance is open in {field_dir()}: open a package first"
        ) from None
    kdf = snapshot_kdf(data)
    key = key_derive(passphrase, kdf)
    meta, image = snapshot_open(data, key)
    connections.close_all()
    keeper = _keeper()
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(image)
        source.backup(keeper)
    finally:
        source.close()
    _instance = Instance(keeper=keeper, key=key, kdf=kdf, meta=meta)
    _secrets_apply(meta)
    return _instance


def snapshot_exists() -> bool:
    return snapshot_path().exists()


def wipe() -> list[Path]:
    """Overwrite every file of the field directory with random bytes, then remove it.

    (On flash storage and journaling file systems an overwrite is not a guarantee: what
    protects the data is that nothing was ever written in clear.)"""
    removed = []
    directory = field_dir()
    if not directory.exists():
        return removed
    for path in sorted(directory.rglob("*"), reverse=True):
        if path.is_dir():
            path.rmdir()
            continue
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(secrets.token_bytes(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
        removed.append(path)
    directory.rmdir()
    return removed


def instance_close() -> None:
    global _instance
    connections.close_all()
    if _instance is not None:
        _instance.keeper.close()
    _instance = None


class SnapshotMiddleware:
    """Seals the database into the snapshot after each request of the field instance (static
    files excepted), once everything of the request was written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        instance = current()
        if instance is not None and not request.path.startswith("/static/"):
            connections.close_all()
            instance.save()
        return response


# What the return bundle carries back (`field.content.bundle_content`): interviews and wills.
# Anything else written on the laptop would be lost at `field close`, so it is refused there.
FIELD_WRITES = frozenset(
    {"login", "logout", "set_language", "visits:interview_new", "cases:will_new"}
)


class FieldWritesMiddleware:
    """On the field instance, refuses every write the return bundle does not carry back (a
    report, a visit step, a team change...), saying where to do it instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in FIELD_WRITES:
            return None
        from django.template.response import TemplateResponse

        return TemplateResponse(request, "field/refused.html", status=403)
