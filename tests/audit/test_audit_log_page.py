"""The audit log page reads as words: every event renders whatever its fields are called, each
action by its label, values as text; an auditor narrows it by person, user, action and dates,
reads one person's trail from his page, and downloads what he filtered as CSV (recorded)."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from safepassage.cases.models import CaseState
from tests.factories import force_login_fresh, register, step


def _client(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def _log(viewer, **query) -> str:
    response = _client(viewer).get(reverse("audit:audit_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def _rows(viewer, **query) -> str:
    """The table of events only (the filter's choices name every action of the log)."""
    page = _log(viewer, **query)
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_an_event_whose_fields_are_called_items_keys_and_values_renders(people):
    person = register(people.registrar)
    audit_record(
        actor=people.registrar, action="person.update", obj=person, person=person,
        changes={"items": [None, ["name", "unit"]], "keys": [1, 2], "values": [None, True]},
        identifying=(),
    )  # fmt: skip
    page = _log(people.auditor)
    assert "name, unit" in page  # a list is text, not a Python list
    assert "['name'" not in page
    assert ">items<" in page and ">keys<" in page and ">values<" in page


def test_actions_show_by_their_label_not_their_code_alone(people):
    register(people.registrar)
    assert "Person registered" in _rows(people.auditor)


def test_a_field_shows_by_its_models_name(people):
    person = register(people.registrar)
    audit_record(
        actor=people.registrar, action="person.update", obj=person, person=person,
        changes={"service_number": ["1", "2"]}, identifying=(),
    )  # fmt: skip
    assert "Service number" in _log(people.auditor)


def test_a_value_with_choices_shows_by_its_label(people):
    person = register(people.registrar)
    step(people.registrar, person, CaseState.NOTIFIED)
    rows = _rows(people.auditor, action="case.transition")
    assert "Notified" in rows and "registered →" not in rows


def test_the_log_narrows_to_one_person_by_his_registry_number(people):
    kim = register(people.registrar)
    lee = register(people.registrar, family="Lee")
    rows = _rows(people.auditor, person=kim.registry_number)
    assert kim.registry_number in rows and lee.registry_number not in rows


def test_a_person_the_auditor_may_not_see_is_a_field_error_not_an_empty_log(people):
    theirs = register(people.outsider)
    page = _log(people.auditor, person=theirs.registry_number)
    assert "No person with this registry number that you may see" in page


def test_the_log_narrows_to_a_user_and_an_action(people):
    register(people.registrar)
    audit_record(actor=people.admin, action="user.roles", obj=people.registrar, changes={})
    assert "Roles changed" in _rows(people.auditor, user="adam")
    assert "Person registered" not in _rows(people.auditor, user="adam")
    assert "Person registered" not in _rows(people.auditor, action="user.roles")


def test_the_log_narrows_to_days(people):
    register(people.registrar)
    today = timezone.localdate()
    assert "Person registered" in _rows(people.auditor, since=today, until=today)
    yesterday = today - datetime.timedelta(days=1)
    assert _rows(people.auditor, until=yesterday) == ""
    assert "No event matches this filter" in _log(people.auditor, until=yesterday)


def test_an_end_before_the_start_is_an_error_on_the_end(people):
    today = timezone.localdate()
    page = _log(people.auditor, since=today, until=today - datetime.timedelta(days=2))
    assert "The end date comes before the start date." in page


def test_the_person_page_links_his_audit_trail_for_an_auditor_only(people):
    kim = register(people.registrar)
    link = reverse("audit:person_audit", args=[kim.registry_number])
    detail = reverse("registry:person_detail", args=[kim.registry_number])
    assert link in _client(people.auditor).get(detail).content.decode()
    assert link not in _client(people.registrar).get(detail).content.decode()


def test_a_persons_audit_trail_shows_his_events_only(people):
    kim = register(people.registrar)
    lee = register(people.registrar, family="Lee")
    page = _client(people.auditor).get(reverse("audit:person_audit", args=[kim.registry_number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Audit trail of {kim.registry_number}" in text
    assert lee.registry_number not in text


@pytest.mark.parametrize("who, status", [("registrar", 403), ("outsider", 404)])
def test_a_persons_audit_trail_is_for_auditors_who_may_see_him(people, who, status):
    kim = register(people.registrar)
    url = reverse("audit:person_audit", args=[kim.registry_number])
    assert _client(getattr(people, who)).get(url).status_code == status


def _csv(viewer, **query) -> list[list[str]]:
    response = _client(viewer).get(reverse("audit:audit_export"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_events_and_its_download_is_recorded(people):
    kim = register(people.registrar)
    register(people.registrar, family="Lee")
    rows = _csv(people.auditor, person=kim.registry_number)
    header, *events = rows
    assert header[:3] == ["Time", "Who", "Action"]
    assert [row[2] for row in events] == ["Name added", "Person registered"]  # newest first
    assert {row[5] for row in events} == {kim.registry_number}
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_username == "audrey"
    assert export.changes["person"] == [None, kim.pk]
    assert export.changes["events"] == [None, 2]


def test_the_csv_cannot_carry_a_formula(people):
    person = register(people.registrar)
    audit_record(
        actor=people.registrar, action="person.update", obj=person, person=person,
        object_repr="=HYPERLINK(\"http://x\")", changes={}, identifying=(),
    )  # fmt: skip
    (_header, *events) = _csv(people.auditor, action="person.update")
    assert events[0][4].startswith("'=")


def test_the_csv_is_for_auditors(people):
    assert _client(people.registrar).get(reverse("audit:audit_export")).status_code == 403
