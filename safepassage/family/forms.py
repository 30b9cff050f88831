from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.family.models import Direction


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


class CorrespondenceChoiceForm(forms.Form):
    may_write = forms.CharField(
        label=_("Who may write to him"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line. A message from anyone else is refused."),
    )  # fmt: skip
    may_know_place = forms.CharField(
        label=_("Who may learn where he is held"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line, among those who may write. No one else is told his "
                    "place of detention."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_choice = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FamilyMessageForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    correspondent_name = forms.CharField(label=_("Family correspondent"), max_length=200)
    correspondent_contact = forms.CharField(
        label=_("Their contact (address, telephone)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    text = forms.CharField(
        label=_("Family news"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Short family news, in any script."),
    )  # fmt: skip
    in_reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CensorForm(forms.Form):
    strike = forms.CharField(
        label=_("Passages to strike"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One passage a line, exactly as in the message. Leave empty to pass it."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MessageStepForm(forms.Form):
    target = forms.ChoiceField(label=_("Step"), choices=())
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required if it could not be delivered."),
    )  # fmt: skip
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(targets)
