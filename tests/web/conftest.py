"""Web fixtures: a logged-in client per person, and a case taken as far as a scheduled transfer."""

import pytest
from django.test import Client

from safepassage.cases import services as case_services
from safepassage.registry.services import NameInput, person_register
from tests.factories import assess, drive_to_decision, force_login_fresh, tomorrow

NEXT_OF_KIN_MARKER = "NOK-MARKER-Kim-Yong-Hui-7781"
STATEMENT_MARKER = "STATEMENT-MARKER-I-want-to-live-in-Seoul-3319"


@pytest.fixture
def login():
    """`login(user)` → a test client logged in as `user` a moment ago (`None`: anonymous)."""

    def _login(user=None) -> Client:
        client = Client()
        if user is not None:
            force_login_fresh(client, user)
        return client

    return _login


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
    """Kim, decided for KR, accepted by KR, with a transfer through PL scheduled for tomorrow."""
    drive_to_decision(people, kim, "KR")
    case_services.acceptance_record(actor=people.receiving_officer, person=kim, reference="RK-1")
    assess(people.legal_officer, kim, "PL")
    transfer = case_services.transfer_schedule(
        actor=people.planner, person=kim, destination="KR", transit=["PL"],
        scheduled_for=tomorrow(),
    )  # fmt: skip
    return transfer
