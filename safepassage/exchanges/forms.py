"""Forms of the exchange pages: parsing only; the services hold the rules."""

import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import InterviewSetting, WillSource
from safepassage.exchanges.models import Category, ManifestLanguage, PriorityOrder, RatioKind
from safepassage.web.forms import CountryCodesField
from safepassage.web.uploads import UploadField

_CATEGORY_RATIO = re.compile(r"^\s*([a-z_]+)\s*=\s*(\d{1,4})\s*:\s*(\d{1,4})\s*$")


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    other_party = forms.CharField(label=_("Other party"), max_length=200)
    other_party_country = CountryCodesField(
        label=_("Other party's state (where ours go)"), single=True
    )
    manifest_language = forms.ChoiceField(
        label=_("Second language of the manifests"), choices=ManifestLanguage.choices
    )
    exchange_date = forms.DateField(
        label=_("Date of the exchange"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ratio_kind = forms.ChoiceField(label=_("Ratio"), choices=RatioKind.choices)
    ratio_ours = forms.IntegerField(label=_("Ours (N)"), min_value=1, max_value=1000, initial=1)
    ratio_theirs = forms.IntegerField(label=_("Theirs (M)"), min_value=1, max_value=1000, initial=1)
    category_ratios = forms.CharField(
        label=_("Ratios per category"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        # Interpolated when shown, so the reader's language applies (not the one at import).
        help_text=lazy(
            lambda: (
                _("One per line, e.g. officer=1:1 or wounded=1:2. Categories: %(c)s.")
                % {"c": ", ".join(Category.values)}
            ),
            str,
        )(),
    )
    max_per_side = forms.IntegerField(
        label=_("Maximum persons per side"), min_value=1, required=False
    )
    transport_capacity = forms.IntegerField(
        label=_("Transport capacity (seats, both sides)"), min_value=1, required=False
    )
    transit = CountryCodesField(
        label=_("Transit states of the handover route, in order"), required=False
    )
    priority_order = forms.ChoiceField(
        label=_("Then priority by"),
        choices=PriorityOrder.choices,
        help_text=_("The seriously wounded and sick always come first, then the most persons."),
    )
    travel_together = forms.CharField(
        label=_("Must travel together"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One group per line: registry numbers, ids or names, comma-separated."),
    )
    included = forms.CharField(
        label=_("Named for inclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    excluded = forms.CharField(
        label=_("Named for exclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_category_ratios(self) -> dict:
        ratios = {}
        for number, line in enumerate(self.cleaned_data["category_ratios"].splitlines(), 1):
            if not line.strip():
                continue
            match = _CATEGORY_RATIO.match(line.lower())
            if not match or match[1] not in Category.values or "0" in (match[2], match[3]):
                raise forms.ValidationError(
                    _("Line %(n)s: write CATEGORY=N:M with a known category, e.g. officer=1:1.")
                    % {"n": number}
                )
            ratios[match[1]] = [int(match[2]), int(match[3])]
        return ratios


class ProposalForm(forms.Form):
    file = UploadField(
        label=_("Their list (CSV or XLSX)"),
        help_text=_(
            "Columns: id, category and optionally name, side (theirs: they hand over; ours: "
            "they ask us for), seriously_wounded, fit_to_travel, priority, registry_number, "
            "service_number, birth_date."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    """No fields: the button is the confirmation."""


class RefusalForm(forms.Form):
    statement = forms.CharField(
        label=_("What he said, in his words"), widget=forms.Textarea(attrs={"rows": 4})
    )
    certainty = forms.IntegerField(label=_("Certainty (%)"), min_value=0, max_value=100,
                                   initial=100)  # fmt: skip
    source = forms.ChoiceField(
        label=_("Source"), choices=WillSource.choices, initial=WillSource.OFFICIAL_INTERVIEW
    )
    setting = forms.ChoiceField(
        label=_("Setting"), choices=InterviewSetting.choices, initial=InterviewSetting.WITNESSED
    )
    present = forms.CharField(label=_("Who else was present"), required=False, max_length=300)
    interpreter = forms.CharField(label=_("Interpreter"), required=False, max_length=200)
    language = forms.CharField(label=_("Language"), required=False, max_length=50)


class CandidateForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    fit_to_travel = forms.BooleanField(label=_("Fit to travel"), required=False)
