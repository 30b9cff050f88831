"""Forms of the case pages: will expressions, assessments, decisions, acceptances, transfers,
steps and legal representation. The services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.cases.models import CaseState, DecisionKind, RiskLevel, WillExpression
from safepassage.cases.services import STEP_FACTS
from safepassage.cases.workflow import IRREVERSIBLE
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
    present_party = model_field(WillExpression, "present_party")
    interpreter = model_field(
        WillExpression,
        "interpreter",
        help_text=_("Chosen by the verifier, never provided by either party."),
    )
    interpreter_affiliation = model_field(
        WillExpression,
        "interpreter_affiliation",
        help_text=_("An interpreter of a party to the conflict makes the will unverified."),
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
    """What is decided, and where to: a state assessed for him (or his own, for a
    repatriation). No choice is made for the decision maker but what his will asks."""

    kind = forms.ChoiceField(label=_("Decision"))
    destination = forms.ChoiceField(
        label=_("Destination"),
        help_text=_(
            "The states assessed for him, with the assessment's outcome. The non-refoulement "
            "guard decides whether the decision is allowed."
        ),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— choose —")), *DecisionKind.choices]
        self.fields["destination"].choices = [("", _("— choose —")), *destinations]


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
    """The next step: none chosen in advance, the steps that cannot be undone listed last, in
    a group of their own, each followed by its facts and a confirmation."""

    target = forms.ChoiceField(label=_("Step"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, transitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        ordinary = [(t.target, t.label) for t in transitions if t.target not in IRREVERSIBLE]
        final = [(t.target, t.label) for t in transitions if t.target in IRREVERSIBLE]
        choices = [("", _("— choose a step —")), *ordinary]
        if final:
            choices.append((_("Cannot be undone: asks for the facts and a confirmation"), final))
        self.fields["target"].choices = choices if transitions else []


class StepFactsForm(forms.Form):
    """The facts of a death (Art. 120: as the death certificate gives them), a release, an
    escape or a closure; only those the step asks for (`services.STEP_FACTS`)."""

    occurred_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(max_length=300)
    cause = forms.CharField(
        label=_("Cause of death"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As the death certificate gives it."),
    )
    certified_by = forms.CharField(
        label=_("Certified by"),
        max_length=300,
        help_text=_("The doctor or authority who signed the death certificate."),
    )
    circumstances = forms.CharField(
        label=_("Circumstances"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the history says of this step, e.g. the source of the news."),
    )

    LABELS = {
        CaseState.DECEASED: (_("Date of death"), _("Place of death")),
        CaseState.RELEASED: (_("Date of release"), _("Place of release")),
        CaseState.ESCAPED: (_("Date of escape"), _("Place of escape")),
    }

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = {*STEP_FACTS.get(target, ()), "reason"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if target in self.LABELS:
            self.fields["occurred_on"].label, self.fields["place"].label = self.LABELS[target]


class HandoverForm(forms.Form):
    handed_over_on = forms.DateField(
        label=_("Date of the handover"), widget=forms.DateInput(attrs={"type": "date"})
    )
    transport = forms.CharField(
        label=_("Transport"),
        max_length=300,
        help_text=_("How he was taken, e.g. ICRC bus through the crossing at …"),
    )
    early_reason = forms.CharField(
        label=_("Reason for a date before the scheduled one"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when he was handed over before the scheduled date."),
    )


class LegalAssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Legal / protection NGO"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.LEGAL_NGO),
        required=False,
        empty_label=_("No legal representation"),
    )
