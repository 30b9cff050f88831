"""Checking the audit chain against the table, and signing checkpoints of it.

The rules live in `safepassage.lib.chain` and `safepassage.lib.checkpoint`; this module reads
the rows and the settings for them.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.lib.chain import GENESIS, Break, StoredEvent, event_content, walk
from safepassage.lib.checkpoint import (
    Checkpoint,
    CheckpointError,
    checkpoint_check_signature,
    checkpoint_sign,
    key_generate,
    key_load,
    public_key_load,
)

_COLUMNS = (
    "id", "seq", "at", "actor_id", "actor_username", "organisation_id", "action",
    "object_type", "object_id", "object_repr", "person_id", "changes", "prev_hash", "hash",
)  # fmt: skip
_CONTENT_COLUMNS = _COLUMNS[1:-2]
TRIGGERS = {
    "sqlite": {"audit_auditevent_no_update", "audit_auditevent_no_delete"},
    "postgresql": {"audit_auditevent_no_update_delete", "audit_auditevent_no_truncate"},
}


def event_content_of(event: AuditEvent) -> dict:
    return event_content(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        organisation_id=event.organisation_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        person_id=event.person_id,
        changes=event.changes,
    )


def stored_events(chunk_size: int = 5000) -> Iterator[StoredEvent]:
    """Every event in `seq` order, as plain values (no model instances: 100,000 rows are read)."""
    rows = AuditEvent.objects.order_by("seq").values_list(*_COLUMNS)
    for id_, *values, prev_hash, hash_ in rows.iterator(chunk_size=chunk_size):
        content = event_content(**dict(zip(_CONTENT_COLUMNS, values, strict=True)))
        yield StoredEvent(id=id_, content=content, prev_hash=prev_hash, hash=hash_)


@dataclass(frozen=True)
class Verification:
    count: int  # events that verified, from #1
    head_hash: str
    broken: Break | None = None  # the first event that does not hold
    checkpoint_problem: str | None = None  # the checkpoint's finding, when one was given

    @property
    def intact(self) -> bool:
        return self.broken is None and self.checkpoint_problem is None


def audit_chain_verify(*, checkpoint: Checkpoint | None = None, trusted_key=None) -> Verification:
    """Walk the whole chain; with a checkpoint, also show nothing before it was cut or rewritten.

    The checkpoint's signature is checked against `trusted_key` first (CheckpointError when it
    does not verify): a checkpoint is only worth what its signature is.
    """
    if checkpoint is not None:
        checkpoint_check_signature(checkpoint, trusted_key)
    return chain_verify(stored_events(), checkpoint=checkpoint)


def chain_verify(
    events: Iterable[StoredEvent], *, checkpoint: Checkpoint | None = None
) -> Verification:
    """Walk `events` (in `seq` order, from any source: the table, a backup); with a checkpoint
    whose signature the caller checked, also whether they hold its event unchanged."""
    want = checkpoint.count if checkpoint is not None and checkpoint.count else None
    result = walk(events, want_seq=want)
    if result.broken is not None or checkpoint is None:
        return Verification(result.count, result.head_hash, result.broken)
    problem = None
    if result.count < checkpoint.count:
        missing = (
            f"#{checkpoint.count}"
            if result.count + 1 == checkpoint.count
            else f"#{result.count + 1}–#{checkpoint.count}"
        )
        problem = (
            f"the log has {result.count} events but the checkpoint of {checkpoint.time} "
            f"counted {checkpoint.count}: {missing} deleted (truncated)"
        )
    elif (result.hash_at or GENESIS) != checkpoint.head_hash:
        problem = (
            f"audit event #{checkpoint.count} does not have the hash the checkpoint of "
            f"{checkpoint.time} recorded: the log up to it was rewritten"
        )
    return Verification(result.count, result.head_hash, None, problem)


def append_only_triggers_missing() -> set[str]:
    """Names of the append-only triggers absent from the database (empty when all are there)."""
    expected = TRIGGERS.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEvent._meta.db_table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                [AuditEvent._meta.db_table],
            )
        else:
            return expected
        present = {name for (name,) in cursor.fetchall()}
    return expected - present


def signing_key_path() -> Path:
    return Path(settings.AUDIT_SIGNING_KEY_FILE)


def signing_key(*, create: bool = False):
    """The checkpoint signing key; created when missing and asked to. Returns (key, created)."""
    path = signing_key_path()
    if create and not path.exists():
        return key_generate(path), True
    return key_load(path), False


def trusted_public_key(public_key_file: Path | None = None):
    """The key checkpoints are checked against: from `public_key_file` (PEM or hex) or, without
    one, the public half of the signing key. CheckpointError when neither can be read."""
    if public_key_file is not None:
        return public_key_load(public_key_file)
    key, _created = signing_key()
    return key.public_key()


def audit_chain_anchor(key) -> Checkpoint:
    """A signed checkpoint of the chain as it verifies now; CheckpointError if it does not."""
    verification = audit_chain_verify()
    if verification.broken is not None:
        raise CheckpointError(f"not signing a broken chain: {verification.broken}")
    now = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    return checkpoint_sign(
        key, count=verification.count, head_hash=verification.head_hash, time=now
    )
