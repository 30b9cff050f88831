"""Form fields every app's forms share. Forms parse and check input; the services decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def model_field(model, name: str, **kwargs) -> forms.Field:
    """The model's own form field: its label, choices and help text stay in one place."""
    return model._meta.get_field(name).formfield(**kwargs)


def date_field(model, name: str) -> forms.Field:
    return model_field(model, name, widget=forms.DateInput(attrs={"type": "date"}))


class CountryCodesField(forms.CharField):
    """ISO 3166 alpha-2 codes typed as "KR, PL"; keeps the order (transit states are a route)."""

    default_error_messages = {
        "unknown": _("Unknown country code(s): %(codes)s. Use two-letter ISO codes, e.g. KR, PL."),
        "single": _("Enter one country code."),
    }

    def __init__(self, *, single: bool = False, **kwargs):
        self.single = single
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text",
            _("Two-letter ISO code, e.g. KR.")
            if single
            else _("Two-letter ISO codes separated by commas, e.g. KR, PL."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocapitalize", "characters")
        self.widget.attrs.setdefault("spellcheck", "false")

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        if hasattr(value, "code"):
            return value.code
        # A list of codes, or a multiple CountryField's value (an iterable of Country).
        return ", ".join(getattr(v, "code", v) for v in value)

    def to_python(self, value):
        text = super().to_python(value)
        codes: list[str] = []
        for code in _CODE_SEPARATORS.split(text.upper()):
            if code and code not in codes:
                codes.append(code)
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"codes": ", ".join(unknown)}
            )
        if self.single:
            if len(codes) > 1:
                raise forms.ValidationError(self.error_messages["single"], code="single")
            return codes[0] if codes else ""
        return codes

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
