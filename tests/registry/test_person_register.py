import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.cases.models import CaseState
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person, RegistrySequence
from safepassage.registry.services import NameInput, person_register
from tests.factories import register


def test_it_registers_a_person_with_his_names_and_opens_his_case(people):
    person = person_register(
        actor=people.registrar,
        names=[
            NameInput(family_name=" 김 ", given_name="철수"),
            NameInput(family_name="Ким", given_name="Чхоль Су", romanization="", source="ID"),
            NameInput(family_name="Kim", given_name="Chol Su", romanization="dprk"),
        ],
        nationalities=["KP"],
        rank="Sergeant",
        birth_date=datetime.date(1999, 3, 1),
        birth_date_precision="year",
    )
    person.refresh_from_db()
    assert person.detaining_organisation == people.registrar.organisation
    assert [c.code for c in person.nationalities] == ["KP"]
    assert person.case.state == CaseState.REGISTERED
    names = list(person.names.all())
    assert [(n.family_name, n.script, n.position) for n in names] == [
        ("김", "Hang", 0), ("Ким", "Cyrl", 1), ("Kim", "Latn", 2),
    ]  # fmt: skip
    assert names[1].romanization == "as_written"
    assert person.primary_name == names[0]


def test_it_requires_a_name(people):
    with pytest.raises(DomainError, match="at least one name"):
        person_register(actor=people.registrar, names=[])
    with pytest.raises(DomainError, match="family name or a given name"):
        person_register(actor=people.registrar, names=[NameInput(family_name="  ")])
    assert not Person.objects.exists()


def test_it_refuses_unknown_fields(people):
    with pytest.raises(DomainError, match="Unknown fields: registry_number"):
        register(people.registrar, registry_number="UA-1-1")


@pytest.mark.parametrize("field", ["birth_date", "capture_date"])
def test_it_refuses_a_date_in_the_future(people, field):
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="future"):
        register(people.registrar, **{field: future})
    assert not Person.objects.exists()


def test_it_refuses_a_capture_before_birth(people):
    with pytest.raises(DomainError, match="before the date of birth"):
        register(
            people.registrar,
            birth_date=datetime.date(2000, 1, 2),
            capture_date=datetime.date(1999, 12, 31),
        )


@pytest.mark.parametrize("who", ["interviewer", "receiving_officer", "legal_officer", "planner"])
def test_only_a_registrar_of_a_detaining_power_registers(people, who):
    with pytest.raises(PermissionDenied):
        register(getattr(people, who))


def test_the_outsider_registers_only_for_his_own_organisation(people):
    person = register(people.outsider)
    assert person.detaining_organisation == people.outsider.organisation
    assert person.registry_number.startswith("RU-")


# --- registry numbers -------------------------------------------------------------------------


def test_registry_numbers_count_per_country_and_year(people):
    year = timezone.localdate().year
    first = register(people.registrar)
    second = register(people.registrar, family="Ri")
    theirs = register(people.outsider)
    assert first.registry_number == f"UA-{year}-000001"
    assert second.registry_number == f"UA-{year}-000002"
    assert theirs.registry_number == f"RU-{year}-000001"


def test_a_new_year_starts_a_new_sequence(people):
    register(people.registrar)
    older = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Pak")],
        registered_on=datetime.date(2025, 6, 1),
    )
    assert older.registry_number == "UA-2025-000001"
    assert set(RegistrySequence.objects.values_list("prefix", "last")) == {
        (f"UA-{timezone.localdate().year}", 1),
        ("UA-2025", 1),
    }


def test_a_failed_registration_does_not_use_up_a_number(people):
    year = timezone.localdate().year
    with pytest.raises(DomainError):
        person_register(actor=people.registrar, names=[NameInput()])
    assert register(people.registrar).registry_number == f"UA-{year}-000001"
