"""Who may see whom, and who may do what: deny by default."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safepassage.access.persons import person_for
from safepassage.access.policy import _ORGANISATION_ACTIONS as ORGANISATION_ACTIONS
from safepassage.access.policy import Action, can, has_any_role_for
from safepassage.access.visibility import can_see_person, persons_visible_to
from safepassage.cases import services
from safepassage.cases.models import Wish
from tests.cases.builders import awaiting_interview
from tests.factories import make_user, record_will, register

A = Action
# Actions on a person; those on an organisation's own lists (registering, audit, tracing,
# exchanges, reports) have tests of their own beside their apps.
PERSON_ACTIONS = [a for a in Action if a not in ORGANISATION_ACTIONS]

# What each named person may do on a case of the detaining power that the legal NGO represents
# and whose verified will prefers the Republic of Korea. Written out, not read from `_RULES`.
ALLOWED_ON_OUR_CASE = {
    "registrar": {
        A.PERSON_VIEW, A.PERSON_EDIT, A.NEXT_OF_KIN_VIEW, A.LEGAL_ASSIGN, A.EXPORT_DOCUMENT,
        A.CASE_NOTIFY, A.CASE_INTERVIEW_REQUEST, A.CASE_CUSTODY_END, A.CASE_CLOSE,
        A.CASE_CORRECT, A.MEDICAL_VIEW,
        # Granted, then narrowed by `can_on_family_message` to where its agreement allows it.
        A.FAMILY_CENSOR,
    },
    "decision_maker": {
        A.PERSON_VIEW, A.WILL_DETAILS, A.ASSESSMENT_BASIS, A.DECIDE, A.EXPORT_DOCUMENT,
        A.REFERRAL_MAKE, A.MEDICAL_VIEW,
    },
    "planner": {A.PERSON_VIEW, A.TRANSFER_SCHEDULE, A.TRANSFER_EXECUTE, A.MEDICAL_VIEW},
    "detaining_interviewer": {
        A.PERSON_VIEW, A.NEXT_OF_KIN_VIEW, A.WILL_RECORD, A.ASSESSMENT_BASIS, A.LEGAL_ASSIGN,
        A.EXPORT_DOCUMENT, A.CASE_INTERVIEW_REQUEST, A.CASE_WILL_MARK_RECORDED,
    },
    "auditor": {A.PERSON_VIEW},
    "admin": {A.PERSON_VIEW},
    "interviewer": {
        A.PERSON_VIEW, A.NEXT_OF_KIN_VIEW, A.WILL_RECORD, A.WILL_WITHDRAW, A.WILL_DETAILS,
        A.WILL_INTERVIEW, A.WILL_STATEMENT, A.ASSESSMENT_BASIS, A.LEGAL_ASSIGN, A.EXPORT_DOCUMENT,
        A.CASE_INTERVIEW_REQUEST, A.CASE_WILL_MARK_RECORDED, A.CASE_WILL_MARK_VERIFIED,
        A.REFERRAL_MAKE, A.CAPTURE_CARD_CHOICE, A.FAMILY_MESSAGES, A.FOLLOWUP_VIEW,
        A.FOLLOWUP_RECORD,
        A.FOLLOWUP_ALERT, A.MEDICAL_VIEW, A.MEDICAL_FINDINGS, A.MEDICAL_CONSENT,
    },
    "verifier_legal": {
        A.PERSON_VIEW, A.WILL_RECORD, A.WILL_DETAILS, A.WILL_INTERVIEW, A.WILL_STATEMENT,
        A.ASSESS, A.ASSESSMENT_BASIS, A.EXPORT_DOCUMENT, A.CASE_LEGAL_OPEN,
        A.FOLLOWUP_VIEW, A.FOLLOWUP_ALERT, A.MEDICAL_VIEW, A.MEDICAL_FINDINGS,
    },
    "legal_officer": {
        A.PERSON_VIEW, A.WILL_RECORD, A.WILL_DETAILS, A.WILL_INTERVIEW, A.WILL_STATEMENT,
        A.ASSESS, A.ASSESSMENT_BASIS, A.EXPORT_DOCUMENT, A.CASE_LEGAL_OPEN,
        A.FOLLOWUP_VIEW, A.FOLLOWUP_ALERT, A.MEDICAL_VIEW, A.MEDICAL_FINDINGS,
    },
    "receiving_officer": {
        A.PERSON_VIEW, A.ACCEPT, A.DECLINE, A.EXPORT_DOCUMENT, A.RECEPTION_RECORD, A.FOLLOWUP_VIEW,
        # Granted, then narrowed by `can_on_medical` to what he agreed to share with the state.
        A.MEDICAL_VIEW, A.MEDICAL_FINDINGS,
    },
    "other_receiving_officer": set(),
    "outsider": set(),
}  # fmt: skip


@pytest.fixture
def ours(people):
    """Held by the detaining power, represented by the legal NGO, verified will prefers KR."""
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=("KR",))
    return person


@pytest.fixture
def theirs(people):
    """Held by the other detaining power, where the outsider works."""
    return register(people.outsider, family="Pak", given="Yong Nam")


@pytest.mark.parametrize("who", sorted(ALLOWED_ON_OUR_CASE))
def test_each_person_may_do_exactly_their_actions_on_our_case(people, ours, who):
    user = getattr(people, who)
    allowed = {action for action in PERSON_ACTIONS if can(user, action, ours)}
    assert allowed == ALLOWED_ON_OUR_CASE[who]


def test_a_person_action_needs_a_person(people):
    assert not can(people.registrar, A.PERSON_EDIT)
    assert not can(people.registrar, A.PERSON_VIEW)


def test_organisation_actions_follow_kind_and_role(people):
    assert can(people.registrar, A.PERSON_REGISTER)
    assert not can(people.detaining_interviewer, A.PERSON_REGISTER)
    assert not can(people.interviewer, A.PERSON_REGISTER)
    assert can(people.auditor, A.AUDIT_VIEW) and not can(people.registrar, A.AUDIT_VIEW)
    assert can(people.admin, A.MEMBERS_VIEW) and not can(people.auditor, A.MEMBERS_VIEW)
    assert has_any_role_for(people.planner, A.TRANSFER_EXECUTE)
    assert not has_any_role_for(people.receiving_officer, A.TRANSFER_EXECUTE)


# --- visibility -------------------------------------------------------------------------------


def visible(user) -> set[str]:
    return set(persons_visible_to(user).values_list("registry_number", flat=True))


def test_a_detaining_power_sees_only_those_it_holds(people, ours, theirs):
    unrepresented = register(people.registrar, family="Ri")
    assert visible(people.registrar) == {ours.registry_number, unrepresented.registry_number}
    assert visible(people.planner) == visible(people.registrar)


def test_the_outsider_sees_only_his_own_and_never_ours(people, ours, theirs):
    assert visible(people.outsider) == {theirs.registry_number}
    assert not can_see_person(people.outsider, ours)
    with pytest.raises(Http404):
        person_for(people.outsider, ours.registry_number)


def test_the_neutral_verifier_sees_everyone(people, ours, theirs):
    assert visible(people.interviewer) == {ours.registry_number, theirs.registry_number}
    assert visible(people.verifier_legal) == visible(people.interviewer)


def test_a_receiving_state_sees_those_whose_verified_will_prefers_it(people, ours, theirs):
    assert visible(people.receiving_officer) == {ours.registry_number}
    assert visible(people.other_receiving_officer) == set()


def test_a_receiving_state_does_not_see_a_preference_that_is_not_verified(people):
    person = awaiting_interview(people)
    record_will(people.detaining_interviewer, person, preferred=("KR",), verified=False)
    assert not can_see_person(people.receiving_officer, person)


def test_a_receiving_state_no_longer_sees_him_after_a_new_will_drops_it(people, ours):
    record_will(people.interviewer, ours, preferred=("BR",))
    assert not can_see_person(people.receiving_officer, ours)
    assert can_see_person(people.other_receiving_officer, ours)


def test_a_receiving_state_no_longer_sees_him_after_the_will_is_withdrawn(people, ours):
    will = ours.will_expressions.get()
    services.will_expression_withdraw(actor=people.interviewer, will=will, reason="Error.")
    assert not can_see_person(people.receiving_officer, ours)


def test_a_receiving_state_does_not_see_a_state_he_refused(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, wish=Wish.UNDECIDED, preferred=(), refused=("KR",))
    assert not can_see_person(people.receiving_officer, person)


def test_a_legal_ngo_sees_only_the_cases_it_represents(people, ours, theirs):
    register(people.registrar, family="Ri")
    assert visible(people.legal_officer) == {ours.registry_number}


def test_a_legal_ngo_loses_sight_when_its_assignment_ends(people, ours):
    services.legal_organisation_assign(actor=people.registrar, person=ours, organisation=None)
    assert visible(people.legal_officer) == set()


def test_users_without_an_organisation_see_and_do_nothing(people, ours):
    nobody = make_user(None, "registrar", "interviewer")
    superuser = make_user(None)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    for user in (nobody, superuser, AnonymousUser()):
        assert visible(user) == set()
        assert not any(can(user, action, ours) for action in Action)


def test_inactive_users_see_and_do_nothing(people, ours):
    for who in ALLOWED_ON_OUR_CASE:
        user = getattr(people, who)
        user.is_active = False
        assert not any(can(user, action, ours) for action in Action), who
        assert visible(user) == set(), who


# --- person_for -------------------------------------------------------------------------------


def test_person_for_answers_404_when_he_is_invisible_and_403_when_the_action_is_not_allowed(
    people, ours
):
    assert person_for(people.registrar, ours.registry_number) == ours
    assert person_for(people.registrar, ours.registry_number, A.PERSON_EDIT) == ours
    with pytest.raises(PermissionDenied):
        person_for(people.planner, ours.registry_number, A.PERSON_EDIT)
    with pytest.raises(Http404):
        person_for(people.other_receiving_officer, ours.registry_number, A.ACCEPT)
    with pytest.raises(Http404):
        person_for(people.registrar, "UA-1900-000001")


def test_a_person_loaded_for_one_user_is_not_thereby_visible_to_another(people, ours):
    """person_for marks the object it loaded as seen by its reader; the mark is his alone."""
    loaded = person_for(people.registrar, ours.registry_number)
    assert can_see_person(people.registrar, loaded)
    assert not can_see_person(people.outsider, loaded)
    assert not can_see_person(AnonymousUser(), loaded)
