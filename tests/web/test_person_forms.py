"""Registering, editing and naming a person through the forms."""

from django.urls import reverse

from safepassage.audit.models import AuditEvent
from safepassage.registry.models import Person
from safepassage.registry.services import person_update


def _identity(**overrides):
    data = {
        "sex": "male", "birth_date_precision": "exact", "health_status": "wounded",
        "internment_place_kind": "camp", "nationalities": "KP", "art110_category": "",
    }  # fmt: skip
    return data | overrides


def test_it_refuses_a_registration_without_any_name(people, login):
    response = login(people.registrar).post(
        reverse("registry:person_new"),
        {
            "names-TOTAL_FORMS": "2",
            "names-INITIAL_FORMS": "0",
            "names-0-romanization": "as_written",
            "names-1-romanization": "as_written",
            **_identity(),
        },
    )
    assert response.status_code == 200
    assert "Register at least one name" in response.content.decode()
    assert not Person.objects.exists()


def test_the_registration_form_offers_two_name_rows(people, login):
    html = login(people.registrar).get(reverse("registry:person_new")).content.decode()
    assert 'name="names-0-family_name"' in html
    assert 'name="names-1-family_name"' in html
    assert '<label for="id_names-1-given_name">' in html


def test_it_saves_an_edit_and_says_so(people, kim, login):
    client = login(people.registrar)
    url = reverse("registry:person_edit", args=[kim.registry_number])
    form = client.get(url).context["form"]
    assert form.initial["nationalities"]
    assert 'value="KP"' in client.get(url).content.decode()

    response = client.post(url, _identity(rank="Sergeant", version=kim.version), follow=True)

    assert "Identity saved." in response.content.decode()
    kim.refresh_from_db()
    assert kim.rank == "Sergeant"
    assert kim.version == 2


def test_a_stale_edit_shows_the_conflict_and_does_not_overwrite(people, kim, login):
    client = login(people.registrar)
    url = reverse("registry:person_edit", args=[kim.registry_number])
    read_version = kim.version
    person_update(
        actor=people.registrar, person=kim, expected_version=read_version, rank="Sergeant"
    )

    response = client.post(url, _identity(rank="Private", version=read_version))

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    kim.refresh_from_db()
    assert kim.rank == "Sergeant"
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_it_shows_a_future_date_as_a_plain_error(people, kim, login):
    response = login(people.registrar).post(
        reverse("registry:person_edit", args=[kim.registry_number]),
        _identity(capture_date="2999-01-01", version=kim.version),
    )
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()


def test_it_adds_an_assumed_identity(people, kim, login):
    response = login(people.registrar).post(
        reverse("registry:person_name_add", args=[kim.registry_number]),
        {"family_name": "Ондар", "given_name": "Алексей", "romanization": "as_written",
         "source": "Russian military ID (Tuva)", "is_assumed_identity": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    html = login(people.registrar).get(response.url).content.decode()
    assert "Ондар Алексей" in html
    assert "assumed identity" in html
    assert "Cyrillic" in html
