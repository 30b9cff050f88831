"""API of the medical track (`/api/v1/commissions/…`, `/api/v1/persons/<id>/medical/…`,
`/api/v1/examinations/<id>/consent/`): thin, over the same selectors and services as the pages.
A track the caller may not read answers 404; the findings are null for a reader who may read
the track but not what the commission found."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.policy import Action, require
from safepassage.accounts.models import User
from safepassage.api.base import (
    IDEMPOTENCY_KEY,
    PERSON_ID,
    ApiViewSet,
    Cursor,
    path_id,
    request_body,
)
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.cases.models import InterpreterAffiliation, InterviewSetting
from safepassage.lib.errors import DomainError
from safepassage.medical import selectors, services
from safepassage.medical.models import CommissionMember, ConsentAnswer, Ground, PresentedBy
from safepassage.registry.models import Art110Category, Place

COMMISSION_ID = path_id("commission_id", "The commission's id.")
EXAMINATION_ID = path_id("examination_id", "The examination's id.")
# The full set (one enum in the schema); the service refuses the empty one, naming the field.
FINDINGS = Art110Category.choices


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")
    neutral = serializers.BooleanField()
    user = serializers.IntegerField(source="user_id", allow_null=True)


class CommissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    places = serializers.SerializerMethodField()
    members = MemberSerializer(many=True)

    def get_places(self, commission) -> list[int]:
        return [place.pk for place in commission.places.all()]


class MemberInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2)
    neutral = serializers.BooleanField(default=False)
    user = serializers.IntegerField(required=False, allow_null=True)


class CommissionCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    places = serializers.ListField(child=serializers.IntegerField(), required=False)
    members = MemberInputSerializer(many=True)


class PresentationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    presented_by = serializers.ChoiceField(choices=PresentedBy.choices)
    presenter_name = serializers.CharField()
    presented_on = serializers.DateField()
    examined = serializers.SerializerMethodField()

    def get_examined(self, presentation) -> bool:
        return hasattr(presentation, "examination")


class ExaminationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commission = serializers.IntegerField(source="commission_id")
    examined_on = serializers.DateField()
    examined_by = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=FINDINGS)
    ground = serializers.ChoiceField(choices=Ground.choices)
    review_on = serializers.DateField(allow_null=True)
    findings = serializers.CharField(
        allow_null=True, source="shown_findings",
        help_text="What the commission found; null for a reader who may not read it.",
    )  # fmt: skip

    def get_examined_by(self, examination) -> list[int]:
        return [member.pk for member in examination.examined_by.all()]


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    examination = serializers.IntegerField(source="examination_id")
    answer = serializers.ChoiceField(choices=ConsentAnswer.choices)
    verified = serializers.BooleanField()
    will_expression = serializers.IntegerField(source="will_expression_id")
    share_with_receiving_state = serializers.BooleanField()


class TrackSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    category = serializers.ChoiceField(
        choices=Art110Category.choices, source="person.art110_category"
    )
    stage = serializers.ChoiceField(
        choices=["not_presented", "to_examine", "awaiting_consent", "consents", "refuses",
                 "undecided", "not_eligible"],
    )  # fmt: skip
    offered = serializers.ChoiceField(
        choices=["direct_repatriation", "neutral_accommodation"], allow_null=True
    )
    presentations = PresentationSerializer(many=True)
    examinations = ExaminationSerializer(many=True)
    consents = ConsentSerializer(many=True)


class PresentationCreateSerializer(StrictSerializer):
    presented_by = serializers.ChoiceField(choices=PresentedBy.choices)
    presented_on = serializers.DateField()
    presenter_name = _text(200)


class ExaminationCreateSerializer(StrictSerializer):
    commission = serializers.IntegerField()
    examined_on = serializers.DateField()
    examined_by = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    category = serializers.ChoiceField(choices=FINDINGS)
    ground = serializers.ChoiceField(choices=Ground.choices, required=False)
    findings = serializers.CharField(max_length=20000)
    review_on = serializers.DateField(required=False, allow_null=True)


class ConsentCreateSerializer(StrictSerializer):
    answer = serializers.ChoiceField(choices=ConsentAnswer.choices)
    expressed_on = serializers.DateField()
    certainty = serializers.IntegerField(min_value=0, max_value=100)
    setting = serializers.ChoiceField(choices=InterviewSetting.choices, required=False)
    destinations_preferred = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False
    )
    destinations_refused = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False
    )
    statement = _text(20000)
    present = _text(300)
    present_party = serializers.BooleanField(required=False)
    interpreter = _text(200)
    interpreter_affiliation = serializers.ChoiceField(
        choices=InterpreterAffiliation.choices, required=False
    )
    language = _text(50)
    share_with_receiving_state = serializers.BooleanField(required=False)


def _track_answer(request: Request, person_pk: int) -> Response:
    person, track = selectors.medical_person_for(request.user, pk=person_pk)
    findings = selectors.findings_for(request.user, person, track)
    for examination in track.examinations:
        examination.shown_findings = findings[examination.pk]
    return Response(TrackSerializer(track).data)


@extend_schema_view(
    list=extend_schema(summary="List the Mixed Medical Commissions you may see",
                       responses=CommissionSerializer(many=True)),
    create=extend_schema(summary="Appoint a Mixed Medical Commission (the verifier's doctors)",
                         request=CommissionCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                         responses={201: CommissionSerializer}),
    retrieve=extend_schema(summary="Read one commission", parameters=[COMMISSION_ID],
                           responses={200: CommissionSerializer}),
)  # fmt: skip
class CommissionViewSet(ApiViewSet):
    """Mixed Medical Commissions (GC III Art. 112, Annex II)."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.COMMISSION_VIEW)
        return self.paginate(
            selectors.commission_list(actor=request.user), CommissionSerializer, ordering="id"
        )

    def create(self, request: Request) -> Response:
        require(request.user, Action.COMMISSION_MANAGE)

        def write():
            data = request_body(request, CommissionCreateSerializer)
            places = list(Place.objects.filter(pk__in=data.get("places", [])))
            if len(places) != len(set(data.get("places", []))):
                raise DomainError(_("A place id is not known."), field="places")
            members = []
            for m in data["members"]:
                user = None
                if m.get("user") is not None:
                    user = User.objects.filter(pk=m["user"], is_active=True).first()
                    if user is None:
                        raise DomainError(
                            _("A member's account is not an active account."), field="members"
                        )
                members.append(services.MemberInput(m["name"], m["country"], m["neutral"], user))
            return services.commission_create(
                actor=request.user, name=data["name"], starts_on=data["starts_on"],
                ends_on=data.get("ends_on"), places=places, members=members,
            )  # fmt: skip

        def read(pk: int) -> Response:
            return Response(CommissionSerializer(selectors.commission_for(request.user, pk)).data)

        return idempotent(request, write, read)

    def retrieve(self, request: Request, commission_id: int) -> Response:
        commission = selectors.commission_for(request.user, commission_id)
        return Response(CommissionSerializer(commission).data)


@extend_schema_view(
    retrieve=extend_schema(summary="Read his medical track (findings null when not yours)",
                           parameters=[PERSON_ID], responses={200: TrackSerializer}),
)  # fmt: skip
class TrackViewSet(ApiViewSet):
    """One person's medical track: presented, examined, his answer."""

    def retrieve(self, request: Request, person_id: int) -> Response:
        return _track_answer(request, person_id)


@extend_schema_view(
    create=extend_schema(summary="Present him to a commission (Art. 113)",
                         request=PresentationCreateSerializer,
                         parameters=[PERSON_ID, IDEMPOTENCY_KEY],
                         responses={201: TrackSerializer}),
)  # fmt: skip
class PresentationViewSet(ApiViewSet):
    def create(self, request: Request, person_id: int) -> Response:
        person, _track = selectors.medical_person_for(request.user, pk=person_id)
        require(request.user, Action.MEDICAL_PRESENT, person)

        def write():
            data = request_body(request, PresentationCreateSerializer)
            services.presentation_record(actor=request.user, person=person, **data)
            return person

        return idempotent(request, write, lambda pk: _track_answer(request, pk))


@extend_schema_view(
    create=extend_schema(summary="Record a commission's examination and finding",
                         request=ExaminationCreateSerializer,
                         parameters=[PERSON_ID, IDEMPOTENCY_KEY],
                         responses={201: TrackSerializer}),
)  # fmt: skip
class ExaminationViewSet(ApiViewSet):
    def create(self, request: Request, person_id: int) -> Response:
        person, _track = selectors.medical_person_for(request.user, pk=person_id)
        require(request.user, Action.MEDICAL_EXAMINE, person)

        def write():
            data = dict(request_body(request, ExaminationCreateSerializer))
            commission = (
                selectors.examinable_commissions(request.user)
                .filter(pk=data.pop("commission"))
                .first()
            )
            if commission is None:
                raise DomainError(_("You do not sit on that commission."), field="commission")
            members = list(
                CommissionMember.objects.filter(
                    commission=commission, pk__in=data.pop("examined_by")
                )
            )
            services.examination_record(
                actor=request.user, person=person, commission=commission, examined_by=members,
                **data,
            )  # fmt: skip
            return person

        return idempotent(request, write, lambda pk: _track_answer(request, pk))


@extend_schema_view(
    create=extend_schema(summary="Record his answer to a finding, in a private interview",
                         request=ConsentCreateSerializer,
                         parameters=[EXAMINATION_ID, IDEMPOTENCY_KEY],
                         responses={201: TrackSerializer}),
)  # fmt: skip
class ConsentViewSet(ApiViewSet):
    def create(self, request: Request, examination_id: int) -> Response:
        examination = selectors.examination_for(
            request.user, examination_id, Action.MEDICAL_CONSENT
        )

        def write():
            data = request_body(request, ConsentCreateSerializer)
            services.consent_record(actor=request.user, examination=examination, **data)
            return examination.person

        return idempotent(request, write, lambda pk: _track_answer(request, pk))


def routes():
    """The medical routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("commissions/", CommissionViewSet.as_view({"get": "list", "post": "create"}),
             name="commission-list"),
        path("commissions/<id:commission_id>/", CommissionViewSet.as_view({"get": "retrieve"}),
             name="commission-detail"),
        path("persons/<id:person_id>/medical/", TrackViewSet.as_view({"get": "retrieve"}),
             name="person-medical"),
        path("persons/<id:person_id>/medical/presentations/",
             PresentationViewSet.as_view({"post": "create"}),
             name="person-medical-presentations"),
        path("persons/<id:person_id>/medical/examinations/",
             ExaminationViewSet.as_view({"post": "create"}),
             name="person-medical-examinations"),
        path("examinations/<id:examination_id>/consent/",
             ConsentViewSet.as_view({"post": "create"}), name="examination-consent"),
    ]  # fmt: skip
