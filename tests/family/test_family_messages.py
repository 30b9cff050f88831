"""Family messages (GC III Art. 71, 76): written, censored or passed by the detaining power's
censor where its agreement allows it, forwarded and delivered through the verifier; his choice
of who may write to him and who may learn where he is held."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safepassage.access.policy import Action, can_on_family_message
from safepassage.audit.models import AuditEvent
from safepassage.family import selectors, services
from safepassage.family.models import STRUCK, Direction, FamilyMessage, MessageState
from safepassage.lib.errors import ConflictError, DomainError
from tests.factories import register
from tests.family.builders import (
    BROTHER,
    DETAINING,
    MOTHER,
    NEWS,
    STRANGER,
    correspondents,
    message,
)


@pytest.fixture
def kim(people):
    return register(people.registrar, family="Kim", given="Chol Su", internment_place="Camp West-3")


@pytest.fixture
def censoring(settings):
    settings.FAMILY_CENSORSHIP_BY = [DETAINING]


def states(msg) -> list[str]:
    return [row.to_state for row in msg.transitions.order_by("at", "id")]


def test_a_message_goes_through_censorship_and_delivery(people, kim, censoring):
    correspondents(people, kim)
    msg = message(people, kim)
    assert msg.state == MessageState.WRITTEN
    with pytest.raises(DomainError, match="censors his messages first"):
        services.family_message_step(
            actor=people.interviewer, message=msg, target=MessageState.FORWARDED
        )
    services.family_message_censor(actor=people.registrar, message=msg)
    services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.FORWARDED
    )
    msg = services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.DELIVERED
    )
    assert states(msg) == [MessageState.PASSED, MessageState.FORWARDED, MessageState.DELIVERED]
    assert msg.forwarded_text == NEWS
    kinds = set(AuditEvent.objects.filter(person=kim).values_list("action", flat=True))
    assert {"family.message", "family.message_censor", "family.message_step"} <= kinds


def test_without_censorship_in_the_agreement_the_verifier_forwards_it_unread(people, kim):
    correspondents(people, kim)
    msg = message(people, kim)
    assert not can_on_family_message(people.registrar, Action.FAMILY_CENSOR, msg)
    with pytest.raises(PermissionDenied):
        services.family_message_censor(actor=people.registrar, message=msg)
    msg = services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.FORWARDED
    )
    assert msg.state == MessageState.FORWARDED and msg.forwarded_text == NEWS


def test_a_struck_passage_is_never_forwarded_and_the_original_stays(people, kim, censoring):
    correspondents(people, kim)
    msg = message(people, kim, text="We are well. The soldiers came to the village again. Love.")
    with pytest.raises(DomainError) as missing:
        services.family_message_censor(
            actor=people.registrar, message=msg, strike=["The soldiers came to the village again."]
        )
    assert missing.value.field == "reason"
    msg = services.family_message_censor(
        actor=people.registrar, message=msg, strike=["The soldiers came to the village again."],
        reason="Military information (Art. 76).",
    )  # fmt: skip
    msg = services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.FORWARDED
    )
    copy = selectors.forwarded_copy(msg)
    assert msg.state == MessageState.FORWARDED
    assert "soldiers" not in copy.text and STRUCK in copy.text and copy.text.startswith("We are")
    assert "soldiers" in FamilyMessage.objects.get(pk=msg.pk).text
    assert states(msg) == [MessageState.CENSORED, MessageState.FORWARDED]


def test_a_passage_not_in_the_message_is_refused_naming_the_field(people, kim, censoring):
    correspondents(people, kim)
    msg = message(people, kim)
    with pytest.raises(DomainError) as error:
        services.family_message_censor(
            actor=people.registrar, message=msg, strike=["not there"], reason="x"
        )
    assert error.value.field == "strike"
    assert FamilyMessage.objects.get(pk=msg.pk).state == MessageState.WRITTEN


def test_a_message_from_a_correspondent_he_did_not_allow_is_refused(people, kim):
    with pytest.raises(DomainError, match="has not allowed") as none_yet:
        message(people, kim, name=MOTHER)
    assert none_yet.value.field == "correspondent_name"
    correspondents(people, kim, may_write=(MOTHER,), may_know_place=())
    with pytest.raises(DomainError, match="has not allowed"):
        message(people, kim, name=STRANGER)
    assert message(people, kim, name="  kim   young hee ").state == MessageState.WRITTEN
    assert FamilyMessage.objects.count() == 1


def test_he_may_change_who_writes_to_him(people, kim):
    correspondents(people, kim, may_write=(MOTHER,), may_know_place=())
    message(people, kim, name=MOTHER)
    correspondents(people, kim, may_write=(BROTHER,), may_know_place=())
    with pytest.raises(DomainError, match="has not allowed"):
        message(people, kim, name=MOTHER)
    assert AuditEvent.objects.filter(action="family.correspondence_choice").count() == 2


def test_who_may_learn_his_place_must_be_allowed_to_write(people, kim):
    with pytest.raises(DomainError) as error:
        correspondents(people, kim, may_write=(MOTHER,), may_know_place=(BROTHER,))
    assert error.value.field == "may_know_place"


def test_his_place_of_detention_goes_only_to_whom_he_allowed(people, kim):
    correspondents(people, kim, may_write=(MOTHER, BROTHER), may_know_place=(MOTHER,))
    to_mother = message(people, kim, direction=Direction.FROM_HIM, name=MOTHER)
    to_brother = message(people, kim, direction=Direction.FROM_HIM, name=BROTHER)
    for msg in (to_mother, to_brother):
        services.family_message_step(
            actor=people.interviewer, message=msg, target=MessageState.FORWARDED
        )
    to_mother.refresh_from_db()
    to_brother.refresh_from_db()
    assert selectors.forwarded_copy(to_mother).place_of_detention == "Camp West-3"
    assert selectors.forwarded_copy(to_brother).place_of_detention is None


def test_a_reply_answers_a_message_going_the_other_way(people, kim):
    correspondents(people, kim)
    first = message(people, kim)
    reply = message(people, kim, direction=Direction.FROM_HIM, in_reply_to=first.pk)
    assert reply.in_reply_to == first
    with pytest.raises(DomainError) as error:
        message(people, kim, direction=Direction.TO_HIM, in_reply_to=first.pk)
    assert error.value.field == "in_reply_to"


def test_undeliverable_needs_a_reason(people, kim):
    correspondents(people, kim)
    msg = message(people, kim)
    services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.FORWARDED
    )
    with pytest.raises(DomainError) as error:
        services.family_message_step(
            actor=people.interviewer, message=msg, target=MessageState.UNDELIVERABLE
        )
    assert error.value.field == "reason"
    msg = services.family_message_step(
        actor=people.interviewer, message=msg, target=MessageState.UNDELIVERABLE,
        reason="No one at the address.",
    )  # fmt: skip
    assert msg.state == MessageState.UNDELIVERABLE


def test_a_step_on_a_message_changed_meanwhile_is_a_conflict(people, kim, censoring):
    correspondents(people, kim)
    msg = message(people, kim)
    stale = msg.version
    services.family_message_censor(actor=people.registrar, message=msg)
    with pytest.raises(ConflictError):
        services.family_message_step(
            actor=people.interviewer, message=msg, target=MessageState.FORWARDED,
            expected_version=stale,
        )  # fmt: skip


def test_the_censor_sees_only_what_waits_for_him_and_others_nothing(people, kim, censoring):
    correspondents(people, kim)
    waiting, passed = message(people, kim), message(people, kim)
    services.family_message_censor(actor=people.registrar, message=passed)
    assert selectors.family_messages(actor=people.registrar, person=kim) == [waiting]
    assert len(selectors.family_messages(actor=people.interviewer, person=kim)) == 2
    for other in (people.decision_maker, people.detaining_interviewer, people.verifier_legal,
                  people.receiving_officer, people.outsider):  # fmt: skip
        with pytest.raises(Http404):
            selectors.family_messages(actor=other, person=kim)
        with pytest.raises(Http404):
            selectors.family_message_for(other, waiting.pk)
    with pytest.raises(Http404):
        selectors.family_message_for(people.registrar, passed.pk)


def test_reading_his_messages_is_audited(people, kim):
    correspondents(people, kim)
    msg = message(people, kim)
    selectors.family_messages(actor=people.interviewer, person=kim)
    assert AuditEvent.objects.filter(action="read.familymessage", object_id=str(msg.pk)).exists()
