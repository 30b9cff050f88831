"""The case summary: the history as its reader sees it on the person page; pseudonymised, no
names, numbers, places or free text, and no reads recorded that did not happen."""

import re

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, RiskAssessment, WillExpression
from safepassage.exports.pseudonyms import pseudonym_of, record_pseudonym_of
from safepassage.exports.services import case_summary_export
from tests.exports.conftest import names_of, pdf_text
from tests.factories import assess, record_will, step
from tests.web.conftest import NEXT_OF_KIN_MARKER, STATEMENT_MARKER

DECISION_MARKER = "DECISION-REASON-MARKER-7730"
STEP_MARKER = "STEP-REASON-MARKER-1187"


@pytest.fixture
def kim_case(people, kim):
    """Kim, represented by the legal NGO, with a verified will naming KR and refusing KP."""
    case_services.legal_organisation_assign(
        actor=people.registrar, person=kim, organisation=people.legal_officer.organisation
    )
    step(people.registrar, kim, CaseState.NOTIFIED, reason=STEP_MARKER)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    record_will(people.interviewer, kim, preferred=("KR",), refused=("KP",),
                statement=STATEMENT_MARKER)  # fmt: skip
    step(people.legal_officer, kim, CaseState.LEGAL_ASSESSMENT)
    assess(people.legal_officer, kim, "KR")
    case_services.decision_take(
        actor=people.decision_maker, person=kim, kind="transfer", destination="KR",
        reason=DECISION_MARKER,
    )  # fmt: skip
    return kim


def summary(actor, person, identified=False) -> str:
    return pdf_text(case_summary_export(actor=actor, person=person, identified=identified).data)


def test_the_identified_summary_shows_the_case_as_the_registrar_sees_it(people, kim_case):
    text = summary(people.registrar, kim_case, identified=True)
    for value in ("김 철수", "Kim Chol Su", kim_case.registry_number, NEXT_OF_KIN_MARKER,
                  DECISION_MARKER, STEP_MARKER, "Refuses repatriation", "Decision taken",
                  "Protection Law Centre"):  # fmt: skip
        assert value in text, value
    # The registrar does not see statements or where he asked to go, on screen or here.
    assert STATEMENT_MARKER not in text
    assert "Destinations preferred" not in text


def test_the_pseudonymised_summary_has_no_names_numbers_or_free_text(people, kim_case):
    text = summary(people.registrar, kim_case)
    secrets = [*names_of(kim_case), kim_case.registry_number, NEXT_OF_KIN_MARKER,
               DECISION_MARKER, STEP_MARKER, STATEMENT_MARKER, "Camp West-3",
               people.registrar.username]  # fmt: skip
    leaked = [s for s in secrets if s in text]
    assert not leaked, leaked
    assert pseudonym_of(kim_case.registry_number) in text
    assert "Refuses repatriation" in text and "Decision taken" in text


def test_the_pseudonymised_summary_names_records_by_pseudonym_not_by_database_id(people, kim_case):
    """Ids are sequential and the audit log names records by them: "#7" leads back to him."""
    text = summary(people.legal_officer, kim_case)
    assert not re.search(r"#\s*\d", text), re.findall(r".{20}#\s*\d+", text)
    will = WillExpression.objects.get(person=kim_case)
    assessment = RiskAssessment.objects.get(person=kim_case)
    assert f"Will expression {record_pseudonym_of('will', will.pk)}:" in text
    assert f"Risk assessment {record_pseudonym_of('assessment', assessment.pk)}:" in text


def test_the_identified_summary_names_records_by_the_number_the_audit_log_uses(people, kim_case):
    identified = summary(people.registrar, kim_case, identified=True)
    will = WillExpression.objects.get(person=kim_case)
    assert f"Will expression #{will.pk}:" in identified


def test_the_pseudonymised_summary_masks_as_the_person_page_does(people, kim_case):
    """The legal officer sees where he asked to go; the registrar does not."""
    assert "Destinations preferred: South Korea (KR)" in summary(people.legal_officer, kim_case)
    assert "Destinations preferred" not in summary(people.registrar, kim_case)


def test_the_pseudonymised_summary_records_no_sensitive_read(people, kim_case):
    """The legal officer could read the statement and the basis on screen; the summary shows
    neither, so no read of them is recorded."""
    reads = AuditEvent.objects.filter(action__startswith="read.")
    before = reads.count()
    text = summary(people.legal_officer, kim_case)
    assert STATEMENT_MARKER not in text and "Country reports" not in text
    assert reads.count() == before


def test_an_identified_summary_records_the_reads_the_person_page_records(people, kim_case):
    reads = AuditEvent.objects.filter(action="read.person", person=kim_case)
    before = reads.count()
    summary(people.registrar, kim_case, identified=True)
    assert reads.count() == before + 1  # his next of kin


def test_a_legal_officer_may_not_export_names(people, kim_case):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_summary_export(actor=people.legal_officer, person=kim_case, identified=True)


def test_the_commissions_category_reaches_only_the_readers_of_his_medical_track(
    people, medics, kim_case
):
    from tests.medical.builders import commission, examined

    examined(medics, commission(people, medics), kim_case)
    kim_case.refresh_from_db()

    assert "Direct repatriation" in summary(people.decision_maker, kim_case)
    # Minjun's state will receive him, but reads nothing medical unless he agrees to share it.
    assert "Direct repatriation" not in summary(people.receiving_officer, kim_case)
