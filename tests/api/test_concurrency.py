"""Optimistic concurrency: a stale update gets 412 (or 409 in a race), never a silent overwrite."""

from safepassage.registry import services as registry_services
from safepassage.registry.models import Person


def _url(person) -> str:
    return f"/api/v1/persons/{person.pk}/"


def _patch(client, person, body, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.patch(_url(person), body, format="json", **headers)


def test_reading_a_person_gives_his_version_as_etag(people, kim, api):
    response = api(people.registrar).get(_url(kim))
    assert response["ETag"] == f'"{kim.version}"'
    assert response.json()["version"] == kim.version


def test_an_update_with_the_current_etag_is_saved_and_gets_a_new_one(people, kim, api):
    client = api(people.registrar)
    etag = client.get(_url(kim))["ETag"]
    response = _patch(client, kim, {"rank": "Sergeant"}, etag)
    assert response.status_code == 200
    assert response.json()["rank"] == "Sergeant"
    assert response["ETag"] == f'"{kim.version + 1}"'
    assert _patch(client, kim, {"unit": "3rd"}, f"W/{response['ETag']}").status_code == 200


def test_an_update_without_if_match_is_428_and_changes_nothing(people, kim, api):
    response = _patch(api(people.registrar), kim, {"rank": "Sergeant"})
    assert response.status_code == 428
    assert response.json()["type"] == "/api/v1/problems/precondition-required"
    assert _patch(api(people.registrar), kim, {"rank": "Sergeant"}, "*").status_code == 428
    assert Person.objects.get(pk=kim.pk).rank == ""


def test_an_update_with_a_stale_etag_is_412_and_changes_nothing(people, kim, api):
    client = api(people.registrar)
    stale = client.get(_url(kim))["ETag"]
    assert _patch(client, kim, {"rank": "Sergeant"}, stale).status_code == 200
    response = _patch(client, kim, {"rank": "Private"}, stale)
    assert response.status_code == 412
    assert response.json()["type"] == "/api/v1/problems/precondition-failed"
    assert response["ETag"] == f'"{kim.version + 1}"'
    assert Person.objects.get(pk=kim.pk).rank == "Sergeant"


def test_adding_a_name_changes_the_etag(people, kim, api):
    client = api(people.registrar)
    before = client.get(_url(kim))["ETag"]
    added = client.post(f"/api/v1/persons/{kim.pk}/names/", {"family_name": "Ким"}, format="json")
    assert added.status_code == 201 and added.json()["script"] == "Cyrl"
    assert client.get(_url(kim))["ETag"] != before
    assert _patch(client, kim, {"rank": "Private"}, before).status_code == 412


def test_a_change_between_the_check_and_the_write_is_a_409(people, kim, api, monkeypatch):
    """The If-Match matched when read; someone else saved before our locked write."""
    original = registry_services.person_update

    def someone_else_first(**kwargs):
        fresh = Person.objects.get(pk=kwargs["person"].pk)
        original(actor=people.registrar, person=fresh, expected_version=fresh.version, unit="Other")
        return original(**kwargs)

    monkeypatch.setattr(registry_services, "person_update", someone_else_first)
    client = api(people.registrar)
    response = _patch(client, kim, {"rank": "Private"}, client.get(_url(kim))["ETag"])
    assert response.status_code == 409
    assert response.json()["type"] == "/api/v1/problems/conflict"
    saved = Person.objects.get(pk=kim.pk)
    assert (saved.unit, saved.rank) == ("Other", "")
