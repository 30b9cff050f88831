"""The capture card follows his choice: a family address he withheld never prints, on the
identified card or any other, and is not even read."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.exports.services import capture_card_export
from tests.exports.conftest import pdf_text
from tests.family.test_capture_card_choice_record import choose
from tests.web.conftest import NEXT_OF_KIN_MARKER

pytestmark = pytest.mark.django_db


def card(people, person) -> str:
    return pdf_text(
        capture_card_export(actor=people.registrar, person=person, identified=True).data
    )


def test_a_family_address_he_withheld_never_prints_on_his_card(people, kim):
    choose(people.interviewer, kim, card_to_family=True, address_on_card=False)
    text = card(people, kim)
    assert NEXT_OF_KIN_MARKER not in text
    assert "Address of family" in text and "withheld at his choice" in text
    assert "김" in text  # the card itself is there, identified


def test_a_card_he_sends_to_no_one_but_the_agency_carries_no_family_address(people, kim):
    choose(people.interviewer, kim, card_to_family=False)
    assert NEXT_OF_KIN_MARKER not in card(people, kim)


def test_with_no_choice_recorded_nothing_of_his_family_prints_or_is_read(people, kim):
    reads = AuditEvent.objects.filter(action="read.person", person=kim)
    assert NEXT_OF_KIN_MARKER not in card(people, kim)
    assert not reads.exists()


def test_once_he_allows_it_the_address_prints_and_withdrawing_it_removes_it(people, kim):
    allowed = choose(people.interviewer, kim, address_on_card=True)
    assert NEXT_OF_KIN_MARKER in card(people, kim)
    choose(people.interviewer, kim, address_on_card=False, expected_choice=allowed.pk)
    assert NEXT_OF_KIN_MARKER not in card(people, kim)
