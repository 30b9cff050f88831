"""API of places and visits (`/api/v1/places/…`, `/api/v1/visits/…`): thin, over the same
selectors and services as the pages. A visit the caller may not see answers 404; one he sees
but may not work on, 403. The detaining power of a place reads a visit's dates, place, state
and (once shared) its report, never its team, list or interviews."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can_on_visit, require
from safepassage.accounts.models import User
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    ApiViewSet,
    Cursor,
    path_id,
    query_params,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.audit.reads import reads_gathered
from safepassage.cases.models import InterpreterAffiliation, InterviewSetting, Wish
from safepassage.lib.errors import DomainError
from safepassage.visits import selectors, services
from safepassage.visits.models import InterviewOutcome, SeeReason, TeamRole, VisitState

PLACE_ID = path_id("place_id", "The place's id.")
VISIT_ID = path_id("visit_id", "The visit's id.")


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True)


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField()
    detaining_organisation = serializers.IntegerField(source="detaining_organisation_id")


class TeamMemberSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=TeamRole.choices)
    user = serializers.IntegerField(source="user_id", allow_null=True)
    name = serializers.CharField()
    affiliation = serializers.CharField()


class PersonToSeeSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    registry_number = serializers.CharField(source="person.registry_number")
    reason = serializers.ChoiceField(choices=SeeReason.choices)


class VisitSerializer(serializers.Serializer):
    """The visit as its reader may see it: `team`, `to_see` only for the visiting verifier,
    `report` for him and, once shared, the detaining power (null otherwise)."""

    id = serializers.IntegerField()
    place = serializers.IntegerField(source="place_id")
    organisation = serializers.IntegerField(source="organisation_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    state = serializers.ChoiceField(choices=VisitState.choices)
    report = serializers.CharField(allow_null=True, source="shown_report")
    team = TeamMemberSerializer(many=True, allow_null=True, source="shown_team")
    to_see = PersonToSeeSerializer(many=True, allow_null=True, source="shown_to_see")


class TeamInputSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=TeamRole.choices)
    user = serializers.IntegerField(required=False, allow_null=True)
    name = _text(200)
    affiliation = serializers.ChoiceField(choices=InterpreterAffiliation.choices, required=False)


class VisitCreateSerializer(StrictSerializer):
    place = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    team = TeamInputSerializer(many=True, required=False)
    to_see = serializers.ListField(
        child=serializers.ChoiceField(choices=[SeeReason.AWAITING_INTERVIEW,
                                               SeeReason.FOLLOW_UP_DUE, SeeReason.LATER_STATEMENT]),
        required=False, allow_null=True,
        help_text=_("Build the list of persons to see: omitted, nobody yet; [] or null, "
                    "everyone held at the place; else those with one of these reasons."),
    )  # fmt: skip


class VisitFilterSerializer(StrictSerializer):
    queue = serializers.ChoiceField(
        choices=[("next", "next")], required=False,
        help_text=_("next: only your organisation's next visit, with its list."),
    )  # fmt: skip


class VisitStepSerializer(StrictSerializer):
    target = serializers.ChoiceField(choices=VisitState.choices)
    reason = _text(2000)


class InterviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    outcome = serializers.ChoiceField(choices=InterviewOutcome.choices)
    held_on = serializers.DateField()
    setting = serializers.CharField()
    present_party = serializers.BooleanField()
    interpreter_affiliation = serializers.CharField()
    language = serializers.CharField()
    will_expression = serializers.IntegerField(source="will_expression_id", allow_null=True)


class InterviewCreateSerializer(StrictSerializer):
    person = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=InterviewOutcome.choices)
    held_on = serializers.DateField()
    setting = serializers.ChoiceField(choices=InterviewSetting.choices, required=False)
    present = _text(300)
    present_party = serializers.BooleanField(required=False)
    interpreter = _text(200)
    interpreter_affiliation = serializers.ChoiceField(
        choices=InterpreterAffiliation.choices, required=False
    )
    language = _text(50)
    wish = serializers.ChoiceField(choices=Wish.choices, required=False)
    certainty = serializers.IntegerField(min_value=0, max_value=100, required=False)
    destinations_preferred = serializers.ListField(child=serializers.CharField(max_length=2),
                                                   required=False)  # fmt: skip
    destinations_refused = serializers.ListField(child=serializers.CharField(max_length=2),
                                                 required=False)  # fmt: skip
    statement = _text(20000)


class InterviewFilterSerializer(StrictSerializer):
    to_finalise = serializers.BooleanField(
        required=False, help_text=_("Only those interviewed whose will is not recorded yet.")
    )


def _shown(request: Request, visit):
    """The visit with what its reader may see of it attached (the report's read recorded)."""
    works_it = can_on_visit(request.user, Action.VISIT_PLAN, visit)
    visit.shown_report = selectors.visit_report_shown(actor=request.user, visit=visit)
    visit.shown_team = list(visit.team.all()) if works_it else None
    visit.shown_to_see = (
        list(selectors.visit_to_see(actor=request.user, visit=visit)) if works_it else None
    )
    return visit


def _visit_read(request: Request, pk: int) -> Response:
    visit = selectors.visit_for(request.user, pk)
    return Response(VisitSerializer(_shown(request, visit)).data)


@extend_schema_view(
    list=extend_schema(summary="List the places of internment you may see",
                       responses=PlaceSerializer(many=True)),
    retrieve=extend_schema(summary="Read one place", parameters=[PLACE_ID],
                           responses={200: PlaceSerializer}),
)  # fmt: skip
class PlaceViewSet(ApiViewSet):
    """Camps, hospitals and holding sites: every one for the verifier, its own for a detaining
    power."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.PLACE_VIEW)
        places = selectors.place_list(actor=request.user)
        return self.paginate(places, PlaceSerializer, ordering="id")

    def retrieve(self, request: Request, place_id: int) -> Response:
        return Response(PlaceSerializer(selectors.place_for(request.user, place_id)).data)


@extend_schema_view(
    list=extend_schema(summary="List the visits you may see", parameters=[VisitFilterSerializer],
                       responses=VisitSerializer(many=True)),
    create=extend_schema(summary="Plan a visit (the neutral verifier's interviewers)",
                         request=VisitCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                         responses={201: VisitSerializer}),
    retrieve=extend_schema(summary="Read one visit", parameters=[VISIT_ID],
                           responses={200: VisitSerializer}),
    transition=extend_schema(summary="Take the visit's next step", request=VisitStepSerializer,
                             parameters=[VISIT_ID, IDEMPOTENCY_KEY],
                             responses={200: VisitSerializer}),
)  # fmt: skip
class VisitViewSet(ApiViewSet):
    """Visits of the neutral verifier: planned → announced → under way → completed → report
    shared."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.VISIT_VIEW)
        params = query_params(request, VisitFilterSerializer)
        visits = selectors.visit_list(actor=request.user)
        if params.get("queue") == "next":
            coming = selectors.next_visit(actor=request.user)
            visits = visits.filter(pk=coming.pk if coming else None)

        def shown(page):
            page = list(page)
            selectors.visits_lists_prefetch(page)
            with reads_gathered(actor=request.user):  # the reports' reads: one write
                return [_shown(request, visit) for visit in page]

        return self.paginate(visits, VisitSerializer, ordering="id", shown=shown)

    def create(self, request: Request) -> Response:
        require(request.user, Action.VISIT_PLAN)

        def write():
            data = request_body(request, VisitCreateSerializer)
            place = selectors.place_for(request.user, data["place"])
            team = [
                services.TeamInput(
                    role=m["role"],
                    name=m.get("name", ""),
                    affiliation=m.get("affiliation", ""),
                    user=_colleague(request, m.get("user")),
                )  # fmt: skip
                for m in data.get("team", [])
            ]
            visit = services.visit_plan(
                actor=request.user, place=place, starts_on=data["starts_on"],
                ends_on=data["ends_on"], team=team,
            )  # fmt: skip
            if "to_see" in data:
                services.visit_list_build(
                    actor=request.user, visit=visit, reasons=data["to_see"] or None
                )
            return visit

        return idempotent(request, write, lambda pk: _visit_read(request, pk))

    def retrieve(self, request: Request, visit_id: int) -> Response:
        return _visit_read(request, visit_id)

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, visit_id: int) -> Response:
        visit = selectors.visit_for(request.user, visit_id, Action.VISIT_PLAN)

        def write():
            data = request_body(request, VisitStepSerializer)
            return services.visit_step(actor=request.user, visit=visit, **data)

        return idempotent(
            request, write, lambda pk: _visit_read(request, pk), status=status.HTTP_200_OK
        )


def _colleague(request: Request, pk):
    """A team member's account: one of the caller's own organisation."""
    if pk is None:
        return None
    colleague = User.objects.filter(pk=pk, organisation=request.user.organisation).first()
    if colleague is None:
        raise DomainError(_("A colleague of the team belongs to your organisation."), field="user")
    return colleague


@extend_schema_view(
    list=extend_schema(summary="List the interviews of a visit (the visiting verifier)",
                       parameters=[VISIT_ID, InterviewFilterSerializer],
                       responses=InterviewSerializer(many=True)),
    create=extend_schema(summary="Record an interview of the visit, and his will when given",
                         request=InterviewCreateSerializer, parameters=[VISIT_ID, IDEMPOTENCY_KEY],
                         responses={201: InterviewSerializer}),
)  # fmt: skip
class InterviewViewSet(ApiViewSet):
    """Interviews of one visit: only the visiting verifier reads or records them."""

    pagination_class = Cursor

    def list(self, request: Request, visit_id: int) -> Response:
        visit = selectors.visit_for(request.user, visit_id, Action.VISIT_INTERVIEW)
        params = query_params(request, InterviewFilterSerializer)
        interviews = selectors.visit_interviews(
            actor=request.user, visit=visit, to_finalise=params.get("to_finalise", False)
        )
        return self.paginate(interviews, InterviewSerializer, ordering="id")

    def create(self, request: Request, visit_id: int) -> Response:
        visit = selectors.visit_for(request.user, visit_id, Action.VISIT_INTERVIEW)

        def write():
            data = dict(request_body(request, InterviewCreateSerializer))
            person = person_for(request.user, pk=data.pop("person"))
            will = None
            if wish := data.pop("wish", None):
                will = services.WillInput(
                    wish=wish, certainty=data.pop("certainty", 50),
                    destinations_preferred=data.pop("destinations_preferred", []),
                    destinations_refused=data.pop("destinations_refused", []),
                    statement=data.pop("statement", ""),
                )  # fmt: skip
            for unused in ("certainty", "destinations_preferred", "destinations_refused",
                           "statement"):  # fmt: skip
                data.pop(unused, None)
            return services.interview_record(
                actor=request.user, visit=visit, person=person, will=will, **data
            )

        return idempotent(request, write, lambda pk: _interview_answer(request, visit, pk))


def _interview_answer(request: Request, visit, pk: int) -> Response:
    interview = selectors.visit_interviews(actor=request.user, visit=visit).get(pk=pk)
    return Response(InterviewSerializer(interview).data)


def routes():
    """The place and visit routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("places/", PlaceViewSet.as_view({"get": "list"}), name="place-list"),
        path("places/<id:place_id>/", PlaceViewSet.as_view({"get": "retrieve"}),
             name="place-detail"),
        path("visits/", VisitViewSet.as_view({"get": "list", "post": "create"}),
             name="visit-list"),
        path("visits/<id:visit_id>/", VisitViewSet.as_view({"get": "retrieve"}),
             name="visit-detail"),
        path("visits/<id:visit_id>/transitions/", VisitViewSet.as_view({"post": "transition"}),
             name="visit-transition"),
        path("visits/<id:visit_id>/interviews/",
             InterviewViewSet.as_view({"get": "list", "post": "create"}),
             name="visit-interviews"),
    ]  # fmt: skip
