"""API of cases (`/api/v1/persons/<id>/...` and `/api/v1/transfers/`): will expressions,
assessments, decisions, acceptances, steps, legal representation and transfers, thin over the
same selectors and services as the pages. Persons a caller may not see answer 404; actions he
may not take on a person he sees, 403."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, require
from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.api.authentication import recent_authentication_ensure
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    PERSON_ID,
    ApiViewSet,
    Cursor,
    path_id,
    person_records_schema,
    query_params,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import ReasonSerializer
from safepassage.cases import selectors, services
from safepassage.cases import serializers as s
from safepassage.cases.models import Transfer, WillExpression
from safepassage.registry.api import person_response
from safepassage.registry.models import Person
from safepassage.registry.serializers import PersonSerializer

WILL_ID = path_id("will_id", "The will expression's id.")
TRANSFER_ID = path_id("id", "The transfer's id.")


# --- will expressions -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="His will expressions, oldest first (masked to your need to know)",
        parameters=[PERSON_ID], responses=s.WillSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One will expression", parameters=[PERSON_ID, WILL_ID],
        responses=s.WillSerializer,
    ),
    create=extend_schema(
        summary="Record a will expression (verified only for a neutral verifier's private "
        "interview)",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.WillCreateSerializer,
        responses={201: s.WillSerializer},
    ),
    withdraw=extend_schema(
        summary="Withdraw a will expression recorded in error (the recording verifier)",
        parameters=[PERSON_ID, WILL_ID, IDEMPOTENCY_KEY], request=ReasonSerializer,
        responses={200: s.WillSerializer},
    ),
)  # fmt: skip
class WillViewSet(ApiViewSet):
    """What he said he wants. Null fields are outside your need to know."""

    def list(self, request: Request, person_id: int) -> Response:
        read = selectors.will_expressions_read(actor=request.user, person=self.person())
        return Response(s.WillSerializer(read.wills, many=True, context=read.context).data)

    def retrieve(self, request: Request, person_id: int, will_id: int) -> Response:
        read = selectors.will_expressions_read(actor=request.user, person=self.person(), pk=will_id)
        return Response(s.WillSerializer(read.wills[0], context=read.context).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.WILL_RECORD)

        def write() -> WillExpression:
            data = request_body(request, s.WillCreateSerializer)
            return services.will_expression_record(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, person_id, pk))

    @action(detail=False, methods=["post"])
    def withdraw(self, request: Request, person_id: int, will_id: int) -> Response:
        person = self.person(Action.WILL_WITHDRAW)
        will = get_object_or_404(WillExpression, pk=will_id, person=person)

        def write() -> WillExpression:
            data = request_body(request, ReasonSerializer)
            return services.will_expression_withdraw(
                actor=request.user, will=will, reason=data["reason"]
            )

        return idempotent(
            request,
            write,
            lambda pk: self.retrieve(request, person_id, pk),
            status=status.HTTP_200_OK,
        )


# --- assessments, decisions, acceptances, steps, legal representation -------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Risk assessments of states for him, oldest first", parameters=[PERSON_ID],
        responses=s.AssessmentSerializer(many=True),
    ),
    create=extend_schema(
        summary="Assess one state as destination and transit (legal officer)",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    ),
    concur=extend_schema(
        summary="Concur with an assessment that lowers a risk found high (legal officer of the "
                "other kind of organisation: four eyes)",
        parameters=[PERSON_ID, path_id("assessment_id", "The assessment's id."), IDEMPOTENCY_KEY],
        request=ReasonSerializer, responses=s.AssessmentSerializer,
    ),
)  # fmt: skip
class AssessmentViewSet(ApiViewSet):
    """Legal risk assessments of states, as destination and transit; `basis` needs to know."""

    def list(self, request: Request, person_id: int) -> Response:
        read = selectors.assessments_read(actor=request.user, person=self.person())
        return Response(
            s.AssessmentSerializer(read.assessments, many=True, context=read.context).data
        )

    def _one(self, pk: int) -> Response:
        """One assessment, as the list shows it to the caller now (its read audited)."""
        read = selectors.assessments_read(actor=self.request.user, person=self.person(), pk=pk)
        return Response(s.AssessmentSerializer(read.assessments[0], context=read.context).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.ASSESS)

        def write():
            data = request_body(request, s.AssessmentCreateSerializer)
            return services.risk_assessment_record(actor=request.user, person=person, **data)

        return idempotent(request, write, self._one)

    @action(detail=False, methods=["post"])
    def concur(self, request: Request, person_id: int, assessment_id: int) -> Response:
        person = self.person(Action.ASSESS)
        assessment = get_object_or_404(selectors.assessments_of(person), pk=assessment_id)

        def write():
            data = request_body(request, ReasonSerializer)
            return services.risk_assessment_concur(
                actor=request.user, assessment=assessment, reason=data["reason"]
            )

        return idempotent(request, write, self._one, status=status.HTTP_200_OK)


class _CaseRecordViewSet(ApiViewSet):
    """A kind of record of his case, listed oldest first and created by one service: the
    subclass names its rows, its shapes, the action it needs and its write (or its `record`)."""

    records_of: Callable[[Person], QuerySet]
    serializer: type[serializers.Serializer]
    create_serializer: type[serializers.Serializer]
    create_action: Action = Action.PERSON_VIEW
    write: Callable[..., Model]

    def record(self, person: Person, data: dict) -> Model:
        """The new record: the subclass's `write` service, by the caller, for him."""
        return self.write(actor=self.request.user, person=person, **data)

    def writable_person(self) -> Person:
        """The person the caller writes the record for (404 unseen, 403 not allowed)."""
        return self.person(self.create_action)

    def list(self, request: Request, person_id: int) -> Response:
        return Response(self.serializer(self.records_of(self.person()), many=True).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.writable_person()
        return idempotent(
            request,
            lambda: self.record(person, request_body(request, self.create_serializer)),
            self._one,
        )

    def _one(self, pk: int) -> Response:
        row = get_object_or_404(self.records_of(self.person()), pk=pk)
        return Response(self.serializer(row).data)


@person_records_schema(
    listed="Decisions on where he goes, oldest first",
    created="Take a decision (decision maker of the detaining power); the guard checks it",
    shape=s.DecisionSerializer,
    create_shape=s.DecisionCreateSerializer,
)
class DecisionViewSet(_CaseRecordViewSet):
    """Decisions on where he goes; the non-refoulement guard checks each."""

    records_of = staticmethod(selectors.decisions_of)
    serializer = s.DecisionSerializer
    create_serializer = s.DecisionCreateSerializer
    create_action = Action.DECIDE
    write = staticmethod(services.decision_take)


@person_records_schema(
    listed="Acceptances by receiving states",
    created="Accept him (the receiving state named in the decision)",
    shape=s.AcceptanceSerializer,
    create_shape=s.AcceptanceCreateSerializer,
)
class AcceptanceViewSet(_CaseRecordViewSet):
    """Acceptance by the receiving state named in the decision."""

    records_of = staticmethod(selectors.acceptances_of)
    serializer = s.AcceptanceSerializer
    create_serializer = s.AcceptanceCreateSerializer
    create_action = Action.ACCEPT
    write = staticmethod(services.acceptance_record)

    @extend_schema(
        summary="Decline him (the receiving state named in the decision): the case returns to "
                "the legal assessment for a new decision",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=ReasonSerializer,
        responses={201: s.DeclinationSerializer},
    )  # fmt: skip
    @action(detail=False, methods=["post"])
    def decline(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.DECLINE)

        def write() -> Model:
            data = request_body(request, ReasonSerializer)
            return services.acceptance_decline(
                actor=request.user, person=person, reason=data["reason"]
            )

        def answer(pk: int) -> Response:
            declination = get_object_or_404(selectors.declinations_of(self.person()), pk=pk)
            return Response(s.DeclinationSerializer(declination).data)

        return idempotent(request, write, answer)


@person_records_schema(
    listed="The case's history of steps, oldest first",
    created="Take a plain workflow step (notification, interview request, release, …)",
    shape=s.TransitionSerializer,
    create_shape=s.TransitionCreateSerializer,
)
class TransitionViewSet(_CaseRecordViewSet):
    """The case workflow: its history, and the plain steps (those without a record of their own)."""

    records_of = staticmethod(selectors.transitions_of)
    serializer = s.TransitionSerializer
    create_serializer = s.TransitionCreateSerializer

    def writable_person(self) -> Person:
        person = self.person()
        if not selectors.case_steps_for(
            actor=self.request.user, person=person
        ).may_take_plain_steps:
            raise PermissionDenied
        return person

    def record(self, person: Person, data: dict) -> Model:
        data = dict(data)
        case = services.case_transition(
            actor=self.request.user, person=person, target=data.pop("to_state"),
            reason=data.pop("reason"), confirmed=data.pop("confirm"), **data,
        )  # fmt: skip
        return case.transitions.order_by("-id").first()

    @extend_schema(
        summary="Correct a death, release, escape or closure recorded in error (registrar of "
                "the detaining power): the case returns to the state before it",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=ReasonSerializer,
        responses={201: s.TransitionSerializer},
    )  # fmt: skip
    @action(detail=False, methods=["post"])
    def correct(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.CASE_CORRECT)

        def write() -> Model:
            data = request_body(request, ReasonSerializer)
            return services.case_correct(actor=request.user, person=person, reason=data["reason"])

        return idempotent(request, write, self._one)


class LegalOrganisationView(APIView):
    """The legal / protection NGO that represents him (sees his case and statements)."""

    @extend_schema(
        summary="Assign (or remove, with null) the legal / protection NGO representing him",
        parameters=[PERSON_ID], request=s.LegalOrganisationSerializer,
        responses={200: PersonSerializer},
    )  # fmt: skip
    def put(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, action=Action.LEGAL_ASSIGN, pk=person_id)
        data = request_body(request, s.LegalOrganisationSerializer)
        organisation = None
        if data["organisation"] is not None:
            organisation = Organisation.objects.filter(
                pk=data["organisation"], kind=OrganisationKind.LEGAL_NGO
            ).first()
            if organisation is None:
                raise serializers.ValidationError(
                    {"organisation": [_("No legal / protection NGO has this id.")]}
                )
        services.legal_organisation_assign(
            actor=request.user, person=person, organisation=organisation
        )
        return person_response(request, person)


# --- transfers --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Transfers of the persons you may see",
        parameters=[s.TransferFilterSerializer], responses=s.TransferSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One transfer", parameters=[TRANSFER_ID], responses=s.TransferSerializer
    ),
    create=extend_schema(
        summary="Schedule the decided transfer (exchange planner); the guard checks the route",
        parameters=[IDEMPOTENCY_KEY], request=s.TransferCreateSerializer,
        responses={201: s.TransferSerializer},
    ),
    execute=extend_schema(
        summary="Record the transfer as done, with the facts of the handover and `confirm`: "
                "true (it cannot be undone); the guard checks the route again",
        parameters=[TRANSFER_ID, IDEMPOTENCY_KEY], request=s.TransferExecuteSerializer,
        responses={200: s.TransferSerializer},
    ),
    cancel=extend_schema(
        summary="Call off a scheduled transfer", parameters=[TRANSFER_ID, IDEMPOTENCY_KEY],
        request=ReasonSerializer, responses={200: s.TransferSerializer},
    ),
)  # fmt: skip
class TransferViewSet(ApiViewSet):
    """Transfers: scheduled, executed or cancelled, each behind the non-refoulement guard."""

    pagination_class = Cursor

    def _transfer(self, pk: int, action_: Action | None = None) -> Transfer:
        """The transfer of a person the caller sees (else 404) if he may do `action_` (else 403)."""
        transfer = get_object_or_404(selectors.transfer_list(actor=self.request.user), pk=pk)
        if action_ is not None:
            require(self.request.user, action_, transfer.person)
        return transfer

    def _done(self, request: Request, write: Callable[[], Transfer]) -> Response:
        """A step on a transfer, answered with the transfer as it is now."""
        return idempotent(
            request, write, lambda pk: self.retrieve(request, pk), status=status.HTTP_200_OK
        )

    def list(self, request: Request) -> Response:
        params = query_params(request, s.TransferFilterSerializer)
        transfers = selectors.transfer_list(actor=request.user, filters=params)
        return self.paginate(transfers, s.TransferSerializer, ordering="-id")

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(s.TransferSerializer(self._transfer(pk)).data)

    def create(self, request: Request) -> Response:
        def write() -> Transfer:
            data = dict(request_body(request, s.TransferCreateSerializer))
            person = person_for(
                request.user, action=Action.TRANSFER_SCHEDULE, pk=data.pop("person")
            )
            recent_authentication_ensure(request)
            return services.transfer_schedule(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: int) -> Response:
        transfer = self._transfer(pk, Action.TRANSFER_EXECUTE)

        def write() -> Transfer:
            recent_authentication_ensure(request)
            data = dict(request_body(request, s.TransferExecuteSerializer))
            return services.transfer_execute(
                actor=request.user, transfer=transfer, confirmed=data.pop("confirm"), **data
            )

        return self._done(request, write)

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        transfer = self._transfer(pk, Action.TRANSFER_SCHEDULE)

        def write() -> Transfer:
            data = request_body(request, ReasonSerializer)
            return services.transfer_cancel(
                actor=request.user, transfer=transfer, reason=data["reason"]
            )

        return self._done(request, write)


def routes() -> list[URLPattern]:
    """The cases' routes, for `safepassage/api/urls.py`."""
    person = "persons/<id:person_id>/"
    listed = {"get": "list", "post": "create"}
    return [
        path(f"{person}will-expressions/", WillViewSet.as_view(listed), name="will-list"),
        path(f"{person}will-expressions/<id:will_id>/",
             WillViewSet.as_view({"get": "retrieve"}), name="will-detail"),
        path(f"{person}will-expressions/<id:will_id>/withdraw/",
             WillViewSet.as_view({"post": "withdraw"}), name="will-withdraw"),
        path(f"{person}assessments/", AssessmentViewSet.as_view(listed), name="assessments"),
        path(f"{person}assessments/<id:assessment_id>/concur/",
             AssessmentViewSet.as_view({"post": "concur"}), name="assessment-concur"),
        path(f"{person}decisions/", DecisionViewSet.as_view(listed), name="decisions"),
        path(f"{person}acceptances/", AcceptanceViewSet.as_view(listed), name="acceptances"),
        path(f"{person}acceptances/decline/", AcceptanceViewSet.as_view({"post": "decline"}),
             name="acceptance-decline"),
        path(f"{person}transitions/", TransitionViewSet.as_view(listed), name="transitions"),
        path(f"{person}transitions/correct/", TransitionViewSet.as_view({"post": "correct"}),
             name="transition-correct"),
        path(f"{person}legal-organisation/", LegalOrganisationView.as_view(),
             name="legal-organisation"),
        path("transfers/", TransferViewSet.as_view(listed), name="transfer-list"),
        path("transfers/<id:pk>/", TransferViewSet.as_view({"get": "retrieve"}),
             name="transfer-detail"),
        path("transfers/<id:pk>/execute/", TransferViewSet.as_view({"post": "execute"}),
             name="transfer-execute"),
        path("transfers/<id:pk>/cancel/", TransferViewSet.as_view({"post": "cancel"}),
             name="transfer-cancel"),
    ]  # fmt: skip
