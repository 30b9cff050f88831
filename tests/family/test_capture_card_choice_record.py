"""His capture card choice: recorded privately by the neutral verifier, changeable, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.family import selectors, services
from safepassage.lib.errors import ConflictError, DomainError

pytestmark = pytest.mark.django_db


def choose(actor, person, **fields):
    values = {"card_to_family": True, "address_on_card": False, **fields}
    return services.capture_card_choice_record(actor=actor, person=person, **values)


def test_with_no_choice_recorded_his_familys_address_does_not_print(kim):
    assert not selectors.family_address_printable(kim)


def test_the_verifier_records_his_choice_and_it_is_audited(people, kim):
    choice = choose(people.interviewer, kim, address_on_card=True, note="He asked twice.")
    assert selectors.family_address_printable(kim)
    event = AuditEvent.objects.get(action="family.capture_card_choice")
    assert event.changes["address_on_card"] == [None, True]
    assert "He asked twice." not in str(event.changes)
    assert choice.organisation == people.interviewer.organisation


def test_he_may_change_his_mind_and_the_latest_choice_governs(people, kim):
    first = choose(people.interviewer, kim, address_on_card=True)
    choose(people.interviewer, kim, card_to_family=False, expected_choice=first.pk)
    assert not selectors.family_address_printable(kim)
    assert len(selectors.capture_card_choices(actor=people.interviewer, person=kim)) == 2


def test_an_address_only_goes_on_a_card_to_his_family(people, kim):
    with pytest.raises(DomainError) as refused:
        choose(people.interviewer, kim, card_to_family=False, address_on_card=True)
    assert refused.value.field == "address_on_card"


def test_a_choice_recorded_meanwhile_is_a_conflict(people, kim):
    choose(people.interviewer, kim)
    with pytest.raises(ConflictError):
        choose(people.interviewer, kim, expected_choice=0)


@pytest.mark.parametrize("who", ["registrar", "decision_maker", "legal_officer", "verifier_legal",
                                 "receiving_officer"])  # fmt: skip
def test_nobody_but_the_verifiers_staff_records_or_reads_it(people, kim, who):
    with pytest.raises(PermissionDenied):
        choose(getattr(people, who), kim)
    with pytest.raises(PermissionDenied):
        selectors.capture_card_choices(actor=getattr(people, who), person=kim)
