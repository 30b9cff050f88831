"""API of referrals (`/api/v1/referrals/…`): thin, over the same selectors and services as the
pages. A referral the caller may not see answers 404; one he sees but may not answer, 403. A
receiving state reads its own referrals' pseudonymised profile; no answer names the person to it
before it accepted him."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, has_any_role_for, require
from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.api.base import IDEMPOTENCY_KEY, ApiViewSet, Cursor, path_id, request_body
from safepassage.api.idempotency import idempotent
from safepassage.api.serializers import StrictSerializer
from safepassage.audit.reads import reads_gathered
from safepassage.lib.errors import DomainError
from safepassage.referrals import selectors, services
from safepassage.referrals.models import ReferralState

REFERRAL_ID = path_id("referral_id", "The referral's id.")


class ProfileSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    age_approximate = serializers.BooleanField()
    sex = serializers.CharField()
    health = serializers.CharField()
    art110_category = serializers.CharField()
    languages = serializers.CharField()
    family_links = serializers.CharField()
    will_outcome = serializers.CharField()
    will_certainty = serializers.IntegerField(allow_null=True)
    will_expressed_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class StepRowSerializer(serializers.Serializer):
    from_state = serializers.ChoiceField(choices=ReferralState.choices)
    to_state = serializers.ChoiceField(choices=ReferralState.choices)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    """The referral as its reader may see it: `person` (his id) only for readers who may see
    him, null for a receiving state that has not accepted him."""

    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    person = serializers.IntegerField(source="shown_person", allow_null=True)
    state = serializers.ChoiceField(choices=ReferralState.choices)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    reference = serializers.CharField()
    version = serializers.IntegerField()
    profile = ProfileSerializer()
    history = StepRowSerializer(many=True)


class ReferralCreateSerializer(StrictSerializer):
    person = serializers.IntegerField()
    organisation = serializers.IntegerField(help_text=_("The receiving state's organisation."))
    due_on = serializers.DateField(required=False)
    family_links = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class ReferralStepSerializer(StrictSerializer):
    target = serializers.ChoiceField(choices=ReferralState.choices)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, help_text=_("The version you read: a stale one is a 409 problem.")
    )


def _shown(request: Request, referral, *, profile: bool = True, shown: set[int] | None = None):
    """The referral with what its reader may see attached; `shown`: the persons he may follow
    (`selectors.persons_shown`), when a list asked once for its page."""
    if shown is None:
        shown = selectors.persons_shown(request.user, [referral])
    referral.shown_person = referral.person_id if referral.person_id in shown else None
    referral.overdue = selectors.is_overdue(referral)
    referral.history = list(referral.transitions.all())
    if profile:
        referral.profile = selectors.referral_profile(actor=request.user, referral=referral)
    return referral


def _read(request: Request, pk: int) -> Response:
    referral = selectors.referral_for(request.user, pk)
    return Response(ReferralSerializer(_shown(request, referral)).data)


def _receiving_state(pk: int) -> Organisation:
    state = Organisation.objects.filter(pk=pk, kind=OrganisationKind.RECEIVING_STATE).first()
    if state is None:
        raise DomainError(_("Choose a receiving state."), field="organisation")
    return state


@extend_schema_view(
    list=extend_schema(summary="List the referrals you may see",
                       responses=ReferralSerializer(many=True)),
    create=extend_schema(summary="Refer a person to a receiving state, with his verified consent",
                         request=ReferralCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                         responses={201: ReferralSerializer}),
    retrieve=extend_schema(summary="Read one referral and its pseudonymised profile",
                           parameters=[REFERRAL_ID], responses={200: ReferralSerializer}),
    transition=extend_schema(summary="Answer, reply to or withdraw a referral",
                             request=ReferralStepSerializer,
                             parameters=[REFERRAL_ID, IDEMPOTENCY_KEY],
                             responses={200: ReferralSerializer}),
)  # fmt: skip
class ReferralViewSet(ApiViewSet):
    """Referrals to receiving states: referred → accepted, declined or more information
    requested; withdrawn by the referrer."""

    pagination_class = Cursor

    def list(self, request: Request) -> Response:
        require(request.user, Action.REFERRAL_VIEW)
        referrals = selectors.referral_list(actor=request.user)

        def shown(page):
            persons = selectors.persons_shown(request.user, page)
            with reads_gathered(actor=request.user):  # the profiles' reads: one write
                return [_shown(request, referral, shown=persons) for referral in page]

        return self.paginate(referrals, ReferralSerializer, ordering="id", shown=shown)

    def create(self, request: Request) -> Response:
        if not has_any_role_for(request.user, Action.REFERRAL_MAKE):
            raise PermissionDenied

        def write():
            data = request_body(request, ReferralCreateSerializer)
            person = person_for(request.user, pk=data.pop("person"), action=Action.REFERRAL_MAKE)
            organisation = _receiving_state(data.pop("organisation"))
            return services.referral_make(
                actor=request.user, person=person, organisation=organisation, **data
            )

        return idempotent(request, write, lambda pk: _read(request, pk))

    def retrieve(self, request: Request, referral_id: int) -> Response:
        return _read(request, referral_id)

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, referral_id: int) -> Response:
        referral = selectors.referral_for(request.user, referral_id)
        if not selectors.may_take_a_step(request.user, referral):
            raise PermissionDenied

        def write():
            data = request_body(request, ReferralStepSerializer)
            return services.referral_step(
                actor=request.user, referral=referral, target=data["target"],
                reason=data.get("reason", ""), reference=data.get("reference", ""),
                expected_version=data.get("version"),
            )  # fmt: skip

        return idempotent(request, write, lambda pk: _read(request, pk), status=status.HTTP_200_OK)


def routes():
    """The referral routes, for `safepassage/api/urls.py`."""
    from django.urls import path

    return [
        path("referrals/", ReferralViewSet.as_view({"get": "list", "post": "create"}),
             name="referral-list"),
        path("referrals/<id:referral_id>/", ReferralViewSet.as_view({"get": "retrieve"}),
             name="referral-detail"),
        path("referrals/<id:referral_id>/transitions/",
             ReferralViewSet.as_view({"post": "transition"}), name="referral-transition"),
    ]  # fmt: skip
