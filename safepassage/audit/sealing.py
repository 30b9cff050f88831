"""Identifying values in audit events, sealed under a key per person (crypto-shredding).

The audit log is append-only and hash-chained, so nothing in it can be erased. What it records
about a person's identity is therefore never stored in clear: each value of `changes` under a
field of `IDENTIFYING`, in an event about a person, is stored as `sealed:` + AES-256-GCM under
that person's own key (`PersonKey`), bound to the person. The chain hashes the sealed text, so
`audit verify` holds before and after the key is gone. Retention deletes the key
(`person_key_destroy`): every such value about him becomes unreadable at once, in the table and
in every later backup, without touching an event (a backup taken before holds the key row).
Auditors read the values through `audit.selectors.audit_events_as_seen`, which opens them while
the key exists.
"""

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any

from safepassage.audit.models import PersonKey
from safepassage.lib.crypto import CryptoError, Keyring, key_generate, open_sealed, seal

MASK = "•••"  # a value never recorded (a secret), or one that can no longer be read
SEALED_PREFIX = "sealed:"
_KEY_ID = "p"

# Fields whose values name a person or lead to him or his family: his names (in any record that
# carries them), identity fields, places, and free-text reasons, which are written about him.
IDENTIFYING = frozenset(
    {
        # names
        "family_name", "given_name", "patronymic", "full_name", "name", "source",
        # identity
        "birth_date", "birth_place", "service_number", "rank", "unit", "capture_date",
        "capture_place", "capturing_unit", "wounds", "internment_place", "last_seen_place",
        "last_seen_date", "external_id",
        # free text about him
        "reason", "cancelled_reason", "removed_reason", "message", "circumstances",
        # the facts of his death, release, escape or handover
        "place", "cause", "certified_by", "early_reason",
    }
)  # fmt: skip


def _context(person_id: int) -> str:
    return f"audit_auditevent.changes:person={person_id}"


def _ring(key_text: str) -> Keyring:
    return Keyring(((_KEY_ID, base64.b64decode(key_text)),))


def person_key(person) -> Keyring:
    """The person's audit key, made on first use (in the caller's transaction)."""
    row = PersonKey.objects.filter(person_id=person.pk).first()
    if row is None:
        row, _created = PersonKey.objects.get_or_create(
            person_id=person.pk,
            defaults={"key": base64.b64encode(key_generate()).decode("ascii")},
        )
    return _ring(row.key)


def person_key_destroy(person) -> bool:
    """Delete his audit key: what events sealed under it can never be read again."""
    deleted, _by_model = PersonKey.objects.filter(person_id=person.pk).delete()
    return bool(deleted)


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def _needs_seal(value: Any) -> bool:
    # None (not set), "" and the mask (a secret never recorded) say nothing about him.
    return not (value is None or value == MASK or value == "" or is_sealed(value))


def _seal_value(ring: Keyring, person_id: int, value: Any) -> Any:
    if not _needs_seal(value):
        return value
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return SEALED_PREFIX + seal(ring, plain, _context(person_id))


def changes_sealed(
    person, changes: Mapping[str, Any], identifying: Iterable[str] = IDENTIFYING
) -> dict[str, Any]:
    """`changes` with each value of an identifying field sealed under the person's key."""
    fields = set(identifying)
    if person is None or not fields.intersection(changes):
        return dict(changes)
    ring = None
    sealed: dict[str, Any] = {}
    for name, change in changes.items():
        if name not in fields:
            sealed[name] = change
            continue
        values = list(change) if isinstance(change, (list, tuple)) else [change]
        if not any(_needs_seal(value) for value in values):
            sealed[name] = change
            continue
        ring = ring or person_key(person)  # made only when there is something to seal
        out = [_seal_value(ring, person.pk, value) for value in values]
        sealed[name] = out if isinstance(change, (list, tuple)) else out[0]
    return sealed


def person_keys_of(person_ids: Iterable[int]) -> dict[int, Keyring]:
    """The audit keys that still exist for these persons (one query)."""
    ids = {pk for pk in person_ids if pk is not None}
    if not ids:
        return {}
    # Through instances: an encrypted value opens with its row (values_list() would not open it).
    rows = PersonKey.objects.filter(person_id__in=ids)
    return {row.person_id: _ring(row.key) for row in rows}


def value_opened(value: Any, person_id: int | None, ring: Keyring | None, erased: str) -> Any:
    """A stored value as it reads: sealed values opened, or `erased` once the key is gone."""
    if not is_sealed(value):
        return value
    if ring is None or person_id is None:
        return erased
    try:
        return json.loads(open_sealed(ring, value[len(SEALED_PREFIX) :], _context(person_id)))
    except (CryptoError, ValueError):
        return erased


def changes_opened(
    changes: Mapping[str, Any], person_id: int | None, ring: Keyring | None, erased: str
) -> dict[str, Any]:
    """An event's `changes` with each sealed value opened (`value_opened`)."""
    return {
        name: (
            [value_opened(v, person_id, ring, erased) for v in change]
            if isinstance(change, list)
            else value_opened(change, person_id, ring, erased)
        )
        for name, change in changes.items()
    }


def event_changes_opened(event, erased: str = MASK) -> dict[str, Any]:
    """One event's `changes` as they read while its person's key exists (one query)."""
    ring = person_keys_of([event.person_id]).get(event.person_id)
    return changes_opened(event.changes, event.person_id, ring, erased)
