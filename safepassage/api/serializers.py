"""Shapes of the API: input serializers parse and check types; output serializers show records
masked to the reader's need to know (decided by the policy, passed in as `NeedToKnow`).

No business rule lives here: the services decide and write.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safepassage.accounts.models import Organisation
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import (
    Acceptance,
    CaseState,
    Decision,
    DecisionKind,
    InterviewSetting,
    RiskAssessment,
    RiskLevel,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.cases.selectors import OUTCOME_LABELS, will_outcome_code
from safepassage.registry.models import (
    Art110Category,
    DatePrecision,
    HealthStatus,
    Person,
    PlaceKind,
    Romanization,
    Script,
    Sex,
)
from safepassage.registry.services import PERSON_FIELDS

MAX_ID = 2**63 - 1  # the largest BigAutoField value
COUNTRY_SCHEMA = {
    "type": "string",
    "pattern": "^[A-Za-z]{2}$",
    "description": "ISO 3166-1 alpha-2 code",
    "example": "KR",
}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error rather than silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


@extend_schema_field(COUNTRY_SCHEMA)
class CountryCodeField(serializers.CharField):
    """A two-letter ISO 3166 code, any case in, upper case out."""

    default_error_messages = {
        "unknown": _("Unknown country code “%(code)s”: use a two-letter ISO code such as KR."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        if code not in countries:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"code": data})
        return code

    def to_representation(self, value):
        return getattr(value, "code", value)


def country_list(**kwargs) -> serializers.ListField:
    kwargs.setdefault("max_length", 50)
    return serializers.ListField(child=CountryCodeField(), **kwargs)


def _codes(values) -> list[str]:
    return [getattr(c, "code", c) for c in values]


# --- registry ---------------------------------------------------------------------------------


class NameSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    script = serializers.ChoiceField(
        choices=Script.choices,
        required=False,
        allow_blank=True,
        help_text=_("ISO 15924 code; detected from the name when empty."),
    )
    romanization = serializers.ChoiceField(choices=Romanization.choices, required=False)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_assumed_identity = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not (attrs.get("family_name", "").strip() or attrs.get("given_name", "").strip()):
            raise serializers.ValidationError(
                {"family_name": [_("A name needs a family name or a given name.")]}
            )
        return attrs


class PersonFieldsSerializer(StrictSerializer):
    """The identity fields a registrar writes; every one may be unknown."""

    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    birth_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    nationalities = country_list(required=False, help_text=_("Claimed nationalities."))
    service_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    rank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capture_date = serializers.DateField(required=False, allow_null=True)
    capture_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capturing_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    health_status = serializers.ChoiceField(choices=HealthStatus.choices, required=False)
    art110_category = serializers.ChoiceField(
        choices=Art110Category.choices, required=False, allow_blank=True
    )
    wounds = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    internment_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    internment_place_kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False)
    languages = serializers.CharField(max_length=200, required=False, allow_blank=True)
    next_of_kin = serializers.CharField(max_length=10000, required=False, allow_blank=True)

    # Every identity field of the service is here (checked at import, even under python -O).
    if not set(PERSON_FIELDS) <= set(locals()):
        raise ImproperlyConfigured(
            f"PersonFieldsSerializer lacks {sorted(set(PERSON_FIELDS) - set(locals()))}"
        )


class PersonCreateSerializer(PersonFieldsSerializer):
    names = NameSerializer(many=True, allow_empty=False, max_length=20)


class PersonSerializer(serializers.Serializer):
    """A person; `next_of_kin` is null for readers without need to know."""

    id = serializers.IntegerField()
    registry_number = serializers.CharField()
    names = NameSerializer(many=True)
    status = serializers.ChoiceField(choices=CaseState.choices, source="case.state")
    detaining_organisation = serializers.IntegerField(source="detaining_organisation_id")
    legal_organisation = serializers.IntegerField(
        source="case.legal_organisation_id", allow_null=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    birth_place = serializers.CharField()
    nationalities = serializers.SerializerMethodField()
    service_number = serializers.CharField()
    rank = serializers.CharField()
    unit = serializers.CharField()
    capture_date = serializers.DateField(allow_null=True)
    capture_place = serializers.CharField()
    capturing_unit = serializers.CharField()
    health_status = serializers.ChoiceField(choices=HealthStatus.choices)
    art110_category = serializers.ChoiceField(choices=Art110Category.choices, allow_blank=True)
    wounds = serializers.CharField()
    internment_place = serializers.CharField()
    internment_place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    languages = serializers.CharField()
    next_of_kin = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA})
    def get_nationalities(self, person: Person) -> list[str]:
        return _codes(person.nationalities)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_next_of_kin(self, person: Person) -> str | None:
        return person.next_of_kin if self.context.get("see_next_of_kin") else None


class PersonFilterSerializer(StrictSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text=_("Words of a name in any script, a registry or service number, a place."),
    )  # fmt: skip
    registry_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    status = serializers.ChoiceField(choices=CaseState.choices, required=False, allow_blank=True)
    nationality = CountryCodeField(required=False, allow_blank=True)
    place = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text=_("Part of the place of internment."),
    )  # fmt: skip
    ordering = serializers.ChoiceField(
        choices=["registry_number", "-registry_number", "created_at", "-created_at"],
        required=False,
    )
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- will expressions -------------------------------------------------------------------------


class WillCreateSerializer(StrictSerializer):
    expressed_on = serializers.DateField()
    source = serializers.ChoiceField(choices=WillSource.choices)
    setting = serializers.ChoiceField(choices=InterviewSetting.choices)
    present = serializers.CharField(max_length=300, required=False, allow_blank=True)
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.CharField(max_length=50, required=False, allow_blank=True)
    wish = serializers.ChoiceField(choices=Wish.choices)
    destinations_preferred = country_list(
        required=False, help_text=_("In his order of preference.")
    )
    destinations_refused = country_list(required=False)
    certainty = serializers.IntegerField(min_value=0, max_value=100)
    statement = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class WillSerializer(serializers.Serializer):
    """A will expression. Null means: not for you to know (the policy's need-to-know)."""

    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    organisation = serializers.IntegerField(source="organisation_id")
    expressed_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    source = serializers.ChoiceField(choices=WillSource.choices)
    verified = serializers.BooleanField()
    governing = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    wish = serializers.SerializerMethodField()
    destinations_preferred = serializers.SerializerMethodField()
    destinations_refused = serializers.SerializerMethodField()
    certainty = serializers.SerializerMethodField()
    setting = serializers.SerializerMethodField()
    present = serializers.SerializerMethodField()
    interpreter = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    statement = serializers.SerializerMethodField()
    withdrawn_reason = serializers.SerializerMethodField()

    def _ntk(self):
        return self.context["ntk"]

    def get_governing(self, will: WillExpression) -> bool:
        return will.pk == self.context.get("governing_will_id")

    @extend_schema_field(serializers.ChoiceField(choices=list(OUTCOME_LABELS)))
    def get_outcome(self, will: WillExpression) -> str:
        return will_outcome_code(will, set(_codes(will.person.nationalities)))

    @extend_schema_field({"type": "string", "enum": Wish.values, "nullable": True})
    def get_wish(self, will: WillExpression) -> str | None:
        return will.wish if self._ntk().will_details else None

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA, "nullable": True})
    def get_destinations_preferred(self, will: WillExpression) -> list[str] | None:
        return _codes(will.destinations_preferred) if self._ntk().will_details else None

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA, "nullable": True})
    def get_destinations_refused(self, will: WillExpression) -> list[str] | None:
        return _codes(will.destinations_refused) if self._ntk().will_details else None

    @extend_schema_field({"type": "integer", "minimum": 0, "maximum": 100, "nullable": True})
    def get_certainty(self, will: WillExpression) -> int | None:
        return will.certainty if self._ntk().will_details else None

    @extend_schema_field({"type": "string", "enum": InterviewSetting.values, "nullable": True})
    def get_setting(self, will: WillExpression) -> str | None:
        return will.setting if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_present(self, will: WillExpression) -> str | None:
        return will.present if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_interpreter(self, will: WillExpression) -> str | None:
        return will.interpreter if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_language(self, will: WillExpression) -> str | None:
        return will.language if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_statement(self, will: WillExpression) -> str | None:
        return will.statement if self._ntk().will_statement else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_withdrawn_reason(self, will: WillExpression) -> str | None:
        return will.withdrawn_reason if self._ntk().will_details else None


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


# --- assessments, decisions, acceptances ------------------------------------------------------


class AssessmentCreateSerializer(StrictSerializer):
    country = CountryCodeField()
    persecution_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    onward_transfer_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    onward_destinations = country_list(required=False)
    basis = serializers.CharField(max_length=20000)


class AssessmentSerializer(serializers.Serializer):
    """A risk assessment; `basis` is null for readers without need to know."""

    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    country = CountryCodeField()
    persecution_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    onward_transfer_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    onward_destinations = serializers.SerializerMethodField()
    basis = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id")
    assessed_at = serializers.DateTimeField()
    in_effect = serializers.BooleanField(
        help_text="False while it lowers a risk found high and waits for a second "
        "organisation's concurrence (POST …/concur/)."
    )
    concurring_organisation = serializers.IntegerField(
        source="concurring_organisation_id", allow_null=True
    )
    concurred_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA})
    def get_onward_destinations(self, assessment: RiskAssessment) -> list[str]:
        return _codes(assessment.onward_destinations)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_basis(self, assessment: RiskAssessment) -> str | None:
        return assessment.basis if self.context["ntk"].assessment_basis else None


class DecisionCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    destination = CountryCodeField()
    reason = serializers.CharField(max_length=5000)


class AcceptanceCreateSerializer(StrictSerializer):
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AcceptanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.IntegerField(source="decision_id")
    organisation = serializers.IntegerField(source="organisation_id")
    reference = serializers.CharField()
    accepted_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    destination = CountryCodeField()
    reason = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    decided_at = serializers.DateTimeField()
    acceptance = serializers.SerializerMethodField()

    @extend_schema_field(AcceptanceSerializer(allow_null=True))
    def get_acceptance(self, decision: Decision) -> dict | None:
        try:
            acceptance = decision.acceptance
        except Acceptance.DoesNotExist:
            return None
        return AcceptanceSerializer(acceptance).data


class LegalOrganisationSerializer(StrictSerializer):
    organisation = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=MAX_ID,
        help_text=_("Id of a legal / protection NGO, or null for no representation."),
    )  # fmt: skip


# --- workflow ---------------------------------------------------------------------------------


class TransitionCreateSerializer(StrictSerializer):
    to_state = serializers.ChoiceField(choices=CaseState.choices)
    reason = serializers.CharField(max_length=2000)


class TransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_state = serializers.ChoiceField(choices=CaseState.choices)
    to_state = serializers.ChoiceField(choices=CaseState.choices)
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    at = serializers.DateTimeField()


# --- transfers --------------------------------------------------------------------------------


class TransferCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    destination = CountryCodeField()
    transit = country_list(required=False, help_text=_("Transit states in travel order."))
    scheduled_for = serializers.DateField()


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    destination = CountryCodeField()
    transit = serializers.SerializerMethodField()
    scheduled_for = serializers.DateField()
    status = serializers.ChoiceField(choices=TransferStatus.choices)
    scheduled_at = serializers.DateTimeField()
    executed_at = serializers.DateTimeField(allow_null=True)
    cancelled_reason = serializers.CharField()

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA})
    def get_transit(self, transfer: Transfer) -> list[str]:
        return transfer.transit_codes


class TransferFilterSerializer(StrictSerializer):
    person = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- organisations, audit ---------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryCodeField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country"]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor_username", "organisation", "action", "object_type", "object_id",
            "object_repr", "person", "changes",
        ]  # fmt: skip


class PageFilterSerializer(StrictSerializer):
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- problems ---------------------------------------------------------------------------------


class ProblemTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    status = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
