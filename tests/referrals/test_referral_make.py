"""Referring a man to a receiving state: with his verified consent only, once per state."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Wish
from safepassage.lib.errors import DomainError
from safepassage.referrals import services
from safepassage.referrals.models import Referral, ReferralState
from tests.factories import record_will, step
from tests.referrals.builders import FAMILY_LINKS, in_days, refer, third_country

pytestmark = pytest.mark.django_db


def test_the_verifier_refers_a_man_who_asked_for_a_third_country(people, orgs, kim):
    referral = refer(people, third_country(people, kim), orgs.other_receiving)
    assert referral.state == ReferralState.REFERRED
    assert referral.due_on == in_days(services.ANSWER_DAYS)
    event = AuditEvent.objects.get(action="referral.make", object_id=str(referral.pk))
    assert FAMILY_LINKS not in str(event.changes)


def test_several_states_may_be_asked_at_once(people, orgs, kim):
    third_country(people, kim)
    refer(people, kim, orgs.receiving)
    refer(people, kim, orgs.other_receiving)
    assert Referral.objects.filter(person=kim).count() == 2


def test_it_refuses_a_second_live_referral_to_the_same_state(people, orgs, kim):
    third_country(people, kim)
    refer(people, kim, orgs.receiving)
    with pytest.raises(DomainError) as refused:
        refer(people, kim, orgs.receiving)
    assert refused.value.field == "organisation"
    assert Referral.objects.filter(person=kim).count() == 1


def test_it_refuses_a_state_his_will_does_not_name(people, orgs, kim):
    step(people.registrar, kim, "notified")
    step(people.registrar, kim, "awaiting_interview")
    record_will(people.interviewer, kim, wish=Wish.NAMED_STATES, preferred=("KR",))
    refer(people, kim, orgs.receiving)
    with pytest.raises(DomainError, match="not consented"):
        refer(people, kim, orgs.other_receiving)


def test_it_refuses_a_man_without_a_verified_will(people, orgs, kim):
    with pytest.raises(DomainError, match="No verified will"):
        refer(people, kim, orgs.other_receiving)


def test_it_refuses_a_due_date_that_has_passed(people, orgs, kim):
    third_country(people, kim)
    with pytest.raises(DomainError) as refused:
        refer(people, kim, orgs.other_receiving, due_on=in_days(0))
    assert refused.value.field == "due_on"


def test_it_refuses_an_organisation_that_is_no_receiving_state(people, orgs, kim):
    third_country(people, kim)
    with pytest.raises(DomainError) as refused:
        refer(people, kim, orgs.legal)
    assert refused.value.field == "organisation"


def test_the_detaining_powers_decision_maker_may_refer_him_with_his_consent(people, orgs, kim):
    third_country(people, kim)
    referral = services.referral_make(
        actor=people.decision_maker, person=kim, organisation=orgs.other_receiving
    )
    assert referral.referring_organisation == orgs.detaining


@pytest.mark.parametrize("who", ["registrar", "receiving_officer", "legal_officer", "planner"])
def test_others_may_not_refer_him(people, orgs, kim, who):
    third_country(people, kim)
    with pytest.raises(PermissionDenied):
        services.referral_make(
            actor=getattr(people, who), person=kim, organisation=orgs.other_receiving
        )
