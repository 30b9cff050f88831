"""`safepassage seed`: a realistic generated registry, bulk-inserted, the audit chain valid."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepassage.accounts.models import Organisation, Role
from safepassage.audit.integrity import audit_chain_verify
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case, CaseState, CaseTransition
from safepassage.ops.seeding import SEED_ORGANISATION, STATES
from safepassage.registry.models import Person, PersonName
from safepassage.registry.selectors import person_list
from safepassage.registry.services import _refresh_search_text
from tests.factories import make_user

SEEDED_STATES = {state for state, _weight in STATES}


def test_it_adds_persons_with_names_and_cases_audited_per_batch(db, capsys):
    call_command("seed", "--persons", "25", "--batch-size", "10", "-v0")
    organisation = Organisation.objects.get(name=SEED_ORGANISATION)
    persons = Person.objects.filter(detaining_organisation=organisation)
    assert persons.count() == 25
    assert Case.objects.filter(person__in=persons).count() == 25
    assert PersonName.objects.filter(person__in=persons).count() >= 2 * 25
    events = AuditEvent.objects.filter(action="registry.seed").order_by("seq")
    assert [e.changes["persons"][1] for e in events] == [10, 10, 5]
    assert events[0].changes["first"][1] == persons.order_by("id")[0].registry_number
    assert audit_chain_verify().intact
    assert "Added 25 persons" in capsys.readouterr().out


def test_cases_are_in_varied_states_with_the_steps_that_led_there(db):
    call_command("seed", "--persons", "300", "-v0")
    states = set(Case.objects.values_list("state", flat=True))
    assert {CaseState.REGISTERED, CaseState.NOTIFIED, CaseState.AWAITING_INTERVIEW} <= states
    assert states & {CaseState.RELEASED, CaseState.DECEASED, CaseState.ESCAPED}
    assert states <= SEEDED_STATES  # nothing that needs a verified will or the guard's blocks
    for case in Case.objects.prefetch_related("transitions"):
        steps = sorted(case.transitions.all(), key=lambda t: t.id)
        path = [CaseState.REGISTERED, *(t.to_state for t in steps)]
        assert path[-1] == case.state
        assert all(t.from_state == before for t, before in zip(steps, path, strict=False))
    actor = CaseTransition.objects.first().actor
    assert not actor.is_active and not actor.has_usable_password()


def test_namesakes_are_few_as_in_a_real_registry(db):
    call_command("seed", "--persons", "2000", "-v0")
    families = Counter(PersonName.objects.filter(position=0).values_list("family_name", flat=True))
    assert len(families) > 400  # not 46 surnames for everyone
    assert families.most_common(1)[0][1] < 0.03 * 2000


def test_seeded_persons_are_found_as_registered_ones_are(db):
    call_command("seed", "--persons", "12", "-v0")
    for person in Person.objects.prefetch_related("names"):
        stored = person.search_text
        _refresh_search_text(person)  # what person_register would have stored
        assert stored == person.search_text
    registrar = make_user(Organisation.objects.get(name=SEED_ORGANISATION), Role.REGISTRAR)
    someone = Person.objects.first()
    name = someone.names.all()[0]
    found = person_list(actor=registrar, query=f"{name.family_name} {name.given_name}")
    assert someone in found


def test_the_same_seed_gives_the_same_people_and_numbers_continue(db):
    call_command("seed", "--persons", "3", "-v0")
    call_command("seed", "--persons", "3", "-v0")
    numbers = list(Person.objects.order_by("id").values_list("registry_number", flat=True))
    assert len(set(numbers)) == 6
    assert numbers[3].endswith("000004")
    names = list(PersonName.objects.order_by("id").values_list("family_name", flat=True))
    assert names[: len(names) // 2] == names[len(names) // 2 :]  # seed 2026 twice


def test_it_refuses_an_organisation_that_is_not_a_detaining_power(db, orgs):
    with pytest.raises(CommandError, match="is not a detaining power"):
        call_command("seed", "--persons", "1", "--organisation", orgs.verifier.name)
    with pytest.raises(CommandError, match="No organisation named"):
        call_command("seed", "--persons", "1", "--organisation", "Nobody")
    with pytest.raises(CommandError, match="--persons 1 or more"):
        call_command("seed", "--persons", "0")
    assert not Person.objects.exists()


def test_it_seeds_into_a_named_detaining_power(db, orgs):
    call_command("seed", "--persons", "2", "--organisation", orgs.detaining.name, "-v0")
    assert Person.objects.filter(detaining_organisation=orgs.detaining).count() == 2
    assert Person.objects.first().registry_number.startswith("UA-")
