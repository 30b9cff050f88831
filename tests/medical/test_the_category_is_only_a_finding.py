"""A person's Art. 110 category is his latest finding by a Mixed Medical Commission: no form,
API, import, service or raw write sets it otherwise."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Art110Category, Person
from safepassage.registry.services import person_update
from tests.medical.builders import examined


def test_an_examination_makes_his_category_the_finding_and_audits_it(people, medics, board,
                                                                      wounded):  # fmt: skip
    examined(medics, board, wounded, Art110Category.NEUTRAL_ACCOMMODATION)
    examined(medics, board, wounded, Art110Category.DIRECT_REPATRIATION)
    wounded.refresh_from_db()
    assert wounded.art110_category == Art110Category.DIRECT_REPATRIATION
    assert AuditEvent.objects.filter(action="person.art110_category", person=wounded).count() == 2


def test_the_registrars_form_has_no_category_field(people, wounded, login):
    url = reverse("registry:person_edit", args=[wounded.registry_number])
    form = login(people.registrar).get(url).context["form"]
    assert "art110_category" not in form.fields


def test_the_registry_service_refuses_the_category(people, wounded):
    with pytest.raises(DomainError):
        person_update(actor=people.registrar, person=wounded, expected_version=wounded.version,
                      art110_category="direct_repatriation")  # fmt: skip


def test_the_api_refuses_the_category_naming_the_field(people, wounded, api):
    response = api(people.registrar).patch(
        f"/api/v1/persons/{wounded.pk}/", {"art110_category": "direct_repatriation"},
        format="json", HTTP_IF_MATCH=f'"{wounded.version}"',
    )  # fmt: skip
    assert response.status_code == 400
    assert "art110_category" in response.content.decode()
    wounded.refresh_from_db()
    assert wounded.art110_category == ""


def test_an_import_with_a_category_column_is_refused_naming_the_column(people, tmp_path):
    from safepassage.imports.services import persons_import

    source = tmp_path / "list.csv"
    source.write_text("id,family_name,given_name,art110_category\n1,Kim,Il,incurable\n",
                      encoding="utf-8")  # fmt: skip
    result = persons_import(actor=people.registrar, path=source)
    assert any(p.field == "art110_category" for p in result.problems)
    assert not Person.objects.filter(names__family_name="Kim", names__given_name="Il").exists()


def test_the_database_refuses_a_category_no_finding_gave(people, medics, board, wounded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=wounded.pk).update(art110_category="direct_repatriation")
    examined(medics, board, wounded, Art110Category.NEITHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=wounded.pk).update(art110_category="direct_repatriation")
    Person.objects.filter(pk=wounded.pk).update(art110_category="neither")  # what it found
