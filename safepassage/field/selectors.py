"""Reads of field work: the review queue of conflicts between the field and the centre."""

from django.db.models import QuerySet

from safepassage.access.policy import Action, can
from safepassage.access.visibility import persons_visible_to
from safepassage.field.content import COMPARED_FIELDS
from safepassage.field.models import FieldConflict


def field_conflicts_open(*, actor) -> QuerySet[FieldConflict]:
    """The unresolved conflicts of the actor's organisation's visits, oldest first: the work
    of its interviewers who plan visits (`visit.plan`)."""
    if not can(actor, Action.VISIT_PLAN):
        return FieldConflict.objects.none()
    return (
        FieldConflict.objects.filter(
            resolved_at__isnull=True,
            visit__organisation_id=actor.organisation_id,
            person__in=persons_visible_to(actor),
        )
        .select_related("person", "visit__place", "bundle")
        .order_by("created_at", "id")
    )


def field_conflict_for(*, actor, pk: int) -> FieldConflict:
    """One conflict of the actor's organisation's visits, open or resolved; DoesNotExist for
    any other."""
    if not can(actor, Action.VISIT_PLAN):
        raise FieldConflict.DoesNotExist
    return (
        FieldConflict.objects.select_related("person", "visit__place", "resolved_by")
        .filter(visit__organisation_id=actor.organisation_id, person__in=persons_visible_to(actor))
        .get(pk=pk)
    )


def conflict_rows(conflict: FieldConflict) -> list[tuple[str, object, object, object]]:
    """(field, as packaged, at the centre now, as the field saw it), one row per compared field
    and per fact the team recorded."""
    seen = conflict.field_values
    field_side = {
        "internment_place": seen.get("place"),
        "internment_place_kind": seen.get("place_kind"),
    }
    rows = [
        (name, conflict.packaged_values.get(name), conflict.centre_values.get(name),
         field_side.get(name, ""))
        for name in COMPARED_FIELDS
    ]  # fmt: skip
    rows.append(("seen_on", "", "", seen.get("seen_on", "")))
    return rows
