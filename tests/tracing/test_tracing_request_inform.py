"""Informing the requester is an explicit, recorded step, and what may be told follows the
person's protection: a man who refuses return may be said to be alive and registered, no more."""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from safepassage.audit.models import AuditEvent
from safepassage.audit.services import MASK
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, Wish
from safepassage.lib.errors import DomainError
from safepassage.tracing import services
from safepassage.tracing.models import Consent, DisclosureItem, TracingStatus
from tests.factories import assess, record_will, step
from tests.tracing.tracing_data import mother_request, propose, register_kim

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(people):
    return register_kim(people.registrar)


@pytest.fixture
def request_for_kim(people):
    return mother_request(people.interviewer)


WHERE = {DisclosureItem.INTERNMENT_PLACE, DisclosureItem.DETAINING_POWER, DisclosureItem.HEALTH}


@given(protected=st.booleans(), deceased=st.booleans(), consent=st.sampled_from(Consent.values))
def test_what_may_be_told_never_exceeds_his_protection(protected, deceased, consent):
    allowed = services.disclosable(protected=protected, deceased=deceased, consent=consent)
    if consent == Consent.REFUSED:
        assert allowed == set()
    if protected and not deceased:
        assert allowed <= {DisclosureItem.ALIVE_REGISTERED}
    if DisclosureItem.INTERNMENT_PLACE in allowed or DisclosureItem.HEALTH in allowed:
        assert consent == Consent.GIVEN and not protected and not deceased
    assert not (DisclosureItem.ALIVE_REGISTERED in allowed and DisclosureItem.DECEASED in allowed)


@pytest.fixture
def linked(people, kim, request_for_kim):
    services.tracing_candidate_confirm(
        actor=people.interviewer, candidate=propose(request_for_kim, kim), reason="Him."
    )
    request_for_kim.refresh_from_db()
    return request_for_kim


def _inform(people, request, items, consent=Consent.GIVEN, **kwargs):
    return services.tracing_requester_inform(
        actor=people.interviewer, request=request, items=items, consent=consent, **kwargs
    )


def _will_verified(people, person, **kwargs):
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    return record_will(people.interviewer, person, **kwargs)


def test_for_a_man_who_wants_to_go_to_a_third_state_only_alive_and_registered(people, kim, linked):
    _will_verified(people, kim, preferred=("KR",), refused=("KP",))
    with pytest.raises(DomainError) as error:
        _inform(people, linked, ["alive_registered", "internment_place"])
    assert error.value.field == "items"
    with pytest.raises(DomainError):
        _inform(people, linked, ["detaining_power"])
    disclosure = _inform(people, linked, ["alive_registered"], channel="letter")
    assert disclosure.items == ["alive_registered"]


def test_before_his_will_is_verified_he_is_treated_as_protected(people, kim, linked):
    assert services.disclosable_for(person=kim, consent=Consent.GIVEN) == {"alive_registered"}


def test_a_man_going_home_without_risk_may_be_located_with_his_consent(people, kim, linked):
    _will_verified(people, kim, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",))
    assess(people.legal_officer, kim, "KP")
    assert services.disclosable_for(person=kim, consent=Consent.GIVEN) == {
        "alive_registered", "detaining_power", "internment_place", "health",
    }  # fmt: skip
    assert services.disclosable_for(person=kim, consent=Consent.NOT_ASKED) == {
        "alive_registered", "detaining_power",
    }  # fmt: skip
    _inform(people, linked, ["alive_registered", "internment_place"])


def test_a_high_risk_assessment_protects_even_a_man_who_wants_to_go_home(people, kim, linked):
    _will_verified(people, kim, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",))
    assess(people.legal_officer, kim, "KP", persecution="high")
    assert services.disclosable_for(person=kim, consent=Consent.GIVEN) == {"alive_registered"}


def test_if_he_refused_nothing_is_told_and_that_is_recorded(people, kim, linked):
    with pytest.raises(DomainError):
        _inform(people, linked, ["alive_registered"], consent=Consent.REFUSED)
    disclosure = _inform(people, linked, [], consent=Consent.REFUSED, message="We cannot help.")
    assert disclosure.items == []


def test_a_death_is_told_with_the_state_that_held_him(people, kim, linked):
    step(people.registrar, kim, CaseState.DECEASED, reason="Died of his wounds.")
    assert services.disclosable_for(person=kim, consent=Consent.NOT_ASKED) == {
        "deceased", "detaining_power",
    }  # fmt: skip


def test_informing_is_recorded_and_audited_with_the_message_masked(people, kim, linked):
    disclosure = _inform(
        people, linked, ["alive_registered"], consent=Consent.NOT_ASKED,
        channel="letter", message="Your son is alive.",
    )  # fmt: skip
    linked.refresh_from_db()
    assert linked.status == TracingStatus.INFORMED
    event = AuditEvent.objects.get(action="tracing.requester_inform", object_id=str(disclosure.pk))
    assert event.changes["message"] == [None, MASK]
    assert event.changes["items"] == [None, ["alive_registered"]]
    assert event.person == kim
    # A second, later message is a new record; the first stays.
    _inform(people, linked, ["alive_registered"], consent=Consent.NOT_ASKED)
    assert linked.disclosures.count() == 2


def test_nothing_is_told_before_a_link_is_confirmed(people, request_for_kim):
    with pytest.raises(DomainError):
        _inform(people, request_for_kim, ["alive_registered"])
    assert not request_for_kim.disclosures.exists()


@pytest.mark.parametrize("who", ["registrar", "verifier_legal", "outsider"])
def test_only_tracing_staff_may_inform(people, linked, who):
    with pytest.raises(PermissionDenied):
        services.tracing_requester_inform(
            actor=getattr(people, who), request=linked, items=["alive_registered"],
            consent="not_asked",
        )  # fmt: skip
    assert not linked.disclosures.exists()
