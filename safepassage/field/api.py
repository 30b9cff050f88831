"""API of field work's review queue (`/api/v1/field-conflicts/`): the men a returned team saw
whose record the centre changed meanwhile, open ones oldest first, for the visiting
organisation's interviewers (`visit.plan`); a person resolves each on its page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.policy import Action, require
from safepassage.api.base import ApiViewSet, Cursor, query_params
from safepassage.api.serializers import StrictSerializer
from safepassage.field import selectors


class ConflictRowSerializer(serializers.Serializer):
    field = serializers.CharField()
    packaged = serializers.CharField(allow_null=True)
    centre = serializers.CharField(allow_null=True)
    seen_in_the_field = serializers.CharField(allow_null=True)


class FieldConflictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    visit = serializers.IntegerField(source="visit_id")
    person = serializers.IntegerField(source="person_id")
    registry_number = serializers.CharField(source="person.registry_number")
    packaged_version = serializers.IntegerField()
    centre_version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    rows = ConflictRowSerializer(many=True, help_text=_("Packaged, centre and field values."))


class FieldConflictFilterSerializer(StrictSerializer):
    visit = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Only the conflicts of this visit.")
    )


def _shown(conflict):
    conflict.rows = [
        {"field": name, "packaged": _text(packaged), "centre": _text(centre),
         "seen_in_the_field": _text(seen)}
        for name, packaged, centre, seen in selectors.conflict_rows(conflict)
    ]  # fmt: skip
    return conflict


def _text(value) -> str | None:
    return None if value is None else str(value)


@extend_schema_view(
    list=extend_schema(summary="List the open field conflicts to resolve (oldest first)",
                       parameters=[FieldConflictFilterSerializer],
                       responses=FieldConflictSerializer(many=True)),
)  # fmt: skip
class FieldConflictViewSet(ApiViewSet):
    """The review queue of field work: open conflicts of the caller's organisation's visits."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.VISIT_PLAN)
        params = query_params(request, FieldConflictFilterSerializer)
        conflicts = selectors.field_conflicts_open(actor=request.user)
        if "visit" in params:
            conflicts = conflicts.filter(visit_id=params["visit"])

        def shown(page):
            return [_shown(conflict) for conflict in page]

        return self.paginate(conflicts, FieldConflictSerializer, ordering="id", shown=shown)


def routes():
    """The field routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("field-conflicts/", FieldConflictViewSet.as_view({"get": "list"}),
             name="field-conflict-list"),
    ]  # fmt: skip
