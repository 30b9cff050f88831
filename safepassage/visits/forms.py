from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import InterpreterAffiliation, InterviewSetting, Wish
from safepassage.registry.models import Place
from safepassage.visits.models import InterviewOutcome, SeeReason, TeamRole


class DateInput(forms.DateInput):
    input_type = "date"


class VisitPlanForm(forms.Form):
    # "—", as the other empty choices here: Django's own empty label is not translated in ko/uk/ru.
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), empty_label="—")
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    user = forms.ModelChoiceField(
        label=_("Colleague"), queryset=None, required=False, empty_label="—"
    )
    name = forms.CharField(label=_("Or name"), max_length=200, required=False)
    affiliation = forms.ChoiceField(
        label=_("Interpreter's organisation"),
        choices=InterpreterAffiliation.choices,
        required=False,
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues


class VisitListForm(forms.Form):
    everyone = forms.BooleanField(label=_("Everyone held at the place"), required=False)
    reasons = forms.MultipleChoiceField(
        label=_("Or those"),
        choices=[c for c in SeeReason.choices if c[0] != SeeReason.AT_THE_PLACE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReportForm(forms.Form):
    report = forms.CharField(label=_("Confidential report"), widget=forms.Textarea)


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class InterviewForm(forms.Form):
    person = forms.ChoiceField(label=_("Person seen"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InterviewOutcome.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    setting = forms.ChoiceField(
        label=_("Setting"), choices=[("", "—"), *InterviewSetting.choices], required=False
    )
    present = forms.CharField(label=_("Who else was present"), max_length=300, required=False)
    present_party = forms.BooleanField(
        label=_("Someone present belongs to a party to the conflict"), required=False
    )
    interpreter = forms.CharField(label=_("Interpreter"), max_length=200, required=False)
    interpreter_affiliation = forms.ChoiceField(
        label=_("Interpreter's organisation"),
        choices=InterpreterAffiliation.choices,
        required=False,
    )
    language = forms.CharField(label=_("Language of the interview"), max_length=50, required=False)
    wish = forms.ChoiceField(
        label=_("Wish"), choices=[("", "—"), *Wish.choices], required=False,
        help_text=_("Leave empty to record his will later."),
    )  # fmt: skip
    destinations_preferred = forms.CharField(
        label=_("Destinations preferred"), required=False, help_text=_("Codes, e.g. KR, BR")
    )
    destinations_refused = forms.CharField(label=_("Destinations refused"), required=False)
    certainty = forms.IntegerField(label=_("Certainty (%)"), min_value=0, max_value=100, initial=50)
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea, required=False)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.registry_number) for p in persons]
