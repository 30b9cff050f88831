"""Who may open and submit every page after a transfer, checked for every user; the path in the
UI: arrival, steps, contacts, an onward-removal report and its evidence."""

import pytest
from django.urls import reverse
from django.utils import timezone

from safepassage.followup import services
from safepassage.followup import urls as followup_urls
from safepassage.notifications.models import Notification
from tests.followup.builders import NOTE, report_onward_removal, scheduled_contacts
from tests.web.test_permissions import USERS, _parse, _secrets, check_matrix_row

# He was handed over to minjun's state (KR, which his will names); lena's NGO represents him.
TABLE = """
url               methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
person_followup   GET      403   403    403   403  403    403  ok   ok     ok   ok     404   404
reception_record  GET,POST 403   403    403   403  403    403  403  403    403  ok     404   404
reception_step    GET,POST 403   403    403   403  403    403  403  403    403  ok     404   404
contacts_schedule GET,POST 403   403    403   403  403    403  ok   403    403  403    404   404
contact_record    GET,POST 403   403    403   403  403    403  ok   403    403  403    404   404
onward_reports    GET      403   403    403   403  403    403  ok   ok     ok   403    403   403
reception_steps   GET,POST 403   403    403   403  403    403  403  403    403  ok     ok    403
"""
MATRIX = _parse(TABLE)
assert USERS


@pytest.fixture
def world(people, moved):
    reception = services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=timezone.localdate()
    )
    contacts = scheduled_contacts(people, moved)
    report_onward_removal(people, contacts[0])
    return moved, reception.steps.first(), contacts[1]


def _url(name, world) -> str:
    person, step, contact = world
    pattern = next(p for p in followup_urls.urlpatterns if p.name == name)
    converters = pattern.pattern.converters
    kwargs = {}
    if "registry_number" in converters:
        kwargs["registry_number"] = person.registry_number
    if "pk" in converters:
        kwargs["pk"] = step.pk if name == "reception_step" else contact.pk
    if "country" in converters:
        kwargs["country"] = "KR"
    return reverse(f"followup:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_page_after_a_transfer():
    assert {p.name for p in followup_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_followup_page_admits_exactly_the_people_the_table_names(name, people, world, login):
    methods, expected = MATRIX[name]
    secrets = [*_secrets(world[0]), NOTE]
    check_matrix_row(name, _url(name, world), methods, expected, people, login, secrets)


def test_the_receiving_state_sees_its_steps_but_not_the_verifiers_contacts(people, world, login):
    html = login(people.receiving_officer).get(_url("person_followup", world)).content.decode()
    assert "Protection decision" in html and NOTE not in html and "Onward removal" not in html


def test_the_path_in_the_ui_ends_in_the_alert_and_the_evidence(people, moved, login):
    today = timezone.localdate().isoformat()
    state = login(people.receiving_officer)
    assert state.post(reverse("followup:reception_record", args=[moved.registry_number]),
                      {"arrived_on": today}).status_code == 302  # fmt: skip
    verifier = login(people.interviewer)
    assert verifier.post(reverse("followup:contacts_schedule", args=[moved.registry_number]),
                         {"months": "1, 3, 6, 12"}).status_code == 302  # fmt: skip
    contact = moved.followup_contacts.first()
    url = reverse("followup:contact_record", args=[moved.registry_number, contact.pk])
    answer = verifier.post(url, {"reached": "on", "contacted_on": today,
                                 "outcome": "onward_removal", "sent_on_to": "CN"})  # fmt: skip
    assert answer.status_code == 302
    assert Notification.objects.filter(queue="onward_risk", user=people.verifier_legal).exists()
    home = login(people.verifier_legal).get(reverse("work:home")).content.decode()
    assert 'id="queue-onward_risk"' in home
    evidence = login(people.legal_officer).get(reverse("followup:onward_reports", args=["KR"]))
    assert "Onward removal reported" in evidence.content.decode()
    assert moved.registry_number not in evidence.content.decode()
    form = login(people.legal_officer).get(
        reverse("cases:assessment_new", args=[moved.registry_number])
    )
    assert "/onward-reports/KR/" in form.content.decode()


def test_a_receiving_state_sets_its_own_steps_and_the_next_arrival_lists_them(people, moved, login):
    client = login(people.receiving_officer)
    url = reverse("followup:reception_steps")
    assert "Protection decision" in client.get(url).content.decode()
    empty = client.post(url, {"labels": "  \n "})
    assert empty.status_code == 200 and "labels" in empty.content.decode()
    saved = client.post(url, {"labels": "Screening\nHanawon\n\nResidence permit"})
    assert saved.status_code == 302
    reception = services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=timezone.localdate()
    )
    assert [s.label for s in reception.steps.all()] == ["Screening", "Hanawon", "Residence permit"]
    other = login(people.other_receiving_officer).get(url).content.decode()
    assert "Hanawon" not in other and "Protection decision" in other
