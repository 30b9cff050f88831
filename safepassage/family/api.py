"""API of family links. His capture card choice (`/api/v1/persons/<id>/capture-card-choice/`):
the neutral verifier's staff read and record it; everyone else gets 403 (or 404 for a man he
cannot see). His family messages and his choice of correspondents: the verifier's staff, and
for censorship the detaining power's censor; everyone else gets 404 (nothing of them leaks)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can, require
from safepassage.api.base import IDEMPOTENCY_KEY, PERSON_ID, ApiViewSet, path_id, request_body
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.family import selectors, services
from safepassage.family.models import Direction, MessageState

MESSAGE_ID = path_id("message_id", "The family message's id.")


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


class CopySerializer(serializers.Serializer):
    """What was forwarded: the censor's copy; his place of detention null unless he allowed
    this correspondent to learn it."""

    text = serializers.CharField()
    place_of_detention = serializers.CharField(allow_null=True)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    direction = serializers.ChoiceField(choices=Direction.choices)
    state = serializers.ChoiceField(choices=MessageState.choices)
    text = serializers.CharField()
    correspondent_name = serializers.CharField()
    correspondent_contact = serializers.CharField()
    in_reply_to = serializers.IntegerField(source="in_reply_to_id", allow_null=True)
    censor_reason = serializers.CharField()
    forwarded = serializers.SerializerMethodField()
    written_at = serializers.DateTimeField()
    version = serializers.IntegerField()

    @extend_schema_field(CopySerializer(allow_null=True))
    def get_forwarded(self, message) -> dict | None:
        copy = selectors.forwarded_copy(message)
        return None if copy is None else CopySerializer(copy).data


class MessageInputSerializer(StrictSerializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    text = serializers.CharField(max_length=services.MESSAGE_LIMIT)
    correspondent_name = serializers.CharField(max_length=200)
    correspondent_contact = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    in_reply_to = serializers.IntegerField(required=False, allow_null=True)


class CensorInputSerializer(StrictSerializer):
    strike = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, default=list,
        help_text="Passages to strike, each exactly as in the message; none: it is passed.",
    )  # fmt: skip
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class FamilyMessageStepInputSerializer(StrictSerializer):
    target = serializers.ChoiceField(choices=[(s, s) for s in services.STEPS])
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class CorrespondenceSerializer(serializers.Serializer):
    """His latest choice; `id` null and both lists empty while none is recorded."""

    id = serializers.IntegerField(allow_null=True)
    may_write = serializers.ListField(child=serializers.CharField())
    may_know_place = serializers.ListField(child=serializers.CharField())
    recorded_at = serializers.DateTimeField(allow_null=True)


class CorrespondenceInputSerializer(StrictSerializer):
    may_write = serializers.ListField(child=serializers.CharField(max_length=200))
    may_know_place = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    expected_choice = serializers.IntegerField(
        required=False, help_text="The id of the choice you read (0: none): else a 409 problem."
    )


def _person(request: Request, person_id: int):
    person = person_for(request.user, pk=person_id)
    if not selectors.may_see_family_messages(request.user, person):
        raise Http404
    return person


def _messages(request: Request, person) -> Response:
    messages = selectors.family_messages(actor=request.user, person=person)
    return Response(MessageSerializer(messages, many=True).data)


def _one(request: Request, pk: int) -> Response:
    return Response(MessageSerializer(selectors.family_message_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="His family messages (the verifier; the censor: those waiting)",
                       parameters=[PERSON_ID], responses=MessageSerializer(many=True)),
    create=extend_schema(summary="Record a family message from him or to him (the verifier)",
                         parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=MessageInputSerializer,
                         responses={201: MessageSerializer}),
)  # fmt: skip
class FamilyMessageViewSet(ApiViewSet):
    def list(self, request: Request, person_id: int) -> Response:
        return _messages(request, _person(request, person_id))

    def create(self, request: Request, person_id: int) -> Response:
        person = _person(request, person_id)
        require(request.user, Action.FAMILY_MESSAGES, person)

        def write():
            data = request_body(request, MessageInputSerializer)
            return services.family_message_write(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda pk: _one(request, pk))


@extend_schema_view(
    censor=extend_schema(summary="Pass a family message or strike passages (the detaining "
                                 "power's censor, where its agreement allows it)",
                         parameters=[MESSAGE_ID, IDEMPOTENCY_KEY], request=CensorInputSerializer,
                         responses={200: MessageSerializer}),
    step=extend_schema(summary="Forward a family message, or record it delivered or "
                               "undeliverable (the verifier)",
                       parameters=[MESSAGE_ID, IDEMPOTENCY_KEY],
                       request=FamilyMessageStepInputSerializer,
                       responses={200: MessageSerializer}),
)  # fmt: skip
class FamilyMessageStepViewSet(ApiViewSet):
    @action(detail=True, methods=["post"])
    def censor(self, request: Request, message_id: int) -> Response:
        message = selectors.family_message_for(request.user, message_id)

        def write():
            data = dict(request_body(request, CensorInputSerializer))
            version = data.pop("version", None)
            return services.family_message_censor(
                actor=request.user, message=message, expected_version=version, **data
            )

        return idempotent(request, write, lambda pk: _one(request, pk), status=200)

    @action(detail=True, methods=["post"])
    def step(self, request: Request, message_id: int) -> Response:
        message = selectors.family_message_for(request.user, message_id)

        def write():
            data = dict(request_body(request, FamilyMessageStepInputSerializer))
            version = data.pop("version", None)
            return services.family_message_step(
                actor=request.user, message=message, expected_version=version, **data
            )

        return idempotent(request, write, lambda pk: _one(request, pk), status=200)


def _correspondence(request: Request, person) -> Response:
    choice = selectors.correspondence_choice_of(actor=request.user, person=person)
    return Response(
        CorrespondenceSerializer(
            {"id": choice.pk if choice else None,
             "may_write": choice.may_write.splitlines() if choice else [],
             "may_know_place": choice.may_know_place.splitlines() if choice else [],
             "recorded_at": choice.recorded_at if choice else None}
        ).data
    )  # fmt: skip


@extend_schema_view(
    retrieve=extend_schema(summary="Read his choice of correspondents (the neutral verifier)",
                           parameters=[PERSON_ID], responses={200: CorrespondenceSerializer}),
    update=extend_schema(summary="Record who may write to him and who may learn where he is "
                                 "held (it replaces the choice before)",
                         parameters=[PERSON_ID, IDEMPOTENCY_KEY],
                         request=CorrespondenceInputSerializer,
                         responses={200: CorrespondenceSerializer}),
)  # fmt: skip
class CorrespondenceChoiceViewSet(ApiViewSet):
    def _person(self, request: Request, person_id: int):
        person = person_for(request.user, pk=person_id)
        if not can(request.user, Action.FAMILY_MESSAGES, person):
            raise Http404
        return person

    def retrieve(self, request: Request, person_id: int) -> Response:
        return _correspondence(request, self._person(request, person_id))

    def update(self, request: Request, person_id: int) -> Response:
        person = self._person(request, person_id)

        def write():
            data = request_body(request, CorrespondenceInputSerializer)
            return services.correspondence_choice_record(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda _pk: _correspondence(request, person), status=200)


def routes():
    """The capture card choice route, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("persons/<id:person_id>/capture-card-choice/",
             CaptureCardChoiceViewSet.as_view({"get": "retrieve", "put": "update"}),
             name="capture-card-choice"),
        path("persons/<id:person_id>/family-messages/",
             FamilyMessageViewSet.as_view({"get": "list", "post": "create"}),
             name="family-messages"),
        path("family-messages/<id:message_id>/censor/",
             FamilyMessageStepViewSet.as_view({"post": "censor"}), name="family-message-censor"),
        path("family-messages/<id:message_id>/step/",
             FamilyMessageStepViewSet.as_view({"post": "step"}), name="family-message-step"),
        path("persons/<id:person_id>/correspondence-choice/",
             CorrespondenceChoiceViewSet.as_view({"get": "retrieve", "put": "update"}),
             name="correspondence-choice"),
    ]  # fmt: skip
