"""Forms of the medical pages. The services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.accounts.models import User
from safepassage.cases.models import InterpreterAffiliation, InterviewSetting
from safepassage.medical.models import ConsentAnswer, Ground, PresentedBy
from safepassage.medical.services import MemberInput
from safepassage.registry.models import Art110Category
from safepassage.web.forms import CountryCodesField

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommissionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput, required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Places visited"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    members = forms.CharField(
        label=_("Members"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: name; country (two letters); neutral or detaining; the account's user "
            "name if he has one. Two neutral doctors and one of the detaining power."
        ),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places

    def clean_members(self) -> list[MemberInput]:
        members = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 3 or parts[2].casefold() not in ("neutral", "detaining"):
                raise forms.ValidationError(
                    _("Line %(n)s: write name; country; neutral or detaining; user name.")
                    % {"n": number}
                )
            user = None
            if len(parts) > 3 and parts[3]:
                user = User.objects.filter(username=parts[3], is_active=True).first()
                if user is None:
                    raise forms.ValidationError(
                        _("Line %(n)s: no active account %(user)s.")
                        % {"n": number, "user": parts[3]}
                    )
            members.append(MemberInput(parts[0], parts[1], parts[2].casefold() == "neutral", user))
        return members


class PresentationForm(forms.Form):
    presented_by = forms.ChoiceField(
        label=_("Presented by"), choices=[("", "—"), *PresentedBy.choices]
    )
    presenter_name = forms.CharField(label=_("Name of who presented him"), required=False)
    presented_on = forms.DateField(label=_("Presented on"), widget=DateInput)


class ExaminationForm(forms.Form):
    commission = forms.ModelChoiceField(label=_("Commission"), queryset=None)
    examined_by = forms.ModelMultipleChoiceField(
        label=_("Examined by"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    examined_on = forms.DateField(label=_("Examined on"), widget=DateInput)
    category = forms.ChoiceField(
        label=_("Finding (Annex I)"),
        choices=[("", "—"), *(c for c in Art110Category.choices if c[0])],
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices, required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}))
    review_on = forms.DateField(label=_("Review on"), widget=DateInput, required=False)

    def __init__(self, *args, commissions, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions
        self.fields["examined_by"].queryset = members
        self.fields["examined_by"].label_from_instance = lambda m: (
            f"{m.name} ({m.country.code}{', ' + str(_('neutral')) if m.neutral else ''})"
        )


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(label=_("His answer"), choices=[("", "—"), *ConsentAnswer.choices])
    expressed_on = forms.DateField(label=_("Date of the interview"), widget=DateInput)
    destinations_preferred = CountryCodesField(
        label=_("Where he asks to go instead, or the neutral state he accepts"), required=False
    )
    certainty = forms.IntegerField(label=_("Certainty (%)"), min_value=0, max_value=100)
    setting = forms.ChoiceField(
        label=_("Setting"), choices=InterviewSetting.choices, initial=InterviewSetting.PRIVATE
    )
    present = forms.CharField(label=_("Who else was present"), max_length=300, required=False)
    interpreter = forms.CharField(label=_("Interpreter"), max_length=200, required=False)
    interpreter_affiliation = forms.ChoiceField(
        label=_("Interpreter's organisation"), choices=InterpreterAffiliation.choices,
        required=False,
    )  # fmt: skip
    language = forms.CharField(label=_("Language of the interview"), max_length=50, required=False)
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea, required=False)
    share_with_receiving_state = forms.BooleanField(
        label=_("He agrees that a receiving state reads his medical record"), required=False
    )
