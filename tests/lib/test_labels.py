"""Choice labels from the per-field, per-language cache: the same as Django's own, in every
language, for every choice of every safepassage model field with choices."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from safepassage.cases.models import Case, CaseState
from safepassage.lib.labels import ChoiceLabels

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _fields_with_choices():
    for model in apps.get_models():
        if model.__module__.startswith("safepassage."):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


FIELDS = list(_fields_with_choices())
# A multiple CountryField has choices but no flat list of them: no label to show, here or in
# Django's own get_FOO_display.
SHOWN = [(m, f) for m, f in FIELDS if f.flatchoices is not None]


def _instance(model, field, value):
    instance = model.__new__(model)
    instance.__dict__[field.attname] = value
    return instance


def test_every_model_with_choices_reads_the_cached_labels():
    assert FIELDS
    assert [m.__name__ for m, _f in FIELDS if not issubclass(m, ChoiceLabels)] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("model", "field"), SHOWN, ids=[f"{m.__name__}.{f.name}" for m, f in SHOWN]
)
def test_each_label_is_the_one_django_gives(model, field, language):
    display = f"get_{field.name}_display"
    with translation.override(language):
        for value, _label in field.flatchoices:
            instance = _instance(model, field, value)
            assert getattr(instance, display)() == models.Model._get_FIELD_display(
                instance, field
            ), (value, language)


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert _instance(Case, Case._meta.get_field("state"), "gone").get_state_display() == "gone"
    assert _instance(Case, Case._meta.get_field("state"), None).get_state_display() is None


def test_the_label_follows_the_active_language():
    case = _instance(Case, Case._meta.get_field("state"), CaseState.REGISTERED)
    shown = {}
    for language in LANGUAGES:
        with translation.override(language):
            shown[language] = case.get_state_display()
    assert shown["en"] == "Registered"
    assert len(set(shown.values())) == len(LANGUAGES), shown
