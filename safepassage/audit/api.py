"""API of the audit log (`/api/v1/audit-events/`): an organisation's events, for its auditors."""

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.api.base import ApiViewSet, Cursor, path_id, query_params
from safepassage.api.serializers import PageFilterSerializer
from safepassage.audit import selectors
from safepassage.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor_username", "organisation", "action", "object_type", "object_id",
            "object_repr", "person", "changes",
        ]  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's audit log, newest first (auditors)",
        parameters=[PageFilterSerializer], responses=AuditEventSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One audit event of your organisation (auditors)",
        parameters=[path_id("id", "The event's id.")], responses=AuditEventSerializer,
    ),
)  # fmt: skip
class AuditEventViewSet(ApiViewSet):
    """Your organisation's audit log (auditors only); sensitive values are masked, and so are
    the values your roles may not read elsewhere (a will's wish and destinations, …)."""

    pagination_class = Cursor

    def _as_seen(self, events) -> list:
        return selectors.audit_events_as_seen(actor=self.request.user, events=events)

    def list(self, request: Request) -> Response:
        events = selectors.audit_event_list(actor=request.user)
        query_params(request, PageFilterSerializer)
        return self.paginate(events, AuditEventSerializer, ordering="-id", shown=self._as_seen)

    def retrieve(self, request: Request, pk: int) -> Response:
        events = selectors.audit_event_list(actor=request.user)
        (event,) = self._as_seen([get_object_or_404(events, pk=pk)])
        return Response(AuditEventSerializer(event).data)


def routes() -> list[URLPattern]:
    """The audit log's routes, for `safepassage/api/urls.py`."""
    return [
        path("audit-events/", AuditEventViewSet.as_view({"get": "list"}),
             name="audit-event-list"),
        path("audit-events/<id:pk>/", AuditEventViewSet.as_view({"get": "retrieve"}),
             name="audit-event-detail"),
    ]  # fmt: skip
