"""Choice labels read from a cache per field and language, built once.

Django's `get_FOO_display` builds a dict of the field's choices on every call, and hashing each
lazy label translates it: fourteen translations to show one case state, seven hundred on a
search page of fifty. `ChoiceLabels` gives a model the same `get_FOO_display` from a dict made
once per (field, active language); the labels still follow the active language.
"""

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_LABELS: dict[tuple[Field, str | None], dict] = {}


def choice_labels(field: Field) -> dict:
    """{value: label} of `field`'s choices in the active language (values made hashable)."""
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
        _LABELS[key] = labels
    return labels


def choice_label(field: Field, value):
    """The label of `value` among `field`'s choices, as `get_FOO_display` gives it (the value
    itself when it is not one of them)."""
    labels = choice_labels(field)
    key = make_hashable(value)
    if key in labels:
        return labels[key]
    return force_str(value, strings_only=True)


class ChoiceLabels:
    """A model mixin: its `get_FOO_display` methods read `choice_labels`. Put it before
    `models.Model`; every safepassage model with choices has it (tests/lib/test_labels.py)."""

    def _get_FIELD_display(self, field: Field):  # noqa: N802 - Django's name, overridden
        return choice_label(field, getattr(self, field.attname))
