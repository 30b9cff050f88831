"""The capture card (GC III Annex IV): every field of the Annex, names in Hangul and Cyrillic
intact when identified; nothing that names him when pseudonymised."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.exports.pseudonyms import pseudonym_of
from safepassage.exports.services import capture_card_export
from safepassage.family import services
from tests.exports.conftest import (
    BIRTH_PLACE_MARKER,
    CAMP_MARKER,
    CAPTURE_PLACE_MARKER,
    RANK_MARKER,
    SERVICE_NUMBER_MARKER,
    WOUNDS_MARKER,
    names_of,
    pdf_text,
)
from tests.web.conftest import NEXT_OF_KIN_MARKER

ANNEX_IV_LABELS = [
    "Power on which the prisoner depends",
    "Surname",
    "First names (in full)",
    "First name of father / patronymic",
    "Date of birth",
    "Place of birth",
    "Rank",
    "Service number",
    "Address of family",
    "Taken prisoner on",
    "Taken prisoner at",
    "State of health",
    "Prisoner of war number",
    "Place of internment",
]


def card(actor, person, identified=False) -> str:
    return pdf_text(capture_card_export(actor=actor, person=person, identified=identified).data)


def test_the_identified_card_has_every_annex_iv_field_with_his_values(people, ivan):
    text = card(people.registrar, ivan, identified=True)
    for label in ANNEX_IV_LABELS:
        assert label in text, label
    for value in ("Ковальов", "Іван", "Петрович", "1994-07-15", BIRTH_PLACE_MARKER, RANK_MARKER,
                  SERVICE_NUMBER_MARKER, "2025-01-09", CAPTURE_PLACE_MARKER, CAMP_MARKER,
                  ivan.registry_number, "Russia (RU)", "National Information Bureau"):  # fmt: skip
        assert value in text, value


def test_the_headings_are_in_the_familys_language_too(people, ivan, kim):
    assert "Фамилия" in card(people.registrar, ivan, identified=True)  # languages: ru
    assert "성" in card(people.registrar, kim, identified=True)  # nationality KP: Korean


def test_hangul_names_come_out_of_the_pdf_intact(people, kim):
    text = card(people.registrar, kim, identified=True)
    assert "김" in text and "철수" in text
    assert "Kim Chol Su" in text  # his name in another script


def test_the_family_address_is_on_the_card_for_those_who_may_see_it_and_the_read_is_audited(
    people, kim
):
    services.capture_card_choice_record(  # he allowed it (tests/family: when he did not)
        actor=people.interviewer, person=kim, card_to_family=True, address_on_card=True
    )
    reads = AuditEvent.objects.filter(action="read.person", person=kim)
    before = reads.count()
    assert NEXT_OF_KIN_MARKER in card(people.registrar, kim, identified=True)
    assert reads.count() == before + 1


def test_the_wounds_are_not_on_the_card_only_the_state_of_health(people, ivan):
    text = card(people.registrar, ivan, identified=True)
    assert WOUNDS_MARKER not in text
    assert "No known wounds or sickness" in text


@pytest.mark.parametrize("who", ["registrar", "interviewer", "legal_officer", "decision_maker"])
def test_the_pseudonymised_card_names_no_one(people, kim, ivan, who):
    kim.case.legal_organisation = people.legal_officer.organisation
    kim.case.save()
    ivan.case.legal_organisation = people.legal_officer.organisation
    ivan.case.save()
    for person in (kim, ivan):
        text = card(getattr(people, who), person)
        secrets = [*names_of(person), person.registry_number, NEXT_OF_KIN_MARKER,
                   BIRTH_PLACE_MARKER, SERVICE_NUMBER_MARKER, CAPTURE_PLACE_MARKER, CAMP_MARKER,
                   RANK_MARKER, WOUNDS_MARKER, "1994-07-15", "2025-01-09"]  # fmt: skip
        leaked = [s for s in secrets if s in text]
        assert not leaked, leaked
        assert pseudonym_of(person.registry_number) in text


def test_the_pseudonymised_card_keeps_the_form_with_coarse_dates(people, ivan):
    text = card(people.registrar, ivan)
    assert "Year of birth" in text and "1994" in text
    assert "Taken prisoner on" in text and "2025-01" in text
    assert text.count("withheld (pseudonymised export)") >= 8
    assert "Camp" in text  # the kind of place, not its name


def test_reading_nothing_sensitive_records_no_read(people, kim):
    before = AuditEvent.objects.filter(action__startswith="read.").count()
    card(people.registrar, kim)
    assert AuditEvent.objects.filter(action__startswith="read.").count() == before


def test_each_export_is_one_audit_event_naming_no_value(people, kim):
    export = capture_card_export(actor=people.registrar, person=kim, identified=True).export
    event = AuditEvent.objects.get(action="export.capture_card", object_id=str(export.pk))
    assert event.person == kim and event.actor == people.registrar
    assert event.changes["identified"] == [None, True]
    assert event.changes["persons"] == [None, 1]
    flat = str(event.changes) + event.object_repr
    assert not any(s in flat for s in [*names_of(kim), NEXT_OF_KIN_MARKER])


def test_an_identified_card_needs_the_role(people, kim):
    with pytest.raises(PermissionDenied):
        capture_card_export(actor=people.interviewer, person=kim, identified=True)
    assert not AuditEvent.objects.filter(action="export.capture_card").exists()


def test_a_person_of_another_organisation_cannot_be_exported(people, kim):
    with pytest.raises(PermissionDenied):
        capture_card_export(actor=people.outsider, person=kim)


def test_a_reader_in_the_familys_language_gets_his_own_words_once(people, kim):
    from django.utils import translation

    with translation.override("ko"):
        text = card(people.registrar, kim)
    assert "Surname" not in text and " / 성" not in text
    assert "withheld (pseudonymised export)" not in text
    assert "/ 비공개" not in text  # the fixed Korean beside the catalogue's Korean
