"""Forms of the tracing pages. They parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.tracing.models import Consent, DisclosureItem, TracingRequest, TracingStatus
from safepassage.web.forms import CountryCodesField

REQUEST_FORM_FIELDS = (
    "requester_kind", "requester_name", "requester_relationship", "requester_contact",
    "language", "family_name", "given_name", "full_name", "birth_date", "birth_place",
    "unit", "service_number", "last_seen_place", "last_seen_date", "circumstances",
)  # fmt: skip


class TracingRequestForm(forms.Form):
    """Who asks and what is known. Dates may be partial; names in any script."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUEST_FORM_FIELDS:
            field = TracingRequest._meta.get_field(name).formfield()
            if name in ("birth_date", "last_seen_date"):
                field.widget.attrs.update({"placeholder": "YYYY-MM-DD", "inputmode": "numeric"})
            self.fields[name] = field
        self.fields["nationality"] = CountryCodesField(
            label=_("nationality"), single=True, required=False
        )
        self.order_fields([*REQUEST_FORM_FIELDS[:11], "nationality"])


class VerdictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("What makes you sure, or what rules him out. It is kept."),
    )


class InformForm(forms.Form):
    consent = forms.ChoiceField(label=_("His consent"), choices=Consent.choices)
    items = forms.MultipleChoiceField(
        label=_("What the requester is told"),
        choices=DisclosureItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only what his protection allows is accepted (see below)."),
    )
    channel = forms.CharField(
        label=_("How"), max_length=100, required=False, help_text=_("Letter, telephone, …")
    )
    message = forms.CharField(
        label=_("Message sent"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any"))] + TracingStatus.choices, required=False
    )


class PairDecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("same", _("Same person: merge")), ("different", _("Different persons"))],
        widget=forms.RadioSelect,
    )
    survivor = forms.ChoiceField(label=_("Record to keep"), required=False)
    reason = VerdictForm.base_fields["reason"]

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pair is not None:
            self.fields["survivor"].choices = [
                (str(pair.left_id), pair.left.registry_number),
                (str(pair.right_id), pair.right.registry_number),
            ]
            self.fields["survivor"].initial = str(pair.left_id)
