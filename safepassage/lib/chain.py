"""The audit hash chain, without Django: canonical content, hashing and the walk that checks it.

Each event stores `prev_hash` (its predecessor's hash; 64 zeros for the first) and
`hash = sha256(prev_hash || canonical(content))`, where content is every stored column except
the two hashes and the surrogate id. Editing, deleting, inserting or reordering an event breaks
the chain at that event; rewriting the whole tail does not, which is what checkpoints are for.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 text rather than escapes."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def stored_form(value: Any) -> Any:
    """`value` as a JSON column gives it back on SQLite and PostgreSQL alike: tuples as lists,
    keys as strings, whole-number floats as integers (jsonb reads 1e+20 back as an integer and
    -0.0 as 0.0, which would otherwise change the hash)."""
    return json.loads(canonical_json(value), parse_float=_number)


def _number(text: str) -> float | int:
    number = float(text)
    return int(number) if number.is_integer() else number


def utc_iso(moment: datetime.datetime) -> str:
    """A timestamp as the chain spells it: ISO 8601 in UTC, always with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def event_content(
    *,
    seq: int,
    at: datetime.datetime,
    actor_id: int | None,
    actor_username: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    person_id: int | None,
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """The hashed content of one event, from its stored column values."""
    return {
        "seq": seq,
        "at": utc_iso(at),
        "actor": actor_id,
        "actor_username": actor_username,
        "organisation": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "person": person_id,
        "changes": changes,
    }


def event_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """One row as read back from the table."""

    id: int
    content: Mapping[str, Any]
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        return self.content["seq"]


@dataclass(frozen=True)
class Break:
    """The first event at which the chain does not hold, and why."""

    seq: int
    id: int
    reason: str

    def __str__(self) -> str:
        return f"audit event #{self.seq} (id {self.id}): {self.reason}"


@dataclass(frozen=True)
class WalkResult:
    count: int  # events that verified, in order, before any break
    head_hash: str  # hash of the last of them (GENESIS when none)
    broken: Break | None
    hash_at: str | None  # hash of the event at `want_seq`, when asked and reached


def walk(events: Iterable[StoredEvent], *, want_seq: int | None = None) -> WalkResult:
    """Check events given in `seq` order; stop at the first one that does not hold.

    The checks run from the coarsest to the finest so the reason names what happened: a gap in
    `seq` is a deletion; an id lower than its predecessor's is a reordering (ids only grow);
    a `prev_hash` that is not the predecessor's hash is a link broken by an insertion,
    deletion or reordering; a hash that does not match the content is an edit.
    """
    count, head, last_id, hash_at = 0, GENESIS, 0, None
    for event in events:
        reason = _fault(event, count, head, last_id)
        if reason is not None:
            return WalkResult(count, head, Break(event.seq, event.id, reason), hash_at)
        count, head, last_id = count + 1, event.hash, event.id
        if want_seq == count:
            hash_at = head
    return WalkResult(count, head, None, hash_at)


def _fault(event: StoredEvent, count: int, head: str, last_id: int) -> str | None:
    expected = count + 1
    if event.seq > expected:
        missing = f"#{expected}" if event.seq == expected + 1 else f"#{expected}–#{event.seq - 1}"
        return f"the sequence jumps from #{count} to #{event.seq}: {missing} deleted"
    if event.seq < expected:
        return f"sequence number repeated or going back after #{count}: inserted or reordered"
    if event.id <= last_id:
        return f"stored after an event with a higher id ({last_id}): reordered or inserted"
    if event.prev_hash != head:
        if not count:
            return "the first event does not start from the genesis hash"
        return (
            f"its link to #{count} is broken: an event before it was inserted, deleted, "
            "reordered or rewritten"
        )
    if event_hash(event.prev_hash, event.content) != event.hash:
        return "its content does not match its hash: edited"
    return None
