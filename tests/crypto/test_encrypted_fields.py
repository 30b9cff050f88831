import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import RiskAssessment, WillExpression
from safepassage.lib.crypto import CryptoError, MissingKeyError
from safepassage.registry.models import Person
from safepassage.web.forms import WillForm
from tests.conftest import TEST_FIELD_KEYS
from tests.crypto.markers import MARKERS, markers_found, sensitive_records
from tests.factories import record_will, register

OTHER_KEYS = "other:" + "A" * 43 + "="


@pytest.fixture
def records(people):
    return sensitive_records(
        registrar=people.registrar,
        interviewer=people.interviewer,
        legal_officer=people.legal_officer,
    )


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_services_read_back_what_they_wrote(records):
    person, will, assessment = records
    will = WillExpression.objects.get(pk=will.pk)
    assert Person.objects.get(pk=person.pk).next_of_kin == MARKERS["next_of_kin_updated"]
    assert will.statement == MARKERS["statement"]
    assert will.present == MARKERS["present"]
    assert will.interpreter == MARKERS["interpreter"]
    assert will.withdrawn_reason == MARKERS["withdrawn_reason"]
    assert RiskAssessment.objects.get(pk=assessment.pk).basis == MARKERS["basis"]
    assert WillExpression.objects.values_list("statement", flat=True).get() == MARKERS["statement"]


def test_the_columns_hold_only_ciphertext(records):
    person, will, assessment = records
    stored = [
        raw("registry_person", "next_of_kin", person.pk),
        *(
            raw("cases_willexpression", c, will.pk)
            for c in ("statement", "present", "interpreter", "withdrawn_reason")
        ),
        raw("cases_riskassessment", "basis", assessment.pk),
    ]
    assert all(stored)
    assert markers_found("\n".join(stored).encode()) == []


def test_the_empty_string_stays_empty_so_the_verified_constraint_still_reads_it(people):
    person = register(people.registrar)
    will = record_will(people.interviewer, person, statement="")
    assert will.verified
    assert raw("cases_willexpression", "present", will.pk) == ""
    assert raw("cases_willexpression", "statement", will.pk) == ""
    assert raw("registry_person", "next_of_kin", person.pk) == ""
    assert WillExpression.objects.filter(present="").count() == 1


def test_it_refuses_equality_search_on_an_encrypted_value(records):
    with pytest.raises(FieldError, match="encrypted"):
        WillExpression.objects.filter(statement=MARKERS["statement"]).count()
    with pytest.raises(FieldError):
        WillExpression.objects.filter(statement__icontains="MRK").count()
    assert WillExpression.objects.filter(withdrawn_reason__isnull=False).count() == 1


def test_a_ciphertext_copied_into_another_column_does_not_open(records):
    _person, will, _assessment = records
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_willexpression SET withdrawn_reason = statement WHERE id = %s", [will.pk]
        )
    with pytest.raises(CryptoError, match="cases_willexpression.withdrawn_reason"):
        WillExpression.objects.get(pk=will.pk)


def test_it_names_the_key_it_lacks(records):
    with override_settings(FIELD_KEYS=OTHER_KEYS), pytest.raises(MissingKeyError, match="'test'"):
        WillExpression.objects.get()
    with override_settings(FIELD_KEYS=f"{OTHER_KEYS},{TEST_FIELD_KEYS}"):
        assert WillExpression.objects.get().statement == MARKERS["statement"]


def test_no_plaintext_reaches_the_audit_log(records):
    events = AuditEvent.objects.all()
    written = "\n".join(f"{e.object_repr} {e.changes}" for e in events)
    assert {"will.record", "will.withdraw", "assessment.record", "person.update"} <= {
        e.action for e in events
    }
    assert markers_found(written.encode()) == []


def test_the_audit_log_names_a_will_expression_without_its_wish(records):
    _person, will, _assessment = records
    event = AuditEvent.objects.get(action="will.record")
    assert event.object_repr == f"{will.person.registry_number}: will expression #{will.pk}"


def test_who_was_present_keeps_a_one_line_input_with_its_length_limit():
    field = WillForm().fields["present"]
    assert field.max_length == 300
    assert field.widget.input_type == "text"
