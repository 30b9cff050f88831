from types import SimpleNamespace

from safepassage.lib.countries import country_code_of, country_codes


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
