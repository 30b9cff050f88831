"""The form of the API tokens page."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from safepassage.api.services import api_token_default_days, api_token_max_days


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “partner sync job”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting (API_TOKEN_MAX_DAYS); the service checks it again.
        longest = api_token_max_days()
        field = self.fields["days"]
        field.max_value = longest
        field.validators.append(MaxValueValidator(longest))
        field.widget.attrs["max"] = longest
        field.initial = api_token_default_days()
        field.help_text = _("1 to %(max)s days. Create a new token before this one expires.") % {
            "max": longest
        }
