from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.field.models import ConflictResolution


class ConflictResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=ConflictResolution.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("For the record: what you checked and with whom."),
    )  # fmt: skip
