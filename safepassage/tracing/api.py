"""API of tracing requests (`/api/v1/tracing-requests/`): thin, over the same services and policy
as the pages. Requests of another organisation answer 404; without the role, 403."""

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.policy import Action, require
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    ApiViewSet,
    Cursor,
    path_id,
    query_params,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import CountryCodeField, StrictSerializer
from safepassage.tracing import selectors, services
from safepassage.tracing.models import (
    CANDIDATE_THRESHOLD,
    CandidateStatus,
    Consent,
    DisclosureItem,
    RequesterKind,
    TracingStatus,
)

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _partial_date(**kwargs) -> serializers.CharField:
    return serializers.RegexField(
        PARTIAL_DATE_PATTERN, max_length=10, required=False, allow_blank=True,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, as far as known."), **kwargs,
    )  # fmt: skip


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class TracingRequestCreateSerializer(StrictSerializer):
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    requester_name = serializers.CharField(max_length=200)
    requester_relationship = _text(100)
    requester_contact = _text(2000)
    language = _text(50)
    family_name = _text(200, help_text=_("In any script."))
    given_name = _text(200)
    full_name = _text(300, help_text=_("When the order of the names is unknown."))
    birth_date = _partial_date()
    birth_place = _text(200)
    nationality = CountryCodeField(required=False, allow_blank=True)
    unit = _text(200)
    service_number = _text(64)
    last_seen_place = _text(200)
    last_seen_date = _partial_date()
    circumstances = _text(10000)

    def validate(self, attrs):
        if not any(attrs.get(f, "").strip() for f in ("family_name", "given_name", "full_name")):
            raise serializers.ValidationError(
                {"family_name": [_("Give a name of the person sought, in any script.")]}
            )
        if not attrs["requester_name"].strip():
            raise serializers.ValidationError({"requester_name": [_("Enter the name.")]})
        return attrs


class ExplanationSerializer(serializers.Serializer):
    field = serializers.CharField()
    left = serializers.CharField(help_text=_("As the request has it."))
    right = serializers.CharField(help_text=_("As the registry has it."))
    level = serializers.CharField(help_text=_("The engine's comparison level."))
    weight = serializers.FloatField(help_text=_("log2 Bayes factor: above 0 supports a match."))
    words = serializers.CharField(help_text=_("The comparison in plain words."))


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    registry_number = serializers.CharField(source="person.registry_number")
    names = serializers.SerializerMethodField()
    probability = serializers.FloatField(
        help_text=_("The search's estimate that he is the person sought, 0 to 1."),
    )
    above_threshold = serializers.BooleanField(
        help_text=format_lazy(
            _(
                "Whether the probability reaches the threshold ({threshold}). Candidates below "
                "it are listed too, after those above: less likely — check before contacting "
                "anyone."
            ),
            threshold=CANDIDATE_THRESHOLD,
        ),
    )
    rank = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CandidateStatus.choices)
    reason = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    explanation = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_names(self, candidate) -> list[str]:
        return [name.full_name for name in candidate.person.names.all()]

    @extend_schema_field(ExplanationSerializer(many=True))
    def get_explanation(self, candidate) -> list[dict]:
        return [
            {
                "field": r.field, "left": r.left, "right": r.right, "level": r.level,
                "weight": r.weight, "words": r.words,
            }
            for r in selectors.explanation_in_words(candidate.explanation)
        ]  # fmt: skip


class DisclosureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    items = serializers.ListField(child=serializers.ChoiceField(choices=DisclosureItem.choices))
    consent = serializers.ChoiceField(choices=Consent.choices)
    channel = serializers.CharField()
    message = serializers.CharField()
    informed_by = serializers.CharField(source="informed_by.username")
    informed_at = serializers.DateTimeField()


class TracingRequestSerializer(serializers.Serializer):
    """A tracing request as its handlers see it (requester's contact included: they need it)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=TracingStatus.choices)
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    requester_name = serializers.CharField()
    requester_relationship = serializers.CharField()
    requester_contact = serializers.CharField()
    language = serializers.CharField()
    family_name = serializers.CharField()
    given_name = serializers.CharField()
    full_name = serializers.CharField()
    birth_date = serializers.CharField()
    birth_place = serializers.CharField()
    nationality = serializers.SerializerMethodField()
    unit = serializers.CharField()
    service_number = serializers.CharField()
    last_seen_place = serializers.CharField()
    last_seen_date = serializers.CharField()
    circumstances = serializers.CharField()
    linked_person = serializers.IntegerField(source="linked_person_id", allow_null=True)
    searched_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    disclosures = serializers.SerializerMethodField()

    def get_nationality(self, tracing) -> str:
        return tracing.nationality.code if tracing.nationality else ""

    @extend_schema_field(DisclosureSerializer(many=True))
    def get_disclosures(self, tracing) -> list[dict]:
        return DisclosureSerializer(selectors.disclosures_of(tracing), many=True).data


class StatusFilterSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        choices=TracingStatus.choices, required=False, allow_blank=True
    )
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class VerdictSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class InformSerializer(StrictSerializer):
    consent = serializers.ChoiceField(choices=Consent.choices)
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=DisclosureItem.choices), max_length=10
    )
    channel = _text(100)
    message = _text(10000)


REQUEST_ID = path_id("id", "The tracing request's id.")
REQUEST_OF = path_id("request_id", "The tracing request's id.")
CANDIDATE_ID = path_id("candidate_id", "The candidate's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Tracing requests of your organisation (Central Tracing Agency)",
        parameters=[StatusFilterSerializer], responses=TracingRequestSerializer(many=True),
    ),
    create=extend_schema(
        summary="Record a tracing request", parameters=[IDEMPOTENCY_KEY],
        request=TracingRequestCreateSerializer, responses={201: TracingRequestSerializer},
    ),
    retrieve=extend_schema(
        summary="One tracing request, with what the requester was told",
        parameters=[REQUEST_ID], responses=TracingRequestSerializer,
    ),
    inform=extend_schema(
        summary="Record what the requester was told (never more than his protection allows)",
        parameters=[REQUEST_ID, IDEMPOTENCY_KEY], request=InformSerializer,
        responses={201: DisclosureSerializer},
    ),
)  # fmt: skip
class TracingRequestViewSet(ApiViewSet):
    """Tracing requests: who asks, what is known, and what was told."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        params = query_params(request, StatusFilterSerializer)
        requests = selectors.tracing_request_list(
            actor=request.user, status=params.get("status", "")
        )
        return self.paginate(
            requests, TracingRequestSerializer, ordering="-id",
            shown=lambda page: selectors.requester_contacts_shown(
                actor=request.user, requests=selectors.with_disclosures(page)
            ),
        )  # fmt: skip

    def create(self, request: Request) -> Response:
        require(request.user, Action.TRACING_HANDLE)

        def write():
            data = request_body(request, TracingRequestCreateSerializer)
            return services.tracing_request_record(actor=request.user, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    def retrieve(self, request: Request, pk: int) -> Response:
        tracing = selectors.tracing_request_for(request.user, pk)
        selectors.requester_contacts_shown(actor=request.user, requests=[tracing])
        return Response(TracingRequestSerializer(tracing).data)

    @action(detail=True, methods=["post"])
    def inform(self, request: Request, pk: int) -> Response:
        require(request.user, Action.TRACING_INFORM)
        tracing = selectors.tracing_request_for(request.user, pk)

        def write():
            data = request_body(request, InformSerializer)
            return services.tracing_requester_inform(actor=request.user, request=tracing, **data)

        def read(disclosure_id: int) -> Response:
            fresh = selectors.tracing_request_for(request.user, pk)
            disclosure = get_object_or_404(selectors.disclosures_of(fresh), pk=disclosure_id)
            return Response(DisclosureSerializer(disclosure).data)

        return idempotent(request, write, read)


@extend_schema_view(
    list=extend_schema(
        summary="The request's candidates, best first, with per-field explanations: those "
        "above the threshold, then those below it",
        parameters=[REQUEST_OF], responses=CandidateSerializer(many=True),
    ),
    create=extend_schema(
        summary="Search the registry again (only persons you may see are ranked)",
        parameters=[REQUEST_OF, IDEMPOTENCY_KEY], request=None,
        responses={200: CandidateSerializer(many=True)},
    ),
    confirm=extend_schema(
        summary="Confirm: this registered person is the man sought (reason required)",
        parameters=[REQUEST_OF, CANDIDATE_ID, IDEMPOTENCY_KEY], request=VerdictSerializer,
        responses={200: CandidateSerializer},
    ),
    reject=extend_schema(
        summary="Reject: not him (reason required)",
        parameters=[REQUEST_OF, CANDIDATE_ID, IDEMPOTENCY_KEY], request=VerdictSerializer,
        responses={200: CandidateSerializer},
    ),
)  # fmt: skip
class TracingCandidateViewSet(ApiViewSet):
    """Registered persons proposed for a request, and the reviewer's verdicts."""

    def _request(self):
        return selectors.tracing_request_for(self.request.user, self.kwargs["request_id"])

    def _candidates(self, tracing):
        return selectors.candidates_of(actor=self.request.user, request=tracing)

    def list(self, request: Request, request_id: int) -> Response:
        tracing = self._request()
        return Response(CandidateSerializer(self._candidates(tracing), many=True).data)

    def create(self, request: Request, request_id: int) -> Response:
        tracing = self._request()

        def write():
            request_body(request, StrictSerializer)
            services.tracing_request_search(actor=request.user, request=tracing)
            return tracing

        return idempotent(
            request, write, lambda pk: self.list(request, pk), status=status.HTTP_200_OK
        )

    def _verdict(self, request: Request, candidate_id: int, service) -> Response:
        tracing = self._request()
        candidate = selectors.candidate_for(request.user, tracing, candidate_id)

        def write():
            data = request_body(request, VerdictSerializer)
            service(actor=request.user, candidate=candidate, reason=data["reason"])
            return candidate

        def read(pk: int) -> Response:
            fresh = selectors.candidate_for(request.user, self._request(), pk)
            return Response(CandidateSerializer(fresh).data)

        return idempotent(request, write, read, status=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, request_id: int, candidate_id: int) -> Response:
        return self._verdict(request, candidate_id, services.tracing_candidate_confirm)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, request_id: int, candidate_id: int) -> Response:
        return self._verdict(request, candidate_id, services.tracing_candidate_reject)


def routes() -> list[URLPattern]:
    """The tracing routes, for `safepassage/api/urls.py`."""
    request = "tracing-requests/<id:request_id>/candidates/"
    return [
        path("tracing-requests/", TracingRequestViewSet.as_view({"get": "list", "post": "create"}),
             name="tracing-request-list"),
        path("tracing-requests/<id:pk>/", TracingRequestViewSet.as_view({"get": "retrieve"}),
             name="tracing-request-detail"),
        path("tracing-requests/<id:pk>/inform/",
             TracingRequestViewSet.as_view({"post": "inform"}), name="tracing-request-inform"),
        path(request, TracingCandidateViewSet.as_view({"get": "list", "post": "create"}),
             name="tracing-candidates"),
        path(f"{request}<id:candidate_id>/confirm/",
             TracingCandidateViewSet.as_view({"post": "confirm"}),
             name="tracing-candidate-confirm"),
        path(f"{request}<id:candidate_id>/reject/",
             TracingCandidateViewSet.as_view({"post": "reject"}), name="tracing-candidate-reject"),
    ]  # fmt: skip
