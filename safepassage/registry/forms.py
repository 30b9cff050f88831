"""Forms of the registry's pages: identity, names, the search. The services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import CaseState
from safepassage.registry.models import Person, PersonName, Script
from safepassage.registry.services import NAME_NEEDED, PERSON_FIELDS, name_is_given
from safepassage.web.forms import CountryCodesField, date_field, model_field

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
                self.fields[name] = date_field(Person, name)
            elif name in ("wounds", "next_of_kin"):
                self.fields[name] = model_field(
                    Person, name, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                self.fields[name] = model_field(Person, name)
        if not show_next_of_kin:
            del self.fields["next_of_kin"]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NameForm(forms.Form):
    family_name = model_field(PersonName, "family_name")
    given_name = model_field(PersonName, "given_name")
    patronymic = model_field(PersonName, "patronymic")
    script = forms.ChoiceField(
        label=_("Script"),
        choices=[("", _("Detect from the name")), *Script.choices],
        required=False,
    )
    romanization = model_field(PersonName, "romanization")
    source = model_field(PersonName, "source")
    is_assumed_identity = model_field(PersonName, "is_assumed_identity")

    def clean(self):
        data = super().clean()
        if not name_is_given(
            family_name=data.get("family_name", ""), given_name=data.get("given_name", "")
        ):
            raise forms.ValidationError(NAME_NEEDED)
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
