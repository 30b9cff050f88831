from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation
from django_countries import countries

from safepassage.lib import countries as countries_module
from safepassage.lib.countries import country_code_of, country_codes, country_name


def test_a_code_is_trimmed_and_in_capitals():
    assert country_code_of(" ua ") == "UA"


def test_a_country_object_gives_its_code():
    assert country_code_of(SimpleNamespace(code="kr")) == "KR"


def test_no_value_gives_an_empty_code():
    assert country_code_of(None) == "" and country_code_of("") == ""


def test_codes_come_once_each_in_their_order_without_empty_ones():
    assert country_codes(["kp", " KR", "", None, "KP", SimpleNamespace(code="ua")]) == [
        "KP",
        "KR",
        "UA",
    ]


def test_no_values_give_no_codes():
    assert country_codes(None) == [] and country_codes(()) == []


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_cached_name_is_the_one_django_countries_gives(language):
    with translation.override(language):
        wrong = [c.code for c in countries if country_name(c.code) != str(countries.name(c.code))]
    assert wrong == []


def test_a_name_follows_the_active_language():
    names = set()
    for language in ("en", "ko", "uk", "ru"):
        with translation.override(language):
            names.add(country_name("KR"))
    assert "South Korea" in names and len(names) == 4


def test_an_unknown_code_has_no_name_and_is_not_kept():
    assert country_name("XX") == ""
    assert ("XX", translation.get_language()) not in countries_module._NAMES
