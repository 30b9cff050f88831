"""API fixtures: a client per person with his own API token, and Kim at each step of his case."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.cases import services as case_services
from safepassage.registry.services import NameInput, person_register
from tests.audit.tamper import triggers_create, triggers_drop
from tests.factories import assess, drive_to_decision, tomorrow

NEXT_OF_KIN_MARKER = "NOK-MARKER-Kim-Yong-Hui-7781"
STATEMENT_MARKER = "STATEMENT-MARKER-I-want-to-live-in-Seoul-3319"
BASIS_MARKER = "BASIS-MARKER-country-report-5521"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """No rate limit to trip over (its own test sets one), and a clean throttle cache."""
    settings.API_RATE = "100000/min"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)` → an APIClient authenticated with a fresh API token of `user`;
    `api(None)` → an anonymous client; `api(raw="sp_…")` → a client presenting that token.

    The token is made as right after a login (password and second factor), so it may take the
    actions that need a recent one (api.authentication.recent_authentication_ensure)."""

    def _api(user=None, *, raw: str | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            _token, raw = api_token_create(user=user, name="tests", authenticated_at=timezone.now())
        if raw is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return _api


@pytest.fixture
def kim(people):
    """Kim Chol Su, registered in Hangul and Latin with a next of kin; his case is not started."""
    return person_register(
        actor=people.registrar,
        names=[
            NameInput(family_name="김", given_name="철수"),
            NameInput(family_name="Kim", given_name="Chol Su", romanization="dprk"),
        ],
        nationalities=["KP"],
        internment_place="Camp West-3",
        next_of_kin=NEXT_OF_KIN_MARKER,
    )


@pytest.fixture
def scheduled(people, kim):
    """Kim, decided for KR, accepted by KR, with a transfer through PL scheduled for tomorrow.

    His governing will carries the statement marker, KR's assessment the basis marker.
    """
    drive_to_decision(people, kim, "KR")
    will = kim.case.__class__.objects.get(person=kim).governing_will
    # Saved row by row: each value is sealed for its own row.
    will.statement = STATEMENT_MARKER
    will.save(update_fields=["statement"])
    for assessment in kim.risk_assessments.all():
        assessment.basis = BASIS_MARKER
        assessment.save(update_fields=["basis"])
    case_services.acceptance_record(actor=people.receiving_officer, person=kim, reference="RK-1")
    assess(people.legal_officer, kim, "PL")
    return case_services.transfer_schedule(
        actor=people.planner, person=kim, destination="KR", transit=["PL"],
        scheduled_for=tomorrow(),
    )  # fmt: skip


@pytest.fixture
def triggers_back_after_flush(django_db_blocker):
    """Requested before `committed`, so its teardown runs after pytest-django's flush."""
    yield
    with django_db_blocker.unblock():
        triggers_create()


@pytest.fixture
def committed(triggers_back_after_flush, transactional_db):
    """Really committed data (threads, a live server); the flush that ends the test must pass
    the audit log's append-only triggers, so they are dropped for it and created again."""
    yield
    triggers_drop()
