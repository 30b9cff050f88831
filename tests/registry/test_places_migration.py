"""The migration that made places from the text the registry held: one place per detaining
power, name and kind, every person pointed at his."""

import importlib

from safepassage.registry.models import Person, Place, PlaceKind
from tests.factories import register

migration = importlib.import_module("safepassage.registry.migrations.0006_places")


class _Apps:
    """The current models stand in for the historical ones: the migration reads these fields."""

    @staticmethod
    def get_model(app_label, name):
        return {"Person": Person, "Place": Place}[name]


def test_it_makes_one_place_per_power_name_and_kind_and_points_every_person_at_his(people, orgs):
    a = register(people.registrar, internment_place="Camp West-3")
    b = register(people.registrar, internment_place="Camp  West-3 ")
    c = register(
        people.registrar, internment_place="Camp West-3", internment_place_kind=PlaceKind.HOSPITAL
    )
    d = register(people.outsider, internment_place="Camp West-3")
    nowhere = register(people.registrar)
    Person.objects.update(place=None)
    Place.objects.all().delete()
    migration._places_from_text(_Apps, None)
    a, b, c, d, nowhere = (Person.objects.get(pk=p.pk) for p in (a, b, c, d, nowhere))
    assert a.place == b.place and a.place.name == "Camp West-3"
    assert c.place != a.place and c.place.kind == PlaceKind.HOSPITAL
    assert d.place.detaining_organisation == orgs.other_detaining
    assert nowhere.place is None
    assert Place.objects.count() == 3
