"""API views: thin, like the web views. Ask the policy, parse, call one service, show the result.

Persons a caller may not see answer 404; actions he may not take on a person he sees, 403. The
services raise `DomainError` (and the guard `NonRefoulementViolation`); `problems` turns every
error into `application/problem+json`.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from safepassage.access.policy import Action, can, has_any_role_for, person_for, require
from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.api import serializers as s
from safepassage.api.authentication import recent_authentication_ensure
from safepassage.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from safepassage.api.idempotency import idempotent
from safepassage.api.problems import PROBLEM_TYPES, ProblemException
from safepassage.audit import selectors as audit_selectors
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.cases import selectors as case_selectors
from safepassage.cases import services as case_services
from safepassage.cases import workflow
from safepassage.cases.models import Case, Transfer, WillExpression
from safepassage.cases.selectors import NeedToKnow
from safepassage.registry import selectors as registry_selectors
from safepassage.registry import services as registry_services
from safepassage.registry.models import Person

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": s.MAX_ID}


def _path_id(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, ID_SCHEMA, OpenApiParameter.PATH, description=description)


PERSON_ID = _path_id("person_id", "The person's id.")
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
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": '^(W/)?"[0-9]+"$'},
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the person as you read it, e.g. `"3"`.',
)


def _etag(person: Person) -> dict[str, str]:
    return {"ETag": f'"{person.version}"'}


def _query(request: Request, serializer_class) -> dict:
    """Validated query parameters; unknown or malformed ones are a 400 problem."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body(request: Request, serializer_class, **kwargs) -> dict:
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
    """Base of every resource: the caller's persons come from the policy, nowhere else."""

    def person(self, action_: Action = Action.PERSON_VIEW) -> Person:
        return person_for(self.request.user, action=action_, pk=self.kwargs["person_id"])

    def paginate(
        self, queryset, serializer_class, *, ordering: str, context=None, reads=None, shown=None
    ) -> Response:
        """One page; `shown(page)` gives its rows as the caller may see them (masked), and
        `reads(page)` lists the sensitive values the page shows, to audit."""
        paginator = Cursor()
        paginator.ordering = ordering
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        if shown is not None:
            page = shown(page)
        data = serializer_class(page, many=True, context=context or {}).data
        if reads is not None:
            sensitive_reads_record(actor=self.request.user, reads=reads(page))
        return paginator.get_paginated_response(data)


# --- persons ----------------------------------------------------------------------------------


def _person_context(user, person: Person | None = None) -> dict:
    if person is None:
        # Listed persons are visible by construction, so the role alone decides.
        return {"see_next_of_kin": has_any_role_for(user, Action.NEXT_OF_KIN_VIEW)}
    return {"see_next_of_kin": can(user, Action.NEXT_OF_KIN_VIEW, person)}


def _next_of_kin_reads(context: dict, persons) -> list[SensitiveRead]:
    if not context["see_next_of_kin"]:
        return []
    return [SensitiveRead(p, "next_of_kin") for p in persons if p.next_of_kin]


def _person_out(user, person: Person) -> dict:
    person = Person.objects.select_related("case").prefetch_related("names").get(pk=person.pk)
    context = _person_context(user, person)
    data = s.PersonSerializer(person, context=context).data
    sensitive_reads_record(actor=user, reads=_next_of_kin_reads(context, [person]))
    return data


@extend_schema_view(
    list=extend_schema(
        summary="List the persons you may see",
        parameters=[s.PersonFilterSerializer],
        responses=s.PersonSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Read one person",
        parameters=[_path_id("id", "The person's id.")],
        responses={200: s.PersonSerializer},
    ),
    create=extend_schema(
        summary="Register a prisoner of war (registrar of the detaining power)",
        request=s.PersonCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.PersonSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit identity fields (needs If-Match)",
        request=s.PersonFieldsSerializer,
        parameters=[_path_id("id", "The person's id."), IF_MATCH],
        responses={200: s.PersonSerializer},
    ),
)
class PersonViewSet(ApiViewSet):
    """Prisoners of war in the registry, as far as your organisation may see them."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        params = _query(request, s.PersonFilterSerializer)
        filters = {
            "status": params.get("status"),
            "nationality": params.get("nationality"),
            "internment_place": params.get("place"),
        }
        persons = registry_selectors.person_list(
            actor=request.user, query=params.get("q", ""), filters=filters
        )
        if number := params.get("registry_number"):
            persons = persons.filter(registry_number=number)
        context = _person_context(request.user)
        return self.paginate(
            persons,
            s.PersonSerializer,
            ordering=params.get("ordering") or "registry_number",
            context=context,
            reads=lambda page: _next_of_kin_reads(context, page),
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        person = person_for(request.user, pk=pk)
        return Response(_person_out(request.user, person), headers=_etag(person))

    def create(self, request: Request) -> Response:
        require(request.user, Action.PERSON_REGISTER)

        def write() -> Person:
            data = dict(_body(request, s.PersonCreateSerializer))
            names = [registry_services.NameInput(**name) for name in data.pop("names")]
            return registry_services.person_register(actor=request.user, names=names, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    def partial_update(self, request: Request, pk: int) -> Response:
        person = person_for(request.user, action=Action.PERSON_EDIT, pk=pk)
        expected = _if_match(request, person)
        data = _body(request, s.PersonFieldsSerializer)
        person = registry_services.person_update(
            actor=request.user, person=person, expected_version=expected, **data
        )
        return Response(_person_out(request.user, person), headers=_etag(person))


def _if_match(request: Request, person: Person) -> int:
    """The version the caller read; 428 without If-Match, 412 when it is not current."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise ProblemException("precondition-required")
    versions = set()
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/")
        if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            versions.add(int(tag[1:-1]))
    if person.version not in versions:
        raise ProblemException(
            "precondition-failed",
            _(
                "The record is at version %(version)s; you sent If-Match: %(sent)s. GET it again, "
                "check the changes and retry with its ETag."
            )
            % {"version": person.version, "sent": header[:100]},
            headers=_etag(person),
        )
    return person.version


@extend_schema_view(
    list=extend_schema(
        summary="The ways his name is written", parameters=[PERSON_ID],
        responses=s.NameSerializer(many=True),
    ),
    create=extend_schema(
        summary="Add a name (another script, romanization or assumed identity)",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.NameSerializer,
        responses={201: s.NameSerializer},
    ),
)  # fmt: skip
class PersonNameViewSet(ApiViewSet):
    """Every way his name is written: scripts, romanizations, assumed identities."""

    def list(self, request: Request, person_id: int) -> Response:
        return Response(s.NameSerializer(self.person().names.all(), many=True).data)

    def _one(self, pk: int) -> Response:
        """One name, as the list shows it to the caller now."""
        return Response(s.NameSerializer(get_object_or_404(self.person().names, pk=pk)).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.PERSON_EDIT)

        def write():
            data = _body(request, s.NameSerializer)
            return registry_services.person_name_add(
                actor=request.user, person=person, name=registry_services.NameInput(**data)
            )

        return idempotent(request, write, self._one)


# --- will expressions -------------------------------------------------------------------------


def _will_context(user, person: Person) -> dict:
    case = Case.objects.filter(person=person).first()
    return {
        "ntk": NeedToKnow.of(user, person),
        "governing_will_id": case.governing_will_id if case else None,
    }


WILL_ID = _path_id("will_id", "The will expression's id.")


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
        parameters=[PERSON_ID, WILL_ID, IDEMPOTENCY_KEY], request=s.ReasonSerializer,
        responses={200: s.WillSerializer},
    ),
)  # fmt: skip
class WillViewSet(ApiViewSet):
    """What he said he wants. Null fields are outside your need to know."""

    def _out(self, person: Person, will, **kwargs) -> Response:
        context = _will_context(self.request.user, person)
        data = s.WillSerializer(will, context=context).data
        reads = case_selectors.sensitive_reads_of(context["ntk"], wills=[will])
        sensitive_reads_record(actor=self.request.user, reads=reads)
        return Response(data, **kwargs)

    def list(self, request: Request, person_id: int) -> Response:
        person = self.person()
        wills = list(case_selectors.will_expressions_of(person).select_related("person"))
        context = _will_context(request.user, person)
        data = s.WillSerializer(wills, many=True, context=context).data
        reads = case_selectors.sensitive_reads_of(context["ntk"], wills=wills)
        sensitive_reads_record(actor=request.user, reads=reads)
        return Response(data)

    def retrieve(self, request: Request, person_id: int, will_id: int) -> Response:
        person = self.person()
        return self._out(person, get_object_or_404(WillExpression, pk=will_id, person=person))

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.WILL_RECORD)

        def write() -> WillExpression:
            data = _body(request, s.WillCreateSerializer)
            return case_services.will_expression_record(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, person_id, pk))

    @action(detail=False, methods=["post"])
    def withdraw(self, request: Request, person_id: int, will_id: int) -> Response:
        person = self.person(Action.WILL_WITHDRAW)
        will = get_object_or_404(WillExpression, pk=will_id, person=person)

        def write() -> WillExpression:
            data = _body(request, s.ReasonSerializer)
            return case_services.will_expression_withdraw(
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
        parameters=[PERSON_ID, _path_id("assessment_id", "The assessment's id."), IDEMPOTENCY_KEY],
        request=s.ReasonSerializer, responses=s.AssessmentSerializer,
    ),
)  # fmt: skip
class AssessmentViewSet(ApiViewSet):
    """Legal risk assessments of states, as destination and transit; `basis` needs to know."""

    def _context(self, person):
        return {"ntk": NeedToKnow.of(self.request.user, person)}

    def _reads(self, context, assessments) -> None:
        reads = case_selectors.sensitive_reads_of(context["ntk"], assessments=assessments)
        sensitive_reads_record(actor=self.request.user, reads=reads)

    def list(self, request: Request, person_id: int) -> Response:
        person = self.person()
        assessments = list(case_selectors.assessments_of(person).select_related("person"))
        context = self._context(person)
        data = s.AssessmentSerializer(assessments, many=True, context=context).data
        self._reads(context, assessments)
        return Response(data)

    def _one(self, pk: int) -> Response:
        """One assessment, as the list shows it to the caller now (its read audited)."""
        person = self.person()
        assessment = get_object_or_404(
            case_selectors.assessments_of(person).select_related("person"), pk=pk
        )
        context = self._context(person)
        data = s.AssessmentSerializer(assessment, context=context).data
        self._reads(context, [assessment])
        return Response(data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.ASSESS)

        def write():
            data = _body(request, s.AssessmentCreateSerializer)
            return case_services.risk_assessment_record(actor=request.user, person=person, **data)

        return idempotent(request, write, self._one)

    @action(detail=False, methods=["post"])
    def concur(self, request: Request, person_id: int, assessment_id: int) -> Response:
        person = self.person(Action.ASSESS)
        assessment = get_object_or_404(case_selectors.assessments_of(person), pk=assessment_id)

        def write():
            data = _body(request, s.ReasonSerializer)
            return case_services.risk_assessment_concur(
                actor=request.user, assessment=assessment, reason=data["reason"]
            )

        return idempotent(request, write, self._one, status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(
        summary="Decisions on where he goes, oldest first", parameters=[PERSON_ID],
        responses=s.DecisionSerializer(many=True),
    ),
    create=extend_schema(
        summary="Take a decision (decision maker of the detaining power); the guard checks it",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.DecisionCreateSerializer,
        responses={201: s.DecisionSerializer},
    ),
)  # fmt: skip
class DecisionViewSet(ApiViewSet):
    """Decisions on where he goes; the non-refoulement guard checks each."""

    def list(self, request: Request, person_id: int) -> Response:
        decisions = case_selectors.decisions_of(self.person())
        return Response(s.DecisionSerializer(decisions, many=True).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.DECIDE)

        def write():
            data = _body(request, s.DecisionCreateSerializer)
            return case_services.decision_take(actor=request.user, person=person, **data)

        return idempotent(request, write, self._one)

    def _one(self, pk: int) -> Response:
        decision = get_object_or_404(case_selectors.decisions_of(self.person()), pk=pk)
        return Response(s.DecisionSerializer(decision).data)


@extend_schema_view(
    list=extend_schema(
        summary="Acceptances by receiving states", parameters=[PERSON_ID],
        responses=s.AcceptanceSerializer(many=True),
    ),
    create=extend_schema(
        summary="Accept him (the receiving state named in the decision)",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.AcceptanceCreateSerializer,
        responses={201: s.AcceptanceSerializer},
    ),
)  # fmt: skip
class AcceptanceViewSet(ApiViewSet):
    """Acceptance by the receiving state named in the decision."""

    def list(self, request: Request, person_id: int) -> Response:
        acceptances = case_selectors.acceptances_of(self.person())
        return Response(s.AcceptanceSerializer(acceptances, many=True).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person(Action.ACCEPT)

        def write():
            data = _body(request, s.AcceptanceCreateSerializer)
            return case_services.acceptance_record(actor=request.user, person=person, **data)

        return idempotent(request, write, self._one)

    def _one(self, pk: int) -> Response:
        acceptance = get_object_or_404(case_selectors.acceptances_of(self.person()), pk=pk)
        return Response(s.AcceptanceSerializer(acceptance).data)


@extend_schema_view(
    list=extend_schema(
        summary="The case's history of steps, oldest first", parameters=[PERSON_ID],
        responses=s.TransitionSerializer(many=True),
    ),
    create=extend_schema(
        summary="Take a plain workflow step (notification, interview request, release, …)",
        parameters=[PERSON_ID, IDEMPOTENCY_KEY], request=s.TransitionCreateSerializer,
        responses={201: s.TransitionSerializer},
    ),
)  # fmt: skip
class TransitionViewSet(ApiViewSet):
    """The case workflow: its history, and the plain steps (those without a record of their own)."""

    def list(self, request: Request, person_id: int) -> Response:
        transitions = case_selectors.transitions_of(self.person())
        return Response(s.TransitionSerializer(transitions, many=True).data)

    def create(self, request: Request, person_id: int) -> Response:
        person = self.person()
        if not workflow.may_take_any_step(request.user):
            raise PermissionDenied

        def write():
            data = _body(request, s.TransitionCreateSerializer)
            case = case_services.case_transition(
                actor=request.user, person=person, target=data["to_state"], reason=data["reason"]
            )
            return case.transitions.order_by("-id").first()

        return idempotent(request, write, self._one)

    def _one(self, pk: int) -> Response:
        row = get_object_or_404(case_selectors.transitions_of(self.person()), pk=pk)
        return Response(s.TransitionSerializer(row).data)


class LegalOrganisationView(APIView):
    """The legal / protection NGO that represents him (sees his case and statements)."""

    @extend_schema(
        summary="Assign (or remove, with null) the legal / protection NGO representing him",
        parameters=[PERSON_ID], request=s.LegalOrganisationSerializer,
        responses={200: s.PersonSerializer},
    )  # fmt: skip
    def put(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, action=Action.LEGAL_ASSIGN, pk=person_id)
        data = _body(request, s.LegalOrganisationSerializer)
        organisation = None
        if data["organisation"] is not None:
            organisation = Organisation.objects.filter(
                pk=data["organisation"], kind=OrganisationKind.LEGAL_NGO
            ).first()
            if organisation is None:
                raise serializers.ValidationError(
                    {"organisation": [_("No legal / protection NGO has this id.")]}
                )
        case_services.legal_organisation_assign(
            actor=request.user, person=person, organisation=organisation
        )
        person.refresh_from_db()
        return Response(_person_out(request.user, person), headers=_etag(person))


# --- transfers --------------------------------------------------------------------------------

TRANSFER_ID = _path_id("id", "The transfer's id.")


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
        summary="Record the transfer as done; the guard checks the route again",
        parameters=[TRANSFER_ID, IDEMPOTENCY_KEY], request=None,
        responses={200: s.TransferSerializer},
    ),
    cancel=extend_schema(
        summary="Call off a scheduled transfer", parameters=[TRANSFER_ID, IDEMPOTENCY_KEY],
        request=s.ReasonSerializer, responses={200: s.TransferSerializer},
    ),
)  # fmt: skip
class TransferViewSet(ApiViewSet):
    """Transfers: scheduled, executed or cancelled, each behind the non-refoulement guard."""

    pagination_class = Cursor

    def _transfer(self, pk: int, action_: Action | None = None) -> Transfer:
        """The transfer of a person the caller sees (else 404) if he may do `action_` (else 403)."""
        transfer = get_object_or_404(case_selectors.transfer_list(actor=self.request.user), pk=pk)
        if action_ is not None:
            require(self.request.user, action_, transfer.person)
        return transfer

    def list(self, request: Request) -> Response:
        params = _query(request, s.TransferFilterSerializer)
        transfers = case_selectors.transfer_list(actor=request.user, filters=params)
        return self.paginate(transfers, s.TransferSerializer, ordering="-id")

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(s.TransferSerializer(self._transfer(pk)).data)

    def create(self, request: Request) -> Response:
        def write() -> Transfer:
            data = dict(_body(request, s.TransferCreateSerializer))
            person = person_for(
                request.user, action=Action.TRANSFER_SCHEDULE, pk=data.pop("person")
            )
            recent_authentication_ensure(request)
            return case_services.transfer_schedule(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda pk: self.retrieve(request, pk))

    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: int) -> Response:
        transfer = self._transfer(pk, Action.TRANSFER_EXECUTE)

        def write() -> Transfer:
            _body(request, s.StrictSerializer)  # no fields: an empty object, or no body
            recent_authentication_ensure(request)
            return case_services.transfer_execute(actor=request.user, transfer=transfer)

        return idempotent(
            request, write, lambda pk: self.retrieve(request, pk), status=status.HTTP_200_OK
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        transfer = self._transfer(pk, Action.TRANSFER_SCHEDULE)

        def write() -> Transfer:
            data = _body(request, s.ReasonSerializer)
            return case_services.transfer_cancel(
                actor=request.user, transfer=transfer, reason=data["reason"]
            )

        return idempotent(
            request, write, lambda pk: self.retrieve(request, pk), status=status.HTTP_200_OK
        )


# --- organisations, audit ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Organisations (directory)", parameters=[s.PageFilterSerializer],
        responses=s.OrganisationSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One organisation", parameters=[_path_id("id", "The organisation's id.")],
        responses=s.OrganisationSerializer,
    ),
)  # fmt: skip
class OrganisationViewSet(ApiViewSet):
    """The organisations using safepassage: name, kind and country."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        _query(request, s.PageFilterSerializer)
        return self.paginate(Organisation.objects.all(), s.OrganisationSerializer, ordering="id")

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(s.OrganisationSerializer(get_object_or_404(Organisation, pk=pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's audit log, newest first (auditors)",
        parameters=[s.PageFilterSerializer], responses=s.AuditEventSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One audit event of your organisation (auditors)",
        parameters=[_path_id("id", "The event's id.")], responses=s.AuditEventSerializer,
    ),
)  # fmt: skip
class AuditEventViewSet(ApiViewSet):
    """Your organisation's audit log (auditors only); sensitive values are masked, and so are
    the values your roles may not read elsewhere (a will's wish and destinations, …)."""

    pagination_class = Cursor

    def _as_seen(self, events) -> list:
        return audit_selectors.audit_events_as_seen(actor=self.request.user, events=events)

    def list(self, request: Request) -> Response:
        events = audit_selectors.audit_event_list(actor=request.user)
        _query(request, s.PageFilterSerializer)
        return self.paginate(events, s.AuditEventSerializer, ordering="-id", shown=self._as_seen)

    def retrieve(self, request: Request, pk: int) -> Response:
        events = audit_selectors.audit_event_list(actor=request.user)
        (event,) = self._as_seen([get_object_or_404(events, pk=pk)])
        return Response(s.AuditEventSerializer(event).data)


# --- problem types ----------------------------------------------------------------------------


def _problem_type(problem) -> dict:
    return {
        "type": problem.uri,
        "status": problem.status,
        "title": str(problem.title),
        "description": str(problem.description),
    }


class ProblemTypeList(APIView):
    """The catalogue of problem types (public)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Every problem type the API answers with",
        responses=s.ProblemTypeSerializer(many=True), auth=[],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        return Response([_problem_type(p) for p in PROBLEM_TYPES.values()])


class ProblemTypeDetail(APIView):
    """One problem type (public): the `type` URI of a problem answer resolves here."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One problem type",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses=s.ProblemTypeSerializer, auth=[],
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        problem = PROBLEM_TYPES.get(slug)
        if problem is None:
            raise ProblemException("not-found")
        return Response(_problem_type(problem))


class NotFoundView(APIView):
    """Anything under /api/v1/ that is no route: a 404 problem, not an HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise ProblemException("not-found")
