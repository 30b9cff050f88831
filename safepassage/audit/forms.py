"""The audit log's filter: a GET form an auditor narrows the log with (the page, its CSV)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.access.visibility import persons_visible_to
from safepassage.audit import selectors
from safepassage.audit.labels import action_choices
from safepassage.audit.selectors import AuditFilter


def _date() -> forms.DateField:
    return forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Registry number"), required=False, max_length=64,
        help_text=_("Only the events about this person, e.g. UA-2025-000001."),
    )  # fmt: skip
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = _date()
    until = _date()

    def __init__(self, data=None, *, actor, person=None):
        super().__init__(data)
        self.actor = actor
        self.fixed_person = person
        self.fields["since"].label = _("From")
        self.fields["until"].label = _("Until")
        choices = action_choices(selectors.audit_actions_of(actor=actor))
        self.fields["action"].choices = [("", _("Every action")), *choices]
        if person is not None:
            del self.fields["person"]

    def clean_person(self) -> int | None:
        number = self.cleaned_data["person"].strip()
        if not number:
            return None
        found = persons_visible_to(self.actor).filter(registry_number__iexact=number).first()
        if found is None:
            raise forms.ValidationError(
                _("No person with this registry number that you may see. Check the number.")
            )
        return found.pk

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def filters(self) -> AuditFilter:
        """The filter of a valid form (call `is_valid` first)."""
        data = self.cleaned_data
        person = self.fixed_person.pk if self.fixed_person is not None else data.get("person")
        return AuditFilter(
            person=person,
            user=(data.get("user") or "").strip(),
            action=data.get("action") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
