"""The dashboard's filters: a date range and one of the organisations the user may filter by."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.reports.selectors import ReportFilters, default_filters, filter_organisations

# A range longer than this is refused: a chart of more weeks is unreadable, and slow.
MAX_DAYS = 5 * 366


class DateInput(forms.DateInput):
    input_type = "date"


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To (included)"), required=False, widget=DateInput)
    organisation = forms.ModelChoiceField(
        label=_("Detaining power"),
        queryset=None,
        required=False,
        empty_label=_("All you may see"),
        help_text=_("Counts only the persons this organisation holds."),
    )

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["organisation"].queryset = filter_organisations(actor=actor)
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Choose one of the organisations listed: you may filter only by those whose "
            "persons you see."
        )
        defaults = default_filters()
        self.fields["date_from"].widget.attrs["placeholder"] = defaults.date_from.isoformat()
        self.fields["date_to"].widget.attrs["placeholder"] = defaults.date_to.isoformat()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        defaults = default_filters()
        start, end = start or defaults.date_from, end or defaults.date_to
        if start > end:
            raise forms.ValidationError(
                _("The period starts after it ends: choose a “From” date before the “To” date.")
            )
        if end - start > datetime.timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return cleaned

    def filters(self) -> ReportFilters:
        """The filters chosen, or the defaults (the last 26 weeks, everything one may see) for
        what is missing or invalid."""
        defaults = default_filters()
        if not self.is_bound or not self.is_valid():
            return defaults
        data = self.cleaned_data
        return ReportFilters(
            date_from=data.get("date_from") or defaults.date_from,
            date_to=data.get("date_to") or defaults.date_to,
            organisation=data.get("organisation"),
        )
