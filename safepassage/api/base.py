"""The pieces every app's API views share: the viewset base, the cursor, body and query parsing,
the path and header parameters of the schema. No app's rules live here."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.viewsets import ViewSet

from safepassage.access.persons import person_for
from safepassage.access.policy import Action
from safepassage.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from safepassage.api.serializers import MAX_ID

if TYPE_CHECKING:  # the access package hands the person out; the framework never loads him
    from safepassage.registry.models import Person

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def path_id(name: str, description: str) -> OpenApiParameter:
    """A database id in the path, as the schema documents it."""
    return OpenApiParameter(name, ID_SCHEMA, OpenApiParameter.PATH, description=description)


PERSON_ID = path_id("person_id", "The person's id.")
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    description=(
        "Optional. A retry with the same key and body replays the first response (header "
        "`Idempotent-Replayed: true`) and writes nothing; the same key with another body is "
        "a 422 problem."
    ),
)


def person_records_schema(*, listed: str, created: str, shape, create_shape):
    """The schema of one kind of a person's records, listed by GET and added to by POST:
    `listed` and `created` are the two operations' summaries."""
    return extend_schema_view(
        list=extend_schema(summary=listed, parameters=[PERSON_ID], responses=shape(many=True)),
        create=extend_schema(
            summary=created,
            parameters=[PERSON_ID, IDEMPOTENCY_KEY],
            request=create_shape,
            responses={201: shape},
        ),
    )


def query_params(request: Request, serializer_class) -> dict:
    """Validated query parameters; unknown or malformed ones are a 400 problem."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def request_body(request: Request, serializer_class, **kwargs) -> dict:
    """The validated JSON object of the body; anything but an object is a 400 problem."""
    data = request.data
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except Exception:  # any undecodable cursor is the caller's error, not ours
            cursor = None
            bad = True
        else:
            bad = cursor is not None and "\x00" in (cursor.position or "")
        if bad:
            raise serializers.ValidationError({"cursor": [_("This cursor is not valid.")]})
        return cursor


class ApiViewSet(ViewSet):
    """Base of every resource: the caller's persons come from the access package, nowhere else."""

    def person(self, action_: Action = Action.PERSON_VIEW) -> "Person":
        return person_for(self.request.user, action=action_, pk=self.kwargs["person_id"])

    def paginate(
        self, queryset, serializer_class, *, ordering: str, context=None, shown=None, rows=None
    ):
        """One page; `shown(page)` gives its rows as the caller may see them (masked, and any
        sensitive value it shows recorded as read). `rows(page, context=...)`, when given,
        writes them instead of `serializer_class` (the same data, without DRF's per-field
        work); the schema is still `serializer_class`'s."""
        paginator = Cursor()
        paginator.ordering = ordering
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        if shown is not None:
            page = shown(page)
        context = {} if context is None else context
        if rows is not None:
            data = rows(page, context=context)
        else:
            data = serializer_class(page, many=True, context=context).data
        return paginator.get_paginated_response(data)
