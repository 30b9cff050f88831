"""Every read of a tracing requester's contact is audited — the request page, the API's list
(one write for the whole page), one request, and the answer to its creation — never with the
value; a request without a contact is no read."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.audit import reads
from safepassage.audit.models import AuditEvent
from safepassage.tracing import services
from safepassage.tracing.selectors import requester_contacts_shown
from tests.factories import force_login_fresh
from tests.tracing.test_tracing_api import BASE, BODY, client_of
from tests.tracing.tracing_data import CONTACT_MARKER, mother_request, propose, register_kim

pytestmark = pytest.mark.django_db


def contact_reads(user) -> dict[str, list[str]]:
    """The read events `user` left: object id → what was read."""
    events = AuditEvent.objects.filter(actor=user, action="read.tracingrequest").order_by("seq")
    return {e.object_id: e.changes["read"][1] for e in events}


def test_opening_a_request_page_audits_the_contact_read(people):
    kim = register_kim(people.registrar)
    tracing = mother_request(people.interviewer)
    services.tracing_candidate_confirm(
        actor=people.interviewer, candidate=propose(tracing, kim), reason="Same unit."
    )
    vera = Client()
    force_login_fresh(vera, people.interviewer)
    page = vera.get(reverse("tracing:request_detail", args=[tracing.pk]))
    assert CONTACT_MARKER in page.content.decode()
    assert contact_reads(people.interviewer) == {str(tracing.pk): ["requester_contact"]}
    event = AuditEvent.objects.get(action="read.tracingrequest")
    assert event.person_id == kim.pk
    assert event.object_repr == f"tracing request #{tracing.pk} — requester contact read"
    assert CONTACT_MARKER not in str(event.changes) + event.object_repr


def test_the_api_list_audits_each_contact_on_the_page_in_one_write(people):
    requests = [mother_request(people.interviewer) for _ in range(3)]
    mother_request(people.interviewer, requester_contact="")
    with mock.patch.object(reads, "audit_append", wraps=reads.audit_append) as append:
        listed = client_of(people.interviewer).get(BASE, {"page_size": 200})
    assert listed.status_code == 200 and len(listed.json()["results"]) == 4
    assert append.call_count == 1
    assert contact_reads(people.interviewer) == {str(r.pk): ["requester_contact"] for r in requests}


def test_reading_one_request_and_creating_one_through_the_api_audit_the_contact(people):
    vera = client_of(people.interviewer)
    created = vera.post(BASE, BODY, format="json")
    assert created.status_code == 201 and created.json()["requester_contact"] == CONTACT_MARKER
    pk = str(created.json()["id"])
    assert contact_reads(people.interviewer) == {pk: ["requester_contact"]}
    assert vera.get(f"{BASE}{pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="read.tracingrequest", object_id=pk).count() == 2


def test_a_request_without_a_contact_leaves_no_read(people):
    tracing = mother_request(people.interviewer, requester_contact="")
    vera = Client()
    force_login_fresh(vera, people.interviewer)
    assert vera.get(reverse("tracing:request_detail", args=[tracing.pk])).status_code == 200
    assert client_of(people.interviewer).get(f"{BASE}{tracing.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(action="read.tracingrequest").exists()


def test_the_selector_that_hands_out_requests_records_each_contact_it_shows(people):
    shown = [mother_request(people.interviewer), mother_request(people.interviewer)]
    silent = mother_request(people.interviewer, requester_contact="")
    assert requester_contacts_shown(actor=people.interviewer, requests=[*shown, silent]) == [
        *shown,
        silent,
    ]
    assert contact_reads(people.interviewer) == {str(r.pk): ["requester_contact"] for r in shown}
