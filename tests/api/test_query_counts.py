"""Every list endpoint of the API makes a bounded number of queries: no N+1.

Each is measured with 3 rows and with 30; the count must not grow, and stays under a bound.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepassage.accounts.models import OrganisationKind
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState
from safepassage.registry.services import NameInput, person_name_add
from tests.cases.builders import accepted
from tests.factories import assess, make_org, record_will, register, step, tomorrow

MAX_QUERIES = 20


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


def _grows(client, url, add_rows) -> tuple[int, int]:
    client.get(url)  # the first request of a token also notes when it was last used
    add_rows(3)
    few = _queries(client, url)
    add_rows(27)
    many = _queries(client, url)
    return few, many


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/persons/",
        "/api/v1/persons/?q=kim",
        "/api/v1/persons/?status=notified&nationality=KP&place=camp",
    ],
)
def test_the_person_list_makes_the_same_queries_for_3_or_30_persons(db, people, api, url):
    client = api(people.registrar)

    def add(count):
        for _ in range(count):
            person = register(people.registrar, internment_place="Camp 3")
            step(people.registrar, person, CaseState.NOTIFIED)

    few, many = _grows(client, url, add)
    assert few == many <= MAX_QUERIES


@pytest.mark.parametrize("path", ["names/", "will-expressions/", "assessments/"])
def test_a_persons_lists_make_the_same_queries_for_3_or_30_rows(db, people, api, path):
    person = register(people.registrar)
    client = api(people.legal_officer if path == "assessments/" else people.interviewer)
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    codes = iter(["KR", "BR", "PL", "DE", "FR", "CA", "US", "JP", "GB", "NL", "SE", "NO", "FI",
                  "DK", "IE", "ES", "PT", "IT", "AT", "CH", "BE", "LU", "CZ", "SK", "HU", "RO",
                  "BG", "GR", "EE", "LV"])  # fmt: skip

    def add(count):
        for i in range(count):
            if path == "names/":
                alias = NameInput(family_name="Kim", given_name=f"Alias {i}")
                person_name_add(actor=people.registrar, person=person, name=alias)
            elif path == "will-expressions/":
                record_will(people.interviewer, person, verified=False, statement=f"Press {i}.")
            else:
                case_services.risk_assessment_record(
                    actor=people.legal_officer, person=person, country=next(codes),
                    persecution_risk="low", onward_transfer_risk="low", basis="Reports.",
                )  # fmt: skip

    few, many = _grows(client, f"/api/v1/persons/{person.pk}/{path}", add)
    assert few == many <= MAX_QUERIES


def test_the_transfer_list_makes_the_same_queries_for_3_or_30_transfers(db, people, api):
    client = api(people.planner)

    def add(count):
        for _ in range(count):
            person = accepted(people)
            assess(people.legal_officer, person, "PL")
            case_services.transfer_schedule(
                actor=people.planner, person=person, destination="KR", transit=["PL"],
                scheduled_for=tomorrow(),
            )  # fmt: skip

    few, many = _grows(client, "/api/v1/transfers/", add)
    assert few == many <= MAX_QUERIES


def test_the_organisation_list_makes_the_same_queries_for_3_or_30(db, people, api):
    client = api(people.registrar)

    def add(count):
        for i in range(count):
            make_org(f"Partner {i} {count}", OrganisationKind.LEGAL_NGO, "UA")

    few, many = _grows(client, "/api/v1/organisations/", add)
    assert few == many <= MAX_QUERIES


def test_the_audit_event_list_makes_the_same_queries_for_3_or_30_events(db, people, api):
    client = api(people.auditor)

    def add(count):
        for _ in range(count):
            register(people.registrar)

    few, many = _grows(client, "/api/v1/audit-events/", add)
    assert few == many <= MAX_QUERIES
