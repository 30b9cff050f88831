"""API of the audit log (`/api/v1/audit-events/`): an organisation's events, for its auditors."""

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.visibility import persons_visible_to
from safepassage.api.base import ApiViewSet, Cursor, path_id
from safepassage.api.serializers import PageFilterSerializer
from safepassage.audit import selectors
from safepassage.audit.labels import action_known, action_label
from safepassage.audit.models import AuditEvent
from safepassage.audit.selectors import AuditFilter


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField(
        help_text="The action in words, in the language of Accept-Language."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor_username", "organisation", "action", "action_label",
            "object_type", "object_id", "object_repr", "person", "changes",
        ]  # fmt: skip

    def get_action_label(self, event: AuditEvent) -> str:
        return action_label(event.action)


class AuditFilterSerializer(PageFilterSerializer):
    person = serializers.CharField(
        required=False, max_length=64,
        help_text="Only the events about this person (his registry number).",
    )  # fmt: skip
    user = serializers.CharField(
        required=False, max_length=150, help_text="Only the events of this user name."
    )
    action = serializers.CharField(
        required=False, max_length=64,
        help_text="Only the events of this action code (e.g. `person.register`).",
    )  # fmt: skip
    since = serializers.DateField(required=False, help_text="From this day (inclusive).")
    until = serializers.DateField(required=False, help_text="Until this day (inclusive).")

    def validate_person(self, number: str) -> int:
        found = persons_visible_to(self.context["actor"]).filter(registry_number__iexact=number)
        person = found.first()
        if person is None:
            raise serializers.ValidationError(
                _("No person with this registry number that you may see. Check the number.")
            )
        return person.pk

    def validate_action(self, code: str) -> str:
        if not action_known(code):
            raise serializers.ValidationError(
                _("Unknown action code. The codes are listed in docs/api.md (audit log).")
            )
        return code

    def validate(self, data):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise serializers.ValidationError(
                {"until": _("The end date comes before the start date.")}
            )
        return data

    def filters(self) -> AuditFilter:
        data = self.validated_data
        return AuditFilter(
            person=data.get("person"), user=data.get("user", ""), action=data.get("action", ""),
            since=data.get("since"), until=data.get("until"),
        )  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's audit log, newest first (auditors)",
        parameters=[AuditFilterSerializer], responses=AuditEventSerializer(many=True),
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
        params = AuditFilterSerializer(
            data=request.query_params.dict(), context={"actor": request.user}
        )
        params.is_valid(raise_exception=True)
        events = selectors.audit_event_list(actor=request.user, filters=params.filters())
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
