from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.exports.documents.labels import EVENTS, SECOND_LANGUAGE_CHOICES
from safepassage.exports.models import Format
from safepassage.exports.selectors import EVENT_KINDS

IDENTIFIED_HELP = _(
    "With names, numbers and places. Only for the registrars who pass them on by law; you will "
    "be asked for your password or a code again, and the export is recorded."
)


class PersonDocumentForm(forms.Form):
    identified = forms.BooleanField(
        label=_("Identified"), required=False, help_text=IDENTIFIED_HELP
    )


class NotificationListForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.CSV)
    since = forms.DateField(
        label=_("Events from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Events until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(kind, EVENTS[kind].text) for kind in EVENT_KINDS],
        initial=list(EVENT_KINDS),
        widget=forms.CheckboxSelectMultiple,
    )
    second_language = forms.ChoiceField(
        label=_("Second language of the headings"),
        choices=SECOND_LANGUAGE_CHOICES,
        required=False,
        help_text=_("The other party's language, beside yours."),
    )
    identified = forms.BooleanField(
        label=_("Identified"), required=False, help_text=IDENTIFIED_HELP
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
