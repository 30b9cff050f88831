"""The serializer pieces every app's API shares: strict input, country codes, a reason, a page.

Each app's serializers (`registry.serializers`, `cases.serializers`, …) build on these; input
serializers parse and check types, output serializers show records masked to the reader's need
to know. No business rule lives here: the services decide and write.
"""

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1  # the largest BigAutoField value
COUNTRY_SCHEMA = {
    "type": "string",
    "pattern": "^[A-Za-z]{2}$",
    "description": "ISO 3166-1 alpha-2 code",
    "example": "KR",
}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error rather than silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


@extend_schema_field(COUNTRY_SCHEMA)
class CountryCodeField(serializers.CharField):
    """A two-letter ISO 3166 code, any case in, upper case out."""

    default_error_messages = {
        "unknown": _("Unknown country code “%(code)s”: use a two-letter ISO code such as KR."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        if code not in countries:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"code": data})
        return code

    def to_representation(self, value):
        return getattr(value, "code", value)


def country_list(**kwargs) -> serializers.ListField:
    kwargs.setdefault("max_length", 50)
    return serializers.ListField(child=CountryCodeField(), **kwargs)


def country_codes(values) -> list[str]:
    return [getattr(c, "code", c) for c in values]


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class PageFilterSerializer(StrictSerializer):
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class ProblemTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    status = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
