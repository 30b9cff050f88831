from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Receiving state"), queryset=None, empty_label="—"
    )
    due_on = forms.DateField(
        label=_("Answer due by"), widget=DateInput, required=False,
        help_text=_("Empty: in 30 days."),
    )  # fmt: skip
    family_links = forms.CharField(
        label=_("Family links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the state needs to know of his family, without names or places "
                    "that would endanger them."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note to the state"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = states


class StepForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, question or information"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
    )  # fmt: skip
    reference = forms.CharField(label=_("Your reference"), required=False, max_length=200)

    def __init__(self, *args, with_reference: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reference:
            del self.fields["reference"]
