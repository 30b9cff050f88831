"""Shapes of the case API: will expressions, assessments, decisions, acceptances, steps and
transfers, masked to the reader's need to know (decided by the policy, passed in as `NeedToKnow`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safepassage.api.serializers import (
    COUNTRY_SCHEMA,
    MAX_ID,
    CountryCodeField,
    StrictSerializer,
    country_codes,
    country_list,
)
from safepassage.cases.models import (
    Acceptance,
    CaseState,
    Decision,
    DecisionKind,
    Declination,
    Handover,
    InterpreterAffiliation,
    InterviewSetting,
    RiskAssessment,
    RiskLevel,
    StepFacts,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
    WillSource,
    Wish,
)
from safepassage.cases.selectors import OUTCOME_LABELS, will_outcome_code


class WillCreateSerializer(StrictSerializer):
    expressed_on = serializers.DateField()
    source = serializers.ChoiceField(choices=WillSource.choices)
    setting = serializers.ChoiceField(choices=InterviewSetting.choices)
    present = serializers.CharField(max_length=300, required=False, allow_blank=True)
    present_party = serializers.BooleanField(
        required=False,
        help_text=_("Someone present belongs to a party to the conflict: never verified."),
    )
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    interpreter_affiliation = serializers.ChoiceField(
        choices=InterpreterAffiliation.choices,
        required=False,
        allow_blank=True,
        help_text=_("Whose the interpreter is; a party's interpreter leaves the will unverified."),
    )
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
    present_party = serializers.SerializerMethodField()
    interpreter = serializers.SerializerMethodField()
    interpreter_affiliation = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    statement = serializers.SerializerMethodField()
    withdrawn_reason = serializers.SerializerMethodField()

    def _ntk(self):
        return self.context["ntk"]

    def get_governing(self, will: WillExpression) -> bool:
        return will.pk == self.context.get("governing_will_id")

    @extend_schema_field(serializers.ChoiceField(choices=list(OUTCOME_LABELS)))
    def get_outcome(self, will: WillExpression) -> str:
        return will_outcome_code(will, set(country_codes(will.person.nationalities)))

    @extend_schema_field({"type": "string", "enum": Wish.values, "nullable": True})
    def get_wish(self, will: WillExpression) -> str | None:
        return will.wish if self._ntk().will_details else None

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA, "nullable": True})
    def get_destinations_preferred(self, will: WillExpression) -> list[str] | None:
        return country_codes(will.destinations_preferred) if self._ntk().will_details else None

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA, "nullable": True})
    def get_destinations_refused(self, will: WillExpression) -> list[str] | None:
        return country_codes(will.destinations_refused) if self._ntk().will_details else None

    @extend_schema_field({"type": "integer", "minimum": 0, "maximum": 100, "nullable": True})
    def get_certainty(self, will: WillExpression) -> int | None:
        return will.certainty if self._ntk().will_details else None

    @extend_schema_field({"type": "string", "enum": InterviewSetting.values, "nullable": True})
    def get_setting(self, will: WillExpression) -> str | None:
        return will.setting if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_present(self, will: WillExpression) -> str | None:
        return will.present if self._ntk().will_interview else None

    @extend_schema_field({"type": "boolean", "nullable": True})
    def get_present_party(self, will: WillExpression) -> bool | None:
        return will.present_party if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_interpreter(self, will: WillExpression) -> str | None:
        return will.interpreter if self._ntk().will_interview else None

    @extend_schema_field(
        {"type": "string", "enum": InterpreterAffiliation.values, "nullable": True}
    )
    def get_interpreter_affiliation(self, will: WillExpression) -> str | None:
        return will.interpreter_affiliation if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_language(self, will: WillExpression) -> str | None:
        return will.language if self._ntk().will_interview else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_statement(self, will: WillExpression) -> str | None:
        return will.statement if self._ntk().will_statement else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_withdrawn_reason(self, will: WillExpression) -> str | None:
        return will.withdrawn_reason if self._ntk().will_details else None


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
        return country_codes(assessment.onward_destinations)

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


class DeclinationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.IntegerField(source="decision_id")
    organisation = serializers.IntegerField(source="organisation_id")
    reason = serializers.CharField()
    declined_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    destination = CountryCodeField()
    reason = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    decided_at = serializers.DateTimeField()
    acceptance = serializers.SerializerMethodField()
    declination = serializers.SerializerMethodField()

    @extend_schema_field(AcceptanceSerializer(allow_null=True))
    def get_acceptance(self, decision: Decision) -> dict | None:
        try:
            acceptance = decision.acceptance
        except Acceptance.DoesNotExist:
            return None
        return AcceptanceSerializer(acceptance).data

    @extend_schema_field(DeclinationSerializer(allow_null=True))
    def get_declination(self, decision: Decision) -> dict | None:
        try:
            declination = decision.declination
        except Declination.DoesNotExist:
            return None
        return DeclinationSerializer(declination).data


class LegalOrganisationSerializer(StrictSerializer):
    organisation = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=MAX_ID,
        help_text=_("Id of a legal / protection NGO, or null for no representation."),
    )  # fmt: skip


# --- workflow ---------------------------------------------------------------------------------


CONFIRM_HELP = _("true: you have checked the facts; this step cannot be undone by another step.")


class TransitionCreateSerializer(StrictSerializer):
    to_state = serializers.ChoiceField(choices=CaseState.choices)
    reason = serializers.CharField(max_length=2000)
    # The facts of a death (Art. 120), release or escape; a closure takes its reason alone.
    occurred_on = serializers.DateField(
        required=False, help_text=_("Death, release or escape: the day it happened.")
    )
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    cause = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("Death: its cause.")
    )
    certified_by = serializers.CharField(
        max_length=300, required=False, allow_blank=True,
        help_text=_("Death: who signed the death certificate."),
    )  # fmt: skip
    circumstances = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("Release or escape.")
    )
    confirm = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Death, release, escape, closure: ") + CONFIRM_HELP,
    )  # fmt: skip


class StepFactsSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(allow_null=True)
    place = serializers.CharField()
    cause = serializers.CharField()
    certified_by = serializers.CharField()
    circumstances = serializers.CharField()
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)


class TransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_state = serializers.ChoiceField(choices=CaseState.choices)
    to_state = serializers.ChoiceField(choices=CaseState.choices)
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    at = serializers.DateTimeField()
    facts = serializers.SerializerMethodField()

    @extend_schema_field(StepFactsSerializer(allow_null=True))
    def get_facts(self, transition) -> dict | None:
        try:
            facts = transition.facts
        except StepFacts.DoesNotExist:
            return None
        return StepFactsSerializer(facts).data


# --- transfers --------------------------------------------------------------------------------


class TransferCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    destination = CountryCodeField()
    transit = country_list(required=False, help_text=_("Transit states in travel order."))
    scheduled_for = serializers.DateField()


class TransferExecuteSerializer(StrictSerializer):
    handed_over_on = serializers.DateField(help_text=_("The day he was handed over."))
    transport = serializers.CharField(max_length=300, help_text=_("How he was taken."))
    early_reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="",
        help_text=_("Why before the scheduled date, when it was."),
    )  # fmt: skip
    confirm = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)


class HandoverSerializer(serializers.Serializer):
    handed_over_on = serializers.DateField()
    transport = serializers.CharField()
    early_reason = serializers.CharField()


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
    handover = serializers.SerializerMethodField()

    @extend_schema_field(HandoverSerializer(allow_null=True))
    def get_handover(self, transfer: Transfer) -> dict | None:
        try:
            handover = transfer.handover
        except Handover.DoesNotExist:
            return None
        return HandoverSerializer(handover).data

    @extend_schema_field({"type": "array", "items": COUNTRY_SCHEMA})
    def get_transit(self, transfer: Transfer) -> list[str]:
        return transfer.transit_codes


class TransferFilterSerializer(StrictSerializer):
    person = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)
