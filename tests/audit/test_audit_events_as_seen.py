"""The audit log shows each viewer what the policy lets him read elsewhere, in the payloads too:
an auditor sees that a will was recorded, not the wish, destinations, certainty or interview;
tracing requests only as ids to whoever does not handle tracing; on the page and in the API."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from safepassage.accounts.models import Role
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from safepassage.audit.selectors import WITHHELD, audit_events_as_seen
from safepassage.audit.services import MASK
from safepassage.tracing.services import REQUEST_FIELDS
from tests.factories import force_login_fresh, make_user, record_will, register
from tests.tracing.tracing_data import mother_request

WILL_DETAILS = ("wish", "destinations_preferred", "destinations_refused", "certainty")


def _api(user) -> APIClient:
    _token, raw = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _will_event_in_api(viewer) -> dict:
    listed = _api(viewer).get("/api/v1/audit-events/").json()["results"]
    (event,) = [e for e in listed if e["action"] == "will.record"]
    single = _api(viewer).get(f"/api/v1/audit-events/{event['id']}/").json()
    assert single == event
    return event["changes"]


def _interviewer_records_a_will(people):
    """Ivan, the detaining power's interviewer, records what Kim told the press."""
    person = register(people.registrar)
    record_will(people.detaining_interviewer, person, refused=("KP",), verified=False)
    return person


def test_an_auditor_sees_a_will_recorded_without_its_wish_destinations_or_interview(people):
    _interviewer_records_a_will(people)
    changes = _will_event_in_api(people.auditor)
    for field in (*WILL_DETAILS, "setting"):
        assert changes[field] == [None, MASK], field
    assert changes["source"] == [None, "press_interview"]  # what the screens show him too
    assert changes["verified"] == [None, False]


def test_the_audit_page_masks_them_too(people):
    _interviewer_records_a_will(people)
    audrey = Client()
    force_login_fresh(audrey, people.auditor)
    page = audrey.get(reverse("audit:audit_list")).content.decode()
    assert "will.record" in page and MASK in page
    assert "named_states" not in page


def test_an_auditor_who_also_decides_sees_the_wish_but_not_the_interview(people, orgs):
    """The detaining power's decision maker must know where he asks to go, not how he was
    interviewed: the same holds when he reads the audit log."""
    both = make_user(orgs.detaining, Role.AUDITOR, Role.DECISION_MAKER, username="ada")
    _interviewer_records_a_will(people)
    changes = _will_event_in_api(both)
    assert changes["wish"] == [None, "named_states"]
    assert changes["destinations_refused"] == [None, "North Korea"]
    assert changes["certainty"] == [None, 80]
    assert changes["setting"] == [None, MASK]


def test_the_verifiers_auditor_sees_a_tracing_request_recorded_not_who_asked_for_whom(people, orgs):
    auditor = make_user(orgs.verifier, Role.AUDITOR, username="tessa")
    tracing = mother_request(people.interviewer)
    listed = _api(auditor).get("/api/v1/audit-events/").json()["results"]
    (event,) = [e for e in listed if e["action"] == "tracing.request_record"]
    assert event["object_id"] == str(tracing.pk)
    assert event["changes"]["family_name"] == [None, MASK]
    assert event["changes"]["requester_relationship"] == [None, MASK]
    assert "Ким" not in str(event)


def test_the_names_of_what_was_read_stay_visible_to_the_auditor(people, orgs):
    auditor = make_user(orgs.verifier, Role.AUDITOR, username="tessa")
    tracing = mother_request(people.interviewer)
    assert (
        _api(people.interviewer).get(f"/api/v1/tracing-requests/{tracing.pk}/").status_code == 200
    )
    listed = _api(auditor).get("/api/v1/audit-events/").json()["results"]
    (read,) = [e for e in listed if e["action"] == "read.tracingrequest"]
    assert read["changes"] == {"read": [None, ["requester_contact"]]}


def test_an_older_event_holding_a_basis_in_clear_is_masked_for_a_reader_without_the_basis(
    people,
):
    person = register(people.registrar)
    event = AuditEvent(
        object_type="cases.riskassessment", person=person,
        changes={"basis": [None, "country report"], "country": [None, "KR"]},
    )  # fmt: skip
    (seen,) = audit_events_as_seen(actor=people.auditor, events=[event])
    assert seen.changes == {"basis": [None, MASK], "country": [None, "KR"]}


def test_every_field_of_a_tracing_request_is_withheld_from_who_does_not_handle_tracing():
    assert set(REQUEST_FIELDS) <= set(WITHHELD["tracing.tracingrequest"])


def test_the_masking_costs_the_same_queries_for_3_or_30_wills(people, orgs):
    both = make_user(orgs.detaining, Role.AUDITOR, Role.DECISION_MAKER, username="ada")
    client = _api(both)
    url = "/api/v1/audit-events/?page_size=200"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)
    for _ in range(3):
        _interviewer_records_a_will(people)
    few = queries()
    for _ in range(27):
        _interviewer_records_a_will(people)
    assert queries() == few
