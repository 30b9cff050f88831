"""API of exchanges (`/api/v1/exchanges/...`): thin, over the same selectors, services and
planner as the pages. Agreements of another organisation answer 404; without the role, 403."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.policy import Action, require
from safepassage.api.authentication import recent_authentication_ensure
from safepassage.api.base import IDEMPOTENCY_KEY, ApiViewSet, Cursor, path_id, request_body
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import (
    COUNTRY_SCHEMA,
    CountryCodeField,
    ReasonSerializer,
    StrictSerializer,
)
from safepassage.cases.models import InterviewSetting, WillSource
from safepassage.exchanges import selectors, services
from safepassage.exchanges.models import (
    Agreement,
    BatchState,
    Category,
    EntryStatus,
    ExclusionReason,
    ManifestLanguage,
    PriorityOrder,
    RatioKind,
    Side,
)

AGREEMENT_ID = path_id("agreement_id", "The agreement's id.")
BATCH_ID = path_id("batch_id", "The batch's id.")
ENTRY_ID = path_id("entry_id", "The entry's id.")
RATIO_PAIR = serializers.ListField(
    child=serializers.IntegerField(min_value=1, max_value=1000), min_length=2, max_length=2
)
COUNTRY_LIST_SCHEMA = {"type": "array", "items": COUNTRY_SCHEMA}


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class AgreementCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    other_party = serializers.CharField(max_length=200)
    other_party_country = CountryCodeField()
    manifest_language = serializers.ChoiceField(choices=ManifestLanguage.choices, required=False)
    exchange_date = serializers.DateField()
    ratio_kind = serializers.ChoiceField(choices=RatioKind.choices, required=False)
    ratio_ours = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    ratio_theirs = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    category_ratios = serializers.DictField(
        child=serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=1000), min_length=2, max_length=2
        ),
        required=False,
        help_text=_("{category: [N, M]}; categories: officer, wounded, conscript, civilian."),
    )
    max_per_side = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False,
                                            allow_null=True)  # fmt: skip
    transport_capacity = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, allow_null=True
    )
    transit = serializers.ListField(child=CountryCodeField(), max_length=10, required=False)
    priority_order = serializers.ChoiceField(choices=PriorityOrder.choices, required=False)
    travel_together = _text(20000)
    included = _text(20000)
    excluded = _text(20000)


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    other_party = serializers.CharField()
    other_party_country = CountryCodeField()
    manifest_language = serializers.ChoiceField(choices=ManifestLanguage.choices)
    exchange_date = serializers.DateField()
    ratio_kind = serializers.ChoiceField(choices=RatioKind.choices)
    ratio_ours = serializers.IntegerField()
    ratio_theirs = serializers.IntegerField()
    category_ratios = serializers.DictField(child=RATIO_PAIR)
    max_per_side = serializers.IntegerField(allow_null=True)
    transport_capacity = serializers.IntegerField(allow_null=True)
    transit = serializers.SerializerMethodField()
    priority_order = serializers.ChoiceField(choices=PriorityOrder.choices)
    travel_together = serializers.CharField()
    included = serializers.CharField()
    excluded = serializers.CharField()

    @extend_schema_field(COUNTRY_LIST_SCHEMA)
    def get_transit(self, agreement: Agreement) -> list[str]:
        return [c.code for c in agreement.transit]


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.ChoiceField(choices=Side.choices)
    candidate_id = serializers.CharField(source="candidate.external_id")
    name = serializers.CharField(source="candidate.name")
    category = serializers.ChoiceField(source="candidate.category", choices=Category.choices)
    seriously_wounded = serializers.BooleanField(source="candidate.seriously_wounded")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    destination = CountryCodeField()
    transit = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=EntryStatus.choices)
    handover_confirmed_at = serializers.DateTimeField(allow_null=True)
    removed_reason = serializers.CharField()

    @extend_schema_field(COUNTRY_LIST_SCHEMA)
    def get_transit(self, entry) -> list[str]:
        return entry.transit_codes


class ExclusionSerializer(serializers.Serializer):
    side = serializers.ChoiceField(source="candidate.side", choices=Side.choices)
    candidate_id = serializers.CharField(source="candidate.external_id")
    reason = serializers.ChoiceField(choices=ExclusionReason.choices)
    detail = serializers.CharField()


class LevelSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.IntegerField()
    bound = serializers.IntegerField()
    optimal = serializers.BooleanField()


class SolverSerializer(serializers.Serializer):
    optimal = serializers.BooleanField(default=False)
    gap = serializers.FloatField(default=0.0)
    seconds = serializers.FloatField(default=0.0)
    levels = LevelSerializer(many=True, default=list)
    unresolved = serializers.ListField(child=serializers.CharField(), default=list)


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=BatchState.choices)
    planned_at = serializers.DateTimeField(allow_null=True)
    solver = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()
    exclusions = serializers.SerializerMethodField()

    @extend_schema_field(SolverSerializer)
    def get_solver(self, batch) -> dict:
        return SolverSerializer(
            {
                "optimal": False,
                "gap": 0.0,
                "seconds": 0.0,
                "levels": [],
                "unresolved": [],
                **batch.solver,
            }  # fmt: skip
        ).data

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, batch) -> list:
        return EntrySerializer(selectors.entries_of(batch), many=True).data

    @extend_schema_field(ExclusionSerializer(many=True))
    def get_exclusions(self, batch) -> list:
        return ExclusionSerializer(selectors.exclusions_of(batch), many=True).data


class TransitionSerializer(StrictSerializer):
    target = serializers.ChoiceField(choices=BatchState.choices)
    reason = serializers.CharField(max_length=2000)


class RefusalSerializer(StrictSerializer):
    statement = serializers.CharField(max_length=20000)
    certainty = serializers.IntegerField(min_value=0, max_value=100, required=False)
    source = serializers.ChoiceField(choices=WillSource.choices, required=False)
    setting = serializers.ChoiceField(choices=InterviewSetting.choices, required=False)
    present = _text(300)
    interpreter = _text(200)
    language = _text(50)


def _batch_read(request: Request, pk: int) -> Response:
    """A batch as the caller may read it now (after a write too, and on a replay)."""
    return Response(BatchSerializer(selectors.batch_get(actor=request.user, pk=pk)).data)


def _entry_read(request: Request, pk: int) -> Response:
    """An entry as the caller may read it now (after a write too, and on a replay)."""
    return Response(EntrySerializer(selectors.entry_get(actor=request.user, pk=pk)).data)


def _step_answer(
    request: Request, write: Callable[[], Any], read: Callable[[Request, int], Response]
) -> Response:
    """A step on a batch or an entry: written once per idempotency key, answered 200 with what
    `read` shows of it now."""
    return idempotent(request, write, lambda pk: read(request, pk), status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(summary="List the exchange agreements you may see",
                       responses=AgreementSerializer(many=True)),
    create=extend_schema(summary="Record an exchange agreement (exchange planner)",
                         request=AgreementCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                         responses={201: AgreementSerializer}),
    retrieve=extend_schema(summary="Read one agreement", parameters=[AGREEMENT_ID],
                           responses={200: AgreementSerializer}),
    plan=extend_schema(summary="Plan a new batch of the agreement (exact, with exclusions)",
                       request=None, parameters=[AGREEMENT_ID, IDEMPOTENCY_KEY],
                       responses={201: BatchSerializer}),
)  # fmt: skip
class AgreementViewSet(ApiViewSet):
    """Exchange agreements of your detaining power (all of them, for the neutral verifier)."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.EXCHANGE_VIEW)
        return self.paginate(
            selectors.agreement_list(actor=request.user), AgreementSerializer, ordering="-id"
        )

    def create(self, request: Request) -> Response:
        require(request.user, Action.EXCHANGE_PLAN)

        def write():
            data = request_body(request, AgreementCreateSerializer)
            return services.agreement_create(actor=request.user, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    def retrieve(self, request: Request, agreement_id: int) -> Response:
        agreement = selectors.agreement_get(actor=request.user, pk=agreement_id)
        return Response(AgreementSerializer(agreement).data)

    @action(detail=True, methods=["post"])
    def plan(self, request: Request, agreement_id: int) -> Response:
        agreement = selectors.agreement_get(
            actor=request.user, pk=agreement_id, action=Action.EXCHANGE_PLAN
        )

        def write():
            request_body(request, StrictSerializer)
            return services.batch_plan(actor=request.user, agreement=agreement)

        return idempotent(request, write, lambda pk: _batch_read(request, pk))


@extend_schema_view(
    retrieve=extend_schema(summary="Read a batch: entries, exclusions with reasons, solver",
                           parameters=[BATCH_ID], responses={200: BatchSerializer}),
    plan=extend_schema(summary="Plan a draft or counter-proposed batch again", request=None,
                       parameters=[BATCH_ID, IDEMPOTENCY_KEY], responses={200: BatchSerializer}),
    transition=extend_schema(summary="Take a workflow step (the guard re-runs towards execution)",
                             request=TransitionSerializer, parameters=[BATCH_ID, IDEMPOTENCY_KEY],
                             responses={200: BatchSerializer}),
)  # fmt: skip
class BatchViewSet(ApiViewSet):
    """Batches: draft → proposed → counter-proposal → agreed → executed."""

    def retrieve(self, request: Request, batch_id: int) -> Response:
        return _batch_read(request, batch_id)

    @action(detail=True, methods=["post"])
    def plan(self, request: Request, batch_id: int) -> Response:
        batch = selectors.batch_get(actor=request.user, pk=batch_id, action=Action.EXCHANGE_PLAN)

        def write():
            request_body(request, StrictSerializer)
            return services.batch_plan(actor=request.user, agreement=batch.agreement, batch=batch)

        return _step_answer(request, write, _batch_read)

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, batch_id: int) -> Response:
        batch = selectors.batch_get(actor=request.user, pk=batch_id, action=Action.EXCHANGE_PLAN)

        def write():
            data = request_body(request, TransitionSerializer)
            if data["target"] == BatchState.EXECUTED:
                recent_authentication_ensure(request)
            return services.batch_step(actor=request.user, batch=batch, **data)

        return _step_answer(request, write, _batch_read)


@extend_schema_view(
    handover=extend_schema(summary="Confirm one entry at the handover", request=None,
                           parameters=[ENTRY_ID, IDEMPOTENCY_KEY],
                           responses={200: EntrySerializer}),
    remove=extend_schema(summary="Take one entry off the batch", request=ReasonSerializer,
                         parameters=[ENTRY_ID, IDEMPOTENCY_KEY], responses={200: EntrySerializer}),
    refusal=extend_schema(
        summary="He refuses at the last moment: off the batch, he stays, his words recorded",
        request=RefusalSerializer, parameters=[ENTRY_ID, IDEMPOTENCY_KEY],
        responses={200: EntrySerializer},
    ),
)  # fmt: skip
class EntryViewSet(ApiViewSet):
    """One person on a batch."""

    @action(detail=True, methods=["post"])
    def handover(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_get(actor=request.user, pk=entry_id, action=Action.EXCHANGE_PLAN)

        def write():
            request_body(request, StrictSerializer)
            recent_authentication_ensure(request)
            return services.entry_handover_confirm(actor=request.user, entry=entry)

        return _step_answer(request, write, _entry_read)

    @action(detail=True, methods=["post"])
    def remove(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_get(actor=request.user, pk=entry_id, action=Action.EXCHANGE_PLAN)

        def write():
            data = request_body(request, ReasonSerializer)
            return services.entry_remove(actor=request.user, entry=entry, reason=data["reason"])

        return _step_answer(request, write, _entry_read)

    @action(detail=True, methods=["post"])
    def refusal(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_get(actor=request.user, pk=entry_id, action=Action.EXCHANGE_REFUSAL)

        def write():
            data = request_body(request, RefusalSerializer)
            done, _will = services.entry_refusal_record(actor=request.user, entry=entry, **data)
            return done

        return _step_answer(request, write, _entry_read)


def routes():
    """The exchange routes, for `safepassage/api/urls.py` (each a plain URLPattern)."""
    from django.urls import path

    return [
        path("exchanges/agreements/", AgreementViewSet.as_view({"get": "list", "post": "create"}),
             name="exchange-agreement-list"),
        path("exchanges/agreements/<id:agreement_id>/",
             AgreementViewSet.as_view({"get": "retrieve"}), name="exchange-agreement-detail"),
        path("exchanges/agreements/<id:agreement_id>/plan/",
             AgreementViewSet.as_view({"post": "plan"}), name="exchange-agreement-plan"),
        path("exchanges/batches/<id:batch_id>/", BatchViewSet.as_view({"get": "retrieve"}),
             name="exchange-batch-detail"),
        path("exchanges/batches/<id:batch_id>/plan/", BatchViewSet.as_view({"post": "plan"}),
             name="exchange-batch-plan"),
        path("exchanges/batches/<id:batch_id>/transition/",
             BatchViewSet.as_view({"post": "transition"}), name="exchange-batch-transition"),
        path("exchanges/entries/<id:entry_id>/handover/",
             EntryViewSet.as_view({"post": "handover"}), name="exchange-entry-handover"),
        path("exchanges/entries/<id:entry_id>/remove/", EntryViewSet.as_view({"post": "remove"}),
             name="exchange-entry-remove"),
        path("exchanges/entries/<id:entry_id>/refusal/",
             EntryViewSet.as_view({"post": "refusal"}), name="exchange-entry-refusal"),
    ]  # fmt: skip
