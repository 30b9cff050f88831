"""Will expressions and assessments reach the pages and the API through selectors that record
what their reader is shown: statements, interviews, withdrawal reasons, bases."""

import pytest
from django.http import Http404

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.models import CaseState
from safepassage.cases.selectors import assessments_read, will_expressions_read
from tests.factories import record_will, register, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(people):
    """Represented, with a verified will and its statement, and an assessment of KR."""
    person = register(people.registrar)
    services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    person.will = record_will(people.interviewer, person, statement="I fear the camp.")
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    person.assessment = services.risk_assessment_record(
        actor=people.legal_officer, person=person, country="KR", persecution_risk="low",
        onward_transfer_risk="low", basis="Country report.",
    )  # fmt: skip
    return person


def _reads(user) -> dict[tuple[str, str], list[str]]:
    events = AuditEvent.objects.filter(actor=user, action__startswith="read.")
    return {(e.object_type, e.object_id): e.changes["read"][1] for e in events}


def test_reading_his_wills_records_the_statement_and_interview_shown(people, kim):
    read = will_expressions_read(actor=people.interviewer, person=kim)
    assert read.wills == [kim.will] and read.governing_will_id == kim.will.pk
    assert read.ntk.will_statement
    assert _reads(people.interviewer) == {
        ("cases.willexpression", str(kim.will.pk)): ["interview", "statement"]
    }


def test_a_reader_without_the_need_to_know_is_shown_nothing_to_record(people, kim):
    read = will_expressions_read(actor=people.registrar, person=kim)
    assert not read.ntk.will_statement and not read.ntk.will_interview
    assert _reads(people.registrar) == {}


def test_one_will_is_his_or_a_404(people, kim):
    assert will_expressions_read(actor=people.interviewer, person=kim, pk=kim.will.pk).wills
    other = register(people.registrar, family="Ri")
    with pytest.raises(Http404):
        will_expressions_read(actor=people.interviewer, person=other, pk=kim.will.pk)


def test_reading_his_assessments_records_the_basis_shown(people, kim):
    read = assessments_read(actor=people.legal_officer, person=kim)
    assert read.assessments == [kim.assessment]
    assert _reads(people.legal_officer) == {
        ("cases.riskassessment", str(kim.assessment.pk)): ["basis"]
    }
    assert (
        assessments_read(actor=people.planner, person=kim).context["ntk"].assessment_basis is False
    )
    assert _reads(people.planner) == {}
