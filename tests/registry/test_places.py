"""Places of internment: found or created from the text the registry records, and every move of
a man between them kept."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import ConflictError
from safepassage.registry.models import Person, Place, PlaceKind, PlaceMove
from safepassage.registry.services import person_place_move, person_update, place_for
from tests.factories import register

CAMP = "Prisoner-of-war camp No. 1, Lviv region"


def test_registering_a_man_with_a_place_creates_the_place_once(people):
    first = register(people.registrar, internment_place=CAMP)
    second = register(people.registrar, internment_place=f"  {CAMP.replace(' ', '  ')} ")
    assert first.place is not None and first.place == second.place
    assert Place.objects.count() == 1
    assert AuditEvent.objects.filter(action="place.create").count() == 1


def test_the_same_name_of_another_kind_is_another_place(people):
    camp = register(people.registrar, internment_place="Lviv")
    hospital = register(
        people.registrar, internment_place="Lviv", internment_place_kind=PlaceKind.HOSPITAL
    )
    assert camp.place != hospital.place


def test_another_detaining_power_has_its_own_places(people, orgs):
    mine = place_for(actor=people.registrar, organisation=orgs.detaining, name=CAMP)
    theirs = place_for(actor=people.outsider, organisation=orgs.other_detaining, name=CAMP)
    assert mine != theirs


def test_no_place_is_made_for_no_name(people):
    person = register(people.registrar)
    assert person.place is None and not Place.objects.exists()


def test_editing_the_place_text_moves_him_and_keeps_the_move(people):
    person = register(people.registrar, internment_place=CAMP)
    before = person.place
    updated = person_update(
        actor=people.registrar, person=person, expected_version=person.version,
        internment_place="Holding site 3", internment_place_kind=PlaceKind.HOLDING_SITE,
    )  # fmt: skip
    assert updated.place.name == "Holding site 3"
    assert updated.place.kind == PlaceKind.HOLDING_SITE
    assert updated.version == person.version + 1
    move = PlaceMove.objects.get(person=person)
    assert (move.from_place, move.to_place, move.recorded_by) == (
        before,
        updated.place,
        people.registrar,
    )
    assert AuditEvent.objects.filter(action="person.place_move", person_id=person.pk).exists()


def test_saving_the_same_place_moves_nobody_and_keeps_his_version(people):
    person = register(people.registrar, internment_place=CAMP)
    updated = person_update(
        actor=people.registrar, person=person, expected_version=person.version,
        internment_place=CAMP, internment_place_kind=PlaceKind.CAMP,
    )  # fmt: skip
    assert updated.version == person.version
    assert not PlaceMove.objects.exists()


def test_a_move_raises_his_version_and_sets_the_text_of_the_place(people, orgs):
    person = register(people.registrar, internment_place=CAMP)
    hospital = place_for(
        actor=people.registrar, organisation=orgs.detaining, name="Military hospital",
        kind=PlaceKind.HOSPITAL,
    )  # fmt: skip
    moved = person_place_move(
        actor=people.registrar, person=person, place=hospital, expected_version=person.version
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.version == person.version + 1 == moved.version
    assert (stored.internment_place, stored.internment_place_kind) == (
        "Military hospital", PlaceKind.HOSPITAL,
    )  # fmt: skip
    assert [m.to_place for m in PlaceMove.objects.filter(person=person)] == [hospital]


def test_a_move_read_at_an_older_version_is_refused(people, orgs):
    person = register(people.registrar, internment_place=CAMP)
    hospital = place_for(actor=people.registrar, organisation=orgs.detaining, name="Hospital")
    person_update(
        actor=people.registrar, person=person, expected_version=person.version, rank="Private"
    )
    with pytest.raises(ConflictError):
        person_place_move(
            actor=people.registrar, person=person, place=hospital, expected_version=person.version
        )
    assert not PlaceMove.objects.exists()


def test_a_move_to_another_powers_place_is_refused(people, orgs):
    person = register(people.registrar, internment_place=CAMP)
    theirs = place_for(actor=people.outsider, organisation=orgs.other_detaining, name="Elsewhere")
    with pytest.raises(Exception, match="detaining power"):
        person_place_move(
            actor=people.registrar, person=person, place=theirs, expected_version=person.version
        )


def test_only_his_registrar_moves_him(people):
    person = register(people.registrar, internment_place=CAMP)
    with pytest.raises(PermissionDenied):
        person_place_move(
            actor=people.interviewer, person=person, place=None, expected_version=person.version
        )


def test_his_page_shows_his_moves_and_leads_to_the_place(people, orgs, client):
    from django.urls import reverse

    from tests.factories import force_login_fresh

    person = register(people.registrar, internment_place=CAMP)
    hospital = place_for(actor=people.registrar, organisation=orgs.detaining, name="Hospital 4")
    person_place_move(
        actor=people.registrar, person=person, place=hospital, expected_version=person.version
    )
    force_login_fresh(client, people.registrar)
    html = client.get(reverse("registry:person_detail", args=[person.registry_number])).content
    html = html.decode()
    assert f"{CAMP} → Hospital 4" in html
    assert reverse("visits:place_detail", args=[hospital.pk]) in html


def test_the_registrar_records_the_region_of_his_place_and_it_is_audited(people, orgs):
    from safepassage.registry.services import place_update

    place = place_for(actor=people.registrar, organisation=orgs.detaining, name=CAMP)
    updated = place_update(actor=people.registrar, place=place, region=" Lviv oblast ")
    assert updated.region == "Lviv oblast"
    assert AuditEvent.objects.filter(action="place.update", object_id=str(place.pk)).exists()
    with pytest.raises(PermissionDenied):
        place_update(actor=people.outsider, place=place, region="Elsewhere")
    with pytest.raises(PermissionDenied):
        place_update(actor=people.interviewer, place=place, region="Elsewhere")
