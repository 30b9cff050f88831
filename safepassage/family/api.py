"""API of his capture card choice (`/api/v1/persons/<id>/capture-card-choice/`): the neutral
verifier's staff read and record it; everyone else gets 403 (or 404 for a man he cannot see)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action
from safepassage.api.base import IDEMPOTENCY_KEY, PERSON_ID, ApiViewSet, request_body
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.family import selectors, services


class ChoiceSerializer(serializers.Serializer):
    """His latest choice; `id` null and both false while none is recorded."""

    id = serializers.IntegerField(allow_null=True)
    card_to_family = serializers.BooleanField()
    address_on_card = serializers.BooleanField()
    recorded_at = serializers.DateTimeField(allow_null=True)


class ChoiceInputSerializer(StrictSerializer):
    card_to_family = serializers.BooleanField()
    address_on_card = serializers.BooleanField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    expected_choice = serializers.IntegerField(
        required=False, help_text="The id of the choice you read (0: none): else a 409 problem."
    )


def _answer(request: Request, person) -> Response:
    choices = selectors.capture_card_choices(actor=request.user, person=person)
    latest = choices[0] if choices else None
    return Response(
        ChoiceSerializer(
            {"id": latest.pk if latest else None,
             "card_to_family": bool(latest and latest.card_to_family),
             "address_on_card": bool(latest and latest.address_on_card),
             "recorded_at": latest.recorded_at if latest else None}
        ).data
    )  # fmt: skip


@extend_schema_view(
    retrieve=extend_schema(summary="Read his capture card choice (the neutral verifier)",
                           parameters=[PERSON_ID], responses={200: ChoiceSerializer}),
    update=extend_schema(summary="Record his capture card choice (it replaces the one before)",
                         parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=ChoiceInputSerializer,
                         responses={200: ChoiceSerializer}),
)  # fmt: skip
class CaptureCardChoiceViewSet(ApiViewSet):
    def retrieve(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.CAPTURE_CARD_CHOICE)
        return _answer(request, person)

    def update(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.CAPTURE_CARD_CHOICE)

        def write():
            data = request_body(request, ChoiceInputSerializer)
            return services.capture_card_choice_record(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda _pk: _answer(request, person), status=200)


def routes():
    """The capture card choice route, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("persons/<id:person_id>/capture-card-choice/",
             CaptureCardChoiceViewSet.as_view({"get": "retrieve", "put": "update"}),
             name="capture-card-choice"),
    ]  # fmt: skip
