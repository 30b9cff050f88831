import pytest
from django.core.exceptions import FieldError
from django.db import connection, transaction
from django.test import override_settings

from safepassage.audit.models import AuditEvent
from safepassage.cases.forms import WillForm
from safepassage.cases.models import RiskAssessment, WillExpression
from safepassage.lib.crypto import CryptoError, MissingKeyError
from safepassage.registry.models import Person
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


def test_a_value_read_without_its_row_refuses_to_be_used(records):
    sealed = WillExpression.objects.values_list("statement", flat=True).get()
    with pytest.raises(CryptoError, match="bound to its row"):
        str(sealed)
    with pytest.raises(CryptoError, match="bound to its row"):
        assert sealed == MARKERS["statement"]


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


def _swap(table: str, column: str, first: int, second: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} WHERE id IN (%s, %s)", [first, second])  # noqa: S608
        values = dict(cursor.fetchall())
        for pk, other in ((first, second), (second, first)):
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [values[other], pk])  # noqa: S608


def test_two_persons_statements_swapped_in_the_database_do_not_open(people):
    first, second = register(people.registrar), register(people.registrar)
    mine = record_will(people.interviewer, first, statement="I want to go south.")
    theirs = record_will(people.interviewer, second, statement="I want to go home.")
    _swap("cases_willexpression", "statement", mine.pk, theirs.pk)
    for will in (mine, theirs):
        with pytest.raises(CryptoError, match=rf"cases_willexpression.statement#{will.pk}\b"):
            WillExpression.objects.get(pk=will.pk)


def test_two_persons_next_of_kin_swapped_in_the_database_do_not_open(people):
    first = register(people.registrar, next_of_kin="Mother, Hamhung")
    second = register(people.registrar, next_of_kin="Wife, Kyiv")
    _swap("registry_person", "next_of_kin", first.pk, second.pk)
    with pytest.raises(CryptoError, match="registry_person.next_of_kin#"):
        Person.objects.get(pk=first.pk).next_of_kin  # noqa: B018
    with pytest.raises(CryptoError, match="altered, or copied from another"):
        Person.objects.get(pk=second.pk)


def test_a_new_row_reserves_its_id_before_its_value_is_sealed(records):
    _person, will, _assessment = records
    copy = WillExpression.objects.get(pk=will.pk)
    copy.pk, copy._state.adding = None, True
    copy.statement = "Said again, in private."
    copy.save()
    assert copy.pk not in (None, will.pk)
    assert WillExpression.objects.get(pk=copy.pk).statement == "Said again, in private."
    assert WillExpression.objects.get(pk=will.pk).statement == MARKERS["statement"]


def test_an_update_of_an_encrypted_column_must_be_sealed_for_its_row(records):
    _person, will, _assessment = records
    with pytest.raises(CryptoError, match="sealed_for_row"), transaction.atomic():
        WillExpression.objects.filter(pk=will.pk).update(statement="Overwritten.")
    field = WillExpression._meta.get_field("statement")
    WillExpression.objects.filter(pk=will.pk).update(
        statement=field.sealed_for_row("Rewritten.", will.pk)
    )
    assert WillExpression.objects.get(pk=will.pk).statement == "Rewritten."


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
