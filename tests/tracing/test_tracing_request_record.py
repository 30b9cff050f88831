"""Recording a tracing request: only the Central Tracing Agency's staff, names in any script,
partial dates, the requester's contact encrypted and masked in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from safepassage.audit.models import AuditEvent
from safepassage.audit.services import MASK
from safepassage.lib.errors import DomainError
from safepassage.tracing.models import TracingStatus
from tests.tracing.tracing_data import CONTACT_MARKER, mother_request

pytestmark = pytest.mark.django_db


def test_it_records_a_request_with_names_in_cyrillic_and_a_year_of_birth(people):
    request = mother_request(people.interviewer)
    request.refresh_from_db()
    assert request.status == TracingStatus.OPEN
    assert (request.family_name, request.given_name, request.birth_date) == (
        "Ким",
        "Чхоль Су",
        "1999",
    )
    assert request.organisation == people.interviewer.organisation
    assert request.requester_contact == CONTACT_MARKER


def test_it_audits_the_request_with_the_requester_masked(people):
    request = mother_request(people.interviewer)
    event = AuditEvent.objects.get(action="tracing.request_record", object_id=str(request.pk))
    assert event.changes["requester_contact"] == [MASK, MASK]
    assert event.changes["requester_name"] == [MASK, MASK]
    assert event.changes["family_name"] == [None, "Ким"]
    assert CONTACT_MARKER not in str(event.changes) and CONTACT_MARKER not in event.object_repr


def test_the_requester_contact_is_encrypted_in_the_database(people):
    request = mother_request(people.interviewer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT requester_contact, requester_name FROM tracing_tracingrequest WHERE id = %s",
            [request.pk],
        )
        contact, name = cursor.fetchone()
    assert CONTACT_MARKER not in contact and "Ким Ок Сун" not in name


@pytest.mark.parametrize("who", ["registrar", "decision_maker", "verifier_legal", "legal_officer",
                                 "receiving_officer", "outsider"])  # fmt: skip
def test_it_refuses_anyone_but_tracing_staff_of_the_neutral_verifier(people, who):
    with pytest.raises(PermissionDenied):
        mother_request(getattr(people, who))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"family_name": "", "given_name": ""}, "family_name"),
        ({"birth_date": "04/1999"}, "birth_date"),
        ({"birth_date": "1999-02-30"}, "birth_date"),
        ({"birth_date": "2999"}, "birth_date"),
        ({"last_seen_date": "last winter"}, "last_seen_date"),
        ({"requester_name": "  "}, "requester_name"),
        ({"requester_kind": "neighbour"}, "requester_kind"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(people, fields, field):
    with pytest.raises(DomainError) as error:
        mother_request(people.interviewer, **fields)
    assert error.value.field == field
    assert str(error.value)


def test_it_accepts_a_full_name_in_unknown_order(people):
    request = mother_request(
        people.interviewer, family_name="", given_name="", full_name="Chol Su Kim"
    )
    assert request.name_sought == "Chol Su Kim"


def test_an_unknown_field_is_refused(people):
    with pytest.raises(DomainError):
        mother_request(people.interviewer, favourite_colour="red")
