"""API after a transfer (`/api/v1/persons/<id>/follow-up/…`, `/api/v1/follow-up-contacts/<id>/`,
`/api/v1/onward-reports/?country=`): thin, over the same selectors and services as the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, require
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    PERSON_ID,
    ApiViewSet,
    path_id,
    query_params,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.followup import selectors, services
from safepassage.followup.models import DEFAULT_MONTHS, ContactOutcome, ContactState, ReceptionStep

STEP_ID = path_id("step_id", "The reception step's id.")
CONTACT_ID = path_id("contact_id", "The follow-up contact's id.")


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class ReceptionSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    arrived_on = serializers.DateField()


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    due_on = serializers.DateField()
    state = serializers.ChoiceField(choices=ContactState.choices)
    contacted_on = serializers.DateField(allow_null=True)
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
    sent_on_to = serializers.CharField(source="sent_on_to.code", allow_blank=True)
    note = serializers.CharField()
    version = serializers.IntegerField()


class FollowUpSerializer(serializers.Serializer):
    """`contacts` is null for a receiving state: the follow-up is the verifier's."""

    reception = ReceptionSerializer(allow_null=True)
    steps = StepSerializer(many=True)
    contacts = ContactSerializer(many=True, allow_null=True)


class ReceptionInputSerializer(StrictSerializer):
    arrived_on = serializers.DateField()


class StepInputSerializer(StrictSerializer):
    done_on = serializers.DateField()
    version = serializers.IntegerField(required=False)


class ScheduleInputSerializer(StrictSerializer):
    months = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list(DEFAULT_MONTHS)
    )


class ContactInputSerializer(StrictSerializer):
    reached = serializers.BooleanField()
    contacted_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices, required=False)
    sent_on_to = serializers.CharField(max_length=2, required=False, allow_blank=True)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class OnwardReportSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    contacted_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
    sent_on_to = serializers.CharField()


class OnwardFilterSerializer(StrictSerializer):
    country = serializers.CharField(max_length=2)


def _read(request: Request, person) -> Response:
    return Response(
        FollowUpSerializer(selectors.followup_of(actor=request.user, person=person)).data
    )


@extend_schema_view(
    retrieve=extend_schema(summary="What happened after his transfer: reception and follow-up",
                           parameters=[PERSON_ID], responses={200: FollowUpSerializer}),
    reception=extend_schema(summary="Record his arrival (the receiving state)",
                            parameters=[PERSON_ID, IDEMPOTENCY_KEY],
                            request=ReceptionInputSerializer,
                            responses={201: FollowUpSerializer}),
    step=extend_schema(summary="Record a reception step as done (the receiving state)",
                       parameters=[PERSON_ID, STEP_ID, IDEMPOTENCY_KEY],
                       request=StepInputSerializer, responses={200: FollowUpSerializer}),
    schedule=extend_schema(summary="Schedule follow-up contacts (the neutral verifier)",
                           parameters=[PERSON_ID, IDEMPOTENCY_KEY],
                           request=ScheduleInputSerializer, responses={201: FollowUpSerializer}),
)  # fmt: skip
class FollowUpViewSet(ApiViewSet):
    def retrieve(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.FOLLOWUP_VIEW)
        return _read(request, person)

    @action(detail=True, methods=["post"])
    def reception(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.RECEPTION_RECORD)

        def write():
            data = request_body(request, ReceptionInputSerializer)
            return services.reception_record(actor=request.user, person=person, **data)

        return idempotent(request, write, lambda _pk: _read(request, person))

    @action(detail=True, methods=["post"])
    def step(self, request: Request, person_id: int, step_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.RECEPTION_RECORD)
        step = (
            ReceptionStep.objects.select_related("reception")
            .filter(
                pk=step_id,
                reception__person=person,
                reception__organisation=request.user.organisation,
            )
            .first()
        )
        if step is None:
            raise Http404

        def write():
            data = request_body(request, StepInputSerializer)
            return services.reception_step_done(
                actor=request.user, step=step, done_on=data["done_on"],
                expected_version=data.get("version"),
            )  # fmt: skip

        return idempotent(request, write, lambda _pk: _read(request, person), status=200)

    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, person_id: int) -> Response:
        person = person_for(request.user, pk=person_id, action=Action.FOLLOWUP_RECORD)

        def write():
            data = request_body(request, ScheduleInputSerializer)
            services.followups_schedule(actor=request.user, person=person, months=data["months"])
            return person

        return idempotent(request, write, lambda _pk: _read(request, person))


@extend_schema_view(
    record=extend_schema(summary="Record a follow-up contact (the neutral verifier); concerns "
                                 "and onward removal alert the verifier and legal officers",
                         parameters=[CONTACT_ID, IDEMPOTENCY_KEY],
                         request=ContactInputSerializer, responses={200: ContactSerializer}),
)  # fmt: skip
class FollowUpContactViewSet(ApiViewSet):
    @action(detail=True, methods=["post"])
    def record(self, request: Request, contact_id: int) -> Response:
        contact = selectors.contact_for(request.user, contact_id)
        require(request.user, Action.FOLLOWUP_RECORD, contact.person)

        def write():
            data = dict(request_body(request, ContactInputSerializer))
            version = data.pop("version", None)
            return services.followup_record(
                actor=request.user, contact=contact, expected_version=version, **data
            )

        return idempotent(
            request, write,
            lambda pk: Response(ContactSerializer(selectors.contact_for(request.user, pk)).data),
            status=200,
        )  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary="Reports of onward removal or risk from one state (pseudonymised)",
                       parameters=[OnwardFilterSerializer],
                       responses=OnwardReportSerializer(many=True)),
)  # fmt: skip
class OnwardReportViewSet(ApiViewSet):
    def list(self, request: Request) -> Response:
        require(request.user, Action.ONWARD_EVIDENCE)
        params = query_params(request, OnwardFilterSerializer)
        reports = selectors.onward_reports(actor=request.user, country=params["country"])
        return Response(OnwardReportSerializer(reports, many=True).data)


def routes():
    """The follow-up routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    base = "persons/<id:person_id>/follow-up/"
    return [
        path(base, FollowUpViewSet.as_view({"get": "retrieve"}), name="followup-detail"),
        path(f"{base}reception/", FollowUpViewSet.as_view({"post": "reception"}),
             name="followup-reception"),
        path(f"{base}reception/steps/<id:step_id>/", FollowUpViewSet.as_view({"post": "step"}),
             name="followup-reception-step"),
        path(f"{base}contacts/", FollowUpViewSet.as_view({"post": "schedule"}),
             name="followup-schedule"),
        path("follow-up-contacts/<id:contact_id>/",
             FollowUpContactViewSet.as_view({"post": "record"}), name="followup-contact"),
        path("onward-reports/", OnwardReportViewSet.as_view({"get": "list"}),
             name="onward-reports"),
    ]  # fmt: skip
