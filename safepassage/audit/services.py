"""Appending audit events. Every service that writes calls `audit_record` in its transaction."""

from collections.abc import Iterable, Mapping
from typing import Any, Required, TypedDict, Unpack

from django.db import connection, models, transaction
from django.utils import timezone

from safepassage.audit.integrity import event_content_of
from safepassage.audit.models import AuditEvent
from safepassage.audit.sealing import IDENTIFYING, MASK, changes_sealed
from safepassage.lib.chain import GENESIS, event_hash, stored_form

# pg_advisory_xact_lock key that serialises appends to the chain ("SAFEAUD1" in ASCII).
CHAIN_LOCK = 0x5341464541554431


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Snapshot of the given fields, for diffing before and after an update."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], sensitive: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for each changed field; sensitive values are masked."""
    masked = set(sensitive)
    diff = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            diff[name] = [MASK, MASK] if name in masked else [old, new]
    return diff


class AuditEventFields(TypedDict, total=False):
    """The words of `audit_event_new`, which `audit_record` passes on unchanged."""

    actor: Required[Any]
    action: Required[str]
    obj: Required[models.Model]
    changes: Mapping[str, Any] | None
    person: Any
    object_repr: str | None
    identifying: Iterable[str]


def audit_event_new(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    person=None,
    object_repr: str | None = None,
    identifying: Iterable[str] = IDENTIFYING,
) -> AuditEvent:
    """An unsaved event, not yet on the chain; `audit_append` puts it there.

    In an event about a person, the values of `identifying` fields are sealed under his audit
    key (`audit.sealing`): the log never holds his name or identity in clear, and retention
    makes them unreadable by deleting the key. `object_repr` must not name him either."""
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "system",
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(str(obj) if object_repr is None else object_repr)[:200],
        person=person,
        # Stored as it will read back, so the hash covers exactly what the table returns.
        changes=stored_form(changes_sealed(person, changes or {}, identifying)),
    )


def audit_append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append unsaved events to the hash chain, in order, reading its head once.

    The head is read under a lock held until the surrounding transaction ends, so two writers
    never both extend the same head (on SQLite, IMMEDIATE transactions already serialise them).
    """
    if not events:
        return events
    # No savepoint of its own: if the append fails, the change it records must fail with it.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = head if head is not None else (0, GENESIS)
        now = timezone.now()
        for event in events:
            seq += 1
            event.seq = seq
            event.at = now
            event.prev_hash = prev_hash
            event.hash = event_hash(prev_hash, event_content_of(event))
            prev_hash = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
    return events


def audit_record(**fields: Unpack[AuditEventFields]) -> AuditEvent:
    """Append one audit event to the hash chain, in the transaction that made the change."""
    return audit_append([audit_event_new(**fields)])[0]


def created_changes(
    instance: models.Model, fields: Iterable[str], sensitive: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """Changes for a newly created record: every given field from None to its value."""
    return changes_between({}, field_values(instance, fields), sensitive)


def audit_export_record(*, actor, filters: Mapping[str, list], events: int) -> AuditEvent:
    """The auditor's export of (part of) the log is itself an event: which filter, how many."""
    return audit_record(
        actor=actor,
        action="audit.export",
        obj=actor.organisation,
        object_repr=f"audit log of {actor.organisation}"[:200],
        changes={**filters, "events": [None, events]},
        identifying=(),
    )
