"""Appending audit events. Every service that writes calls `audit_record` in its transaction."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from safepassage.audit.models import AuditEvent

MASK = "•••"


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


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    person=None,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction that made the change."""
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "system",
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        person=person,
        changes=dict(changes or {}),
    )


def created_changes(
    instance: models.Model, fields: Iterable[str], sensitive: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """Changes for a newly created record: every given field from None to its value."""
    return changes_between({}, field_values(instance, fields), sensitive)
