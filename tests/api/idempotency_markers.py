"""A will statement and a requester's contact sent with an `Idempotency-Key`, each retried once;
for the tests that look for them in the database and its files afterwards."""

from django.utils import timezone
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.cases.models import InterviewSetting, WillSource, Wish

STATEMENT_MARKER = "MRK-IDEM-STATEMENT-R7T2"
CONTACT_MARKER = "MRK-IDEM-CONTACT-B3K8"
# A plain field of the same requests: the search must find it, or it proves nothing.
PLAIN_MARKER = "MRK-IDEM-PLAIN-UNIT-D5W1"
MARKERS = (STATEMENT_MARKER, CONTACT_MARKER)


def sent_with_keys(*, interviewer, person) -> None:
    """The verifier's interviewer records his will and a tracing request, then retries both."""
    _token, raw = api_token_create(user=interviewer, name="sync")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    will = {
        "expressed_on": str(timezone.localdate()), "source": WillSource.OFFICIAL_INTERVIEW,
        "setting": InterviewSetting.PRIVATE, "wish": Wish.NAMED_STATES,
        "destinations_preferred": ["KR"], "certainty": 80, "statement": STATEMENT_MARKER,
    }  # fmt: skip
    tracing = {
        "requester_kind": "family", "requester_name": "Ким Ок Сун",
        "requester_contact": CONTACT_MARKER, "family_name": "Ким", "unit": PLAIN_MARKER,
    }  # fmt: skip
    for url, body, field, marker in (
        (f"/api/v1/persons/{person.pk}/will-expressions/", will, "statement", STATEMENT_MARKER),
        ("/api/v1/tracing-requests/", tracing, "requester_contact", CONTACT_MARKER),
    ):
        answers = [
            client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=f"key-{field}")
            for _ in range(2)
        ]
        assert [a.status_code for a in answers] == [201, 201], answers[0].content
        assert answers[1]["Idempotent-Replayed"] == "true"
        assert answers[0].json()[field] == answers[1].json()[field] == marker
