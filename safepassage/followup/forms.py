from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.followup.models import ContactOutcome


class DateInput(forms.DateInput):
    input_type = "date"


class ReceptionForm(forms.Form):
    arrived_on = forms.DateField(label=_("Arrived on"), widget=DateInput)


class StepDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScheduleForm(forms.Form):
    months = forms.CharField(
        label=_("Months after the handover"), initial="1, 3, 6, 12", max_length=100,
        help_text=_("Comma-separated, e.g. 1, 3, 6, 12."),
    )  # fmt: skip

    def clean_months(self) -> list[int]:
        try:
            return [int(m) for m in self.cleaned_data["months"].replace(";", ",").split(",")
                    if m.strip()]  # fmt: skip
        except ValueError:
            raise forms.ValidationError(_("Write whole numbers of months.")) from None


class ContactForm(forms.Form):
    reached = forms.BooleanField(label=_("He was reached"), required=False)
    contacted_on = forms.DateField(label=_("Date of the contact"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices, required=False)
    sent_on_to = forms.CharField(label=_("Sent on to (country code)"), max_length=2, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReceptionStepsForm(forms.Form):
    labels = forms.CharField(
        label=_("Your steps after arrival"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step a line, in order. Each arrival recorded from now on lists them."),
    )  # fmt: skip

    def clean_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["labels"].splitlines() if line.strip()]
