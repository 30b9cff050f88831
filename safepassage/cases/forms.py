"""Forms of the case pages: will expressions, assessments, decisions, acceptances, transfers,
steps and legal representation. The services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.cases.models import DecisionKind, RiskLevel, WillExpression
from safepassage.web.forms import CountryCodesField, date_field, model_field


class WillForm(forms.Form):
    expressed_on = date_field(WillExpression, "expressed_on")
    source = model_field(WillExpression, "source")
    setting = model_field(WillExpression, "setting")
    present = model_field(
        WillExpression,
        "present",
        help_text=_("Leave empty for a private interview; name anyone else in the room."),
    )
    interpreter = model_field(
        WillExpression,
        "interpreter",
        help_text=_("Chosen by the verifier, never provided by either party."),
    )
    language = model_field(WillExpression, "language")
    wish = model_field(WillExpression, "wish")
    destinations_preferred = CountryCodesField(label=_("Destinations preferred"), required=False)
    destinations_refused = CountryCodesField(
        label=_("Destinations refused"),
        required=False,
        help_text=_(
            "Two-letter ISO codes, e.g. KP. A wish to go elsewhere refuses his country of origin "
            "even when it is not listed."
        ),
    )
    certainty = forms.IntegerField(
        label=_("Certainty (%)"),
        min_value=0,
        max_value=100,
        help_text=_("How sure he said he is, 0–100. “About 80 per cent sure” is a real answer."),
    )
    statement = model_field(
        WillExpression,
        "statement",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("His own words. Seen only by the verifier and his legal representatives."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AssessmentForm(forms.Form):
    country = CountryCodesField(label=_("State assessed"), single=True)
    persecution_risk = forms.ChoiceField(label=_("Persecution risk"), choices=RiskLevel.choices)
    onward_transfer_risk = forms.ChoiceField(
        label=_("Onward-transfer risk"),
        choices=RiskLevel.choices,
        help_text=_("The risk that this state sends him on to a refused or high-risk state."),
    )
    onward_destinations = CountryCodesField(
        label=_("States he might be sent on to"), required=False
    )
    basis = forms.CharField(
        label=_("Basis"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sources, facts and reasoning."),
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    destination = CountryCodesField(label=_("Destination"), single=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class AcceptanceForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("Your file number for this acceptance, if any."),
    )


class TransferForm(forms.Form):
    destination = CountryCodesField(label=_("Destination"), single=True)
    transit = CountryCodesField(
        label=_("Transit states, in order"),
        required=False,
        help_text=_("Two-letter ISO codes in the order he passes through them, e.g. PL, DE."),
    )
    scheduled_for = forms.DateField(
        label=_("Scheduled for"), widget=forms.DateInput(attrs={"type": "date"})
    )


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Step"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, transitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.target, t.label) for t in transitions]


class LegalAssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Legal / protection NGO"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.LEGAL_NGO),
        required=False,
        empty_label=_("No legal representation"),
    )
