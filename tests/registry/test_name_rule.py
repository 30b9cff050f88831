"""A name needs a family name or a given name: one rule, said the same way by the service, the
page's form and the API."""

import pytest

from safepassage.lib.errors import DomainError
from safepassage.registry.forms import NameForm
from safepassage.registry.serializers import NameSerializer
from safepassage.registry.services import NAME_NEEDED, NameInput, name_is_given, person_name_values


@pytest.mark.parametrize(
    ("family", "given", "given_enough"),
    [("Kim", "", True), ("", "Chol Su", True), ("  ", " ", False), ("", "", False)],
)
def test_a_family_or_a_given_name_is_enough_and_blanks_are_none(family, given, given_enough):
    assert name_is_given(family_name=family, given_name=given) is given_enough


def test_the_service_refuses_a_name_with_only_a_patronymic():
    with pytest.raises(DomainError, match=str(NAME_NEEDED)):
        person_name_values(NameInput(patronymic="Ivanovich"))


def test_the_form_refuses_it_in_the_same_words():
    form = NameForm({"patronymic": "Ivanovich", "romanization": "as_written"})
    assert not form.is_valid()
    assert form.non_field_errors() == [str(NAME_NEEDED)]


def test_the_api_refuses_it_in_the_same_words():
    serializer = NameSerializer(data={"patronymic": "Ivanovich"})
    assert not serializer.is_valid()
    assert serializer.errors["family_name"] == [str(NAME_NEEDED)]
