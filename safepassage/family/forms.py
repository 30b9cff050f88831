from django import forms
from django.utils.translation import gettext_lazy as _


class CaptureCardChoiceForm(forms.Form):
    card_to_family = forms.BooleanField(
        label=_("Send a capture card to his family"), required=False
    )
    address_on_card = forms.BooleanField(
        label=_("His family's address may be written on the card"), required=False,
        help_text=_("Only if he asks for it: the card can reach those who would punish them."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_choice = forms.IntegerField(widget=forms.HiddenInput, required=False)
