"""Forms of the web UI. They parse and validate input; the services decide and write."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.api.services import api_token_default_days, api_token_max_days
from safepassage.cases.models import (
    CaseState,
    DecisionKind,
    RiskLevel,
    WillExpression,
)
from safepassage.registry.models import Person, PersonName, Script
from safepassage.registry.services import PERSON_FIELDS

_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The model's own form field: its label, choices and help text stay in one place."""
    return model._meta.get_field(name).formfield(**kwargs)


def _date_field(model, name: str) -> forms.Field:
    return _model_field(model, name, widget=forms.DateInput(attrs={"type": "date"}))


class CountryCodesField(forms.CharField):
    """ISO 3166 alpha-2 codes typed as "KR, PL"; keeps the order (transit states are a route)."""

    default_error_messages = {
        "unknown": _("Unknown country code(s): %(codes)s. Use two-letter ISO codes, e.g. KR, PL."),
        "single": _("Enter one country code."),
    }

    def __init__(self, *, single: bool = False, **kwargs):
        self.single = single
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text",
            _("Two-letter ISO code, e.g. KR.")
            if single
            else _("Two-letter ISO codes separated by commas, e.g. KR, PL."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocapitalize", "characters")
        self.widget.attrs.setdefault("spellcheck", "false")

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        if hasattr(value, "code"):
            return value.code
        # A list of codes, or a multiple CountryField's value (an iterable of Country).
        return ", ".join(getattr(v, "code", v) for v in value)

    def to_python(self, value):
        text = super().to_python(value)
        codes: list[str] = []
        for code in _CODE_SEPARATORS.split(text.upper()):
            if code and code not in codes:
                codes.append(code)
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"codes": ", ".join(unknown)}
            )
        if self.single:
            if len(codes) > 1:
                raise forms.ValidationError(self.error_messages["single"], code="single")
            return codes[0] if codes else ""
        return codes

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


# --- registry ---------------------------------------------------------------------------------

IDENTITY_FIELDS = PERSON_FIELDS


class PersonForm(forms.Form):
    """The identity core (GC III Art. 17) and the capture card; every field may be unknown."""

    def __init__(self, *args, show_next_of_kin: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in IDENTITY_FIELDS:
            if name == "nationalities":
                self.fields[name] = CountryCodesField(
                    label=_("Claimed nationalities"), required=False
                )
            elif name in ("birth_date", "capture_date"):
                self.fields[name] = _date_field(Person, name)
            elif name in ("wounds", "next_of_kin"):
                self.fields[name] = _model_field(
                    Person, name, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                self.fields[name] = _model_field(Person, name)
        if not show_next_of_kin:
            del self.fields["next_of_kin"]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NameForm(forms.Form):
    family_name = _model_field(PersonName, "family_name")
    given_name = _model_field(PersonName, "given_name")
    patronymic = _model_field(PersonName, "patronymic")
    script = forms.ChoiceField(
        label=_("Script"),
        choices=[("", _("Detect from the name")), *Script.choices],
        required=False,
    )
    romanization = _model_field(PersonName, "romanization")
    source = _model_field(PersonName, "source")
    is_assumed_identity = _model_field(PersonName, "is_assumed_identity")

    def clean(self):
        data = super().clean()
        if not (data.get("family_name", "").strip() or data.get("given_name", "").strip()):
            raise forms.ValidationError(_("A name needs a family name or a given name."))
        return data


class BaseNameFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.names():
            raise forms.ValidationError(_("Register at least one name, in any script."))

    def names(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed()]


# Two rows, so a Hangul and a Latin spelling can be entered at once.
NameFormSet = forms.formset_factory(NameForm, formset=BaseNameFormSet, extra=2)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Case state"), required=False, choices=[("", _("Any")), *CaseState.choices]
    )
    nationality = CountryCodesField(label=_("Nationality"), single=True, required=False)
    internment_place = forms.CharField(
        label=_("Place of internment"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Name in any script, registry or service number")}
        )
        self.fields["nationality"].help_text = ""
        self.fields["nationality"].widget.attrs.update({"size": 4, "placeholder": "KP"})


# --- cases ------------------------------------------------------------------------------------


class WillForm(forms.Form):
    expressed_on = _date_field(WillExpression, "expressed_on")
    source = _model_field(WillExpression, "source")
    setting = _model_field(WillExpression, "setting")
    present = _model_field(
        WillExpression,
        "present",
        help_text=_("Leave empty for a private interview; name anyone else in the room."),
    )
    interpreter = _model_field(
        WillExpression,
        "interpreter",
        help_text=_("Chosen by the verifier, never provided by either party."),
    )
    language = _model_field(WillExpression, "language")
    wish = _model_field(WillExpression, "wish")
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
    statement = _model_field(
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


# --- settings ---------------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “partner sync job”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting (API_TOKEN_MAX_DAYS); the service checks it again.
        longest = api_token_max_days()
        field = self.fields["days"]
        field.max_value = longest
        field.validators.append(MaxValueValidator(longest))
        field.widget.attrs["max"] = longest
        field.initial = api_token_default_days()
        field.help_text = _("1 to %(max)s days. Create a new token before this one expires.") % {
            "max": longest
        }
