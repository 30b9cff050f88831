"""Statements, will details, assessment bases and next of kin reach only those who need them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, InterviewSetting, WillSource, Wish
from tests.factories import step
from tests.web.conftest import NEXT_OF_KIN_MARKER, STATEMENT_MARKER
from tests.web.test_permissions import PAGES

INTERPRETER_MARKER = "INTERPRETER-MARKER-Park-5521"
BASIS_MARKER = "BASIS-MARKER-country-report-9034"

# Who may read each marker: NEXT_OF_KIN_VIEW, WILL_STATEMENT, WILL_DETAILS, ASSESSMENT_BASIS.
READERS = {
    NEXT_OF_KIN_MARKER: {"alice", "ivan", "vera"},
    STATEMENT_MARKER: {"vera", "victor", "lena"},
    INTERPRETER_MARKER: {"vera", "victor", "lena"},
    BASIS_MARKER: {"dmitro", "ivan", "vera", "victor", "lena"},
}


@pytest.fixture
def interviewed(people, kim):
    """Kim after a verified interview (wishes to go to KR) and an assessment of KR."""
    case_services.legal_organisation_assign(
        actor=people.registrar, person=kim, organisation=people.legal_officer.organisation
    )
    step(people.registrar, kim, CaseState.NOTIFIED)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    will = case_services.will_expression_record(
        actor=people.interviewer, person=kim, expressed_on=timezone.localdate(),
        source=WillSource.PRIVATE_VERIFICATION_INTERVIEW, setting=InterviewSetting.PRIVATE,
        wish=Wish.NAMED_STATES, destinations_preferred=["KR"], certainty=80,
        statement=STATEMENT_MARKER, interpreter=INTERPRETER_MARKER, language="ko",
    )  # fmt: skip
    step(people.legal_officer, kim, CaseState.LEGAL_ASSESSMENT)
    case_services.risk_assessment_record(
        actor=people.legal_officer, person=kim, country="KR", persecution_risk="low",
        onward_transfer_risk="low", basis=BASIS_MARKER,
    )  # fmt: skip
    return will


def _every_get_page(kim, will):
    for namespace, pattern in PAGES.values():
        kwargs = {}
        if "registry_number" in pattern.pattern.converters:
            kwargs["registry_number"] = kim.registry_number
        if "pk" in pattern.pattern.converters:
            kwargs["pk"] = will.pk  # no transfer exists: transfer pages answer 404
        if "target" in pattern.pattern.converters:
            kwargs["target"] = "deceased"  # the facts form of a death
        yield reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def _text(response) -> str:
    """A page, or a download streamed (the audit log's CSV), as text."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_sensitive_values_appear_only_for_those_with_need_to_know(people, kim, interviewed, login):
    leaks, missing = [], []
    for user in vars(people).values():
        client = login(user)
        pages = {url: _text(client.get(url)) for url in _every_get_page(kim, interviewed)}
        for marker, readers in READERS.items():
            seen_on = [url for url, html in pages.items() if marker in html]
            if user.username in readers and not seen_on:
                missing.append(f"{user.username} cannot read {marker}")
            if user.username not in readers and seen_on:
                leaks.append(f"{user.username} reads {marker} on {seen_on}")
    assert not leaks
    assert not missing


@pytest.mark.parametrize("username", ["minjun", "alice"])
def test_others_see_only_the_outcome_of_his_will(username, people, kim, interviewed, login):
    user = next(u for u in vars(people).values() if u.username == username)
    html = login(user).get(reverse("registry:person_detail", args=[kim.registry_number])).content
    assert b"Refuses repatriation" in html
    assert b"verified" in html
    assert b"Private verification interview" in html
    assert b"Certainty" not in html
    assert b"Destinations preferred" not in html


def test_the_detaining_decision_maker_sees_where_he_asks_to_go_but_not_the_interview(
    people, kim, interviewed, login
):
    html = login(people.decision_maker).get(
        reverse("registry:person_detail", args=[kim.registry_number])
    )
    assert b"South Korea (KR)" in html.content
    assert b"80 %" in html.content
    assert b"Interpreter" not in html.content
    assert STATEMENT_MARKER.encode() not in html.content


def test_the_verifier_sees_the_details_of_the_interview(people, kim, interviewed, login):
    html = login(people.interviewer).get(
        reverse("registry:person_detail", args=[kim.registry_number])
    )
    assert b"80 %" in html.content
    assert b"South Korea (KR)" in html.content
    assert b"Withdraw as recorded in error" in html.content
