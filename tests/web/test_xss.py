"""Names, statements, places and reasons containing markup are shown as text on every page."""

import pytest
from django.urls import reverse

from safepassage.accounts.models import Role
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState
from safepassage.registry.services import NameInput, person_register
from tests.factories import make_user, record_will, step

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
RAW = [SCRIPT, "<img src=x onerror", "onerror=alert(2)>"]


@pytest.fixture
def marked(people):
    person = person_register(
        actor=people.registrar,
        names=[NameInput(family_name=SCRIPT, given_name=IMG)],
        nationalities=["KP"],
        internment_place=f"Camp {IMG}",
        next_of_kin=f"Mother {SCRIPT}",
    )
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    will = record_will(people.interviewer, person, statement=f"I refuse. {SCRIPT} {IMG}")
    case_services.will_expression_withdraw(
        actor=people.interviewer, will=will, reason=f"Recorded in error {IMG}"
    )
    return person


def _assert_escaped(content: bytes, where: str) -> None:
    page = content.decode()
    for raw in RAW:
        assert raw not in page, f"{where}: {raw!r} rendered as markup"


def test_markup_in_names_places_statements_and_reasons_renders_escaped(people, marked, login):
    number = marked.registry_number
    pages = {
        people.registrar: [
            reverse("registry:person_list"),
            reverse("registry:person_list") + f"?q={SCRIPT}",
            reverse("registry:person_detail", args=[number]),
            reverse("registry:person_edit", args=[number]),
            reverse("registry:person_name_add", args=[number]),
        ],
        people.interviewer: [
            reverse("registry:person_detail", args=[number]),
            reverse("cases:will_new", args=[number]),
        ],
        people.legal_officer: [
            reverse("registry:person_detail", args=[number]),
            reverse("cases:assessment_new", args=[number]),
        ],
        people.auditor: [reverse("audit:audit_list")],
    }
    shown = ""
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            _assert_escaped(response.content, f"{user.username} {url}")
            shown += response.content.decode()
    # The text is there, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;img src=x onerror=alert(2)&gt;" in shown


def test_a_statement_with_markup_posted_through_the_form_renders_escaped(people, kim, login):
    interviewer = make_user(people.interviewer.organisation, Role.INTERVIEWER, username="vika")
    case_services.legal_organisation_assign(
        actor=people.registrar, person=kim, organisation=people.legal_officer.organisation
    )
    client = login(interviewer)
    response = client.post(
        reverse("cases:will_new", args=[kim.registry_number]),
        {"statement": SCRIPT + IMG, "wish": "", "certainty": "x"},  # invalid: shown again
    )
    assert response.status_code == 200
    _assert_escaped(response.content, "will_new re-rendered")
