"""Each work queue holds the cases waiting for its readers' next step, oldest first, and only
what the reader may see: another organisation's case is never in his queue."""

import datetime

import pytest
from django.utils import timezone

from safepassage.cases.models import Case, CaseState
from safepassage.work.selectors import BY_NAME, home_queues, queue_cases, queue_view, queues_for
from tests.cases.builders import (
    accepted,
    awaiting_interview,
    decided,
    in_legal_assessment,
    repatriation_decided,
    scheduled,
)
from tests.factories import record_will, register
from tests.tracing.tracing_data import mother_request, pair_of, propose, register_kim

pytestmark = pytest.mark.django_db


def _numbers(user, name) -> list[str]:
    cases = queue_cases(user=user, queue=BY_NAME[name]).select_related("person")
    return [case.person.registry_number for case in cases]


def _waited(person, days: int) -> None:
    Case.objects.filter(person=person).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=days, hours=1)
    )


def test_each_role_has_the_queues_of_the_steps_it_takes(people):
    names = {who: [q.name for q in queues_for(getattr(people, who))] for who in vars(people)}
    assert names["registrar"] == ["to_notify", "duplicates_to_review"]
    assert names["interviewer"] == [
        "to_be_seen", "interviews_to_finalise", "to_refer", "onward_risk", "tracing_to_review",
        "field_conflicts_to_review", "medical_awaiting_consent",
    ]  # fmt: skip
    assert names["legal_officer"] == names["verifier_legal"] == ["to_assess", "onward_risk"]
    assert names["decision_maker"] == ["to_refer", "to_decide"]
    assert names["receiving_officer"] == ["to_accept"]
    assert names["planner"] == ["to_schedule", "handovers_due", "medical_not_planned"]
    # The detaining power's interviewers hold interviews too; only the verifier's verify.
    assert names["detaining_interviewer"] == ["to_be_seen"]
    assert names["auditor"] == names["admin"] == []


def test_a_registered_person_waits_to_be_notified_by_his_own_bureau_only(people):
    kim = register(people.registrar)
    assert _numbers(people.registrar, "to_notify") == [kim.registry_number]
    assert _numbers(people.outsider, "to_notify") == []  # another detaining power's registrar


def test_the_verifier_sees_who_waits_for_an_interview_and_which_interviews_to_finalise(people):
    waiting = awaiting_interview(people)
    recorded = awaiting_interview(people)
    record_will(people.detaining_interviewer, recorded, verified=False)
    assert Case.objects.get(person=recorded).state == CaseState.WILL_RECORDED
    assert _numbers(people.interviewer, "to_be_seen") == [waiting.registry_number]
    assert _numbers(people.interviewer, "interviews_to_finalise") == [recorded.registry_number]
    assert _numbers(people.detaining_interviewer, "to_be_seen") == [waiting.registry_number]
    assert _numbers(people.detaining_interviewer, "interviews_to_finalise") == []
    assert _numbers(people.outsider, "to_be_seen") == []  # another detaining power's interviewer


def test_legal_officers_assess_the_verified_wills_of_the_cases_they_may_see(people):
    verified = awaiting_interview(people)
    record_will(people.interviewer, verified)
    assessing = in_legal_assessment(people)
    unrepresented = register(people.registrar)  # no NGO: only the verifier's lawyers see him
    _waited(assessing, 3)
    expected = [assessing.registry_number, verified.registry_number]
    assert _numbers(people.legal_officer, "to_assess") == expected
    assert _numbers(people.verifier_legal, "to_assess") == expected
    assert unrepresented.registry_number not in _numbers(people.legal_officer, "to_assess")


def test_the_decision_maker_decides_his_own_powers_cases_oldest_first(people):
    newer, older = in_legal_assessment(people), in_legal_assessment(people)
    _waited(older, 5)
    _waited(newer, 2)
    assert _numbers(people.decision_maker, "to_decide") == [
        older.registry_number,
        newer.registry_number,
    ]
    assert _numbers(people.outsider, "to_decide") == []
    view = queue_view(user=people.decision_maker, queue=BY_NAME["to_decide"])
    assert view.count == 2
    assert [item.days_waiting for item in view.items] == [5, 2]


def test_a_receiving_state_accepts_only_the_transfers_decided_to_it(people):
    to_korea = decided(people, "KR")
    to_brazil = decided(people, "BR")
    home = repatriation_decided(people)
    assert _numbers(people.receiving_officer, "to_accept") == [to_korea.registry_number]
    assert _numbers(people.other_receiving_officer, "to_accept") == [to_brazil.registry_number]
    assert home.registry_number not in _numbers(people.receiving_officer, "to_accept")


def test_the_planner_schedules_accepted_transfers_and_decided_repatriations(people):
    waiting_for_acceptance = decided(people, "KR")
    ready = accepted(people)
    home = repatriation_decided(people)
    _waited(home, 1)
    queue = _numbers(people.planner, "to_schedule")
    assert queue == [home.registry_number, ready.registry_number]
    assert waiting_for_acceptance.registry_number not in queue
    assert _numbers(people.outsider, "to_schedule") == []


def test_handovers_due_come_by_their_scheduled_date(people):
    person, transfer = scheduled(people)
    view = queue_view(user=people.planner, queue=BY_NAME["handovers_due"])
    assert [item.label for item in view.items] == [person.registry_number]
    assert view.items[0].due_on == transfer.scheduled_for
    assert _numbers(people.outsider, "handovers_due") == []


def test_duplicates_and_tracing_candidates_wait_for_their_reviewers(people):
    first, second = register_kim(people.registrar), register_kim(people.registrar)
    pair_of(first, second)
    request = mother_request(people.interviewer)
    propose(request, first)
    duplicates = queue_view(user=people.registrar, queue=BY_NAME["duplicates_to_review"])
    assert duplicates.count == 1 and first.registry_number in duplicates.items[0].label
    tracing = queue_view(user=people.interviewer, queue=BY_NAME["tracing_to_review"])
    assert tracing.count == 1 and tracing.items[0].url.endswith(f"/{request.pk}/")
    # Another detaining power reviews its own registry only.
    assert queue_view(user=people.outsider, queue=BY_NAME["duplicates_to_review"]).count == 0


def test_a_reader_who_does_not_act_on_a_queue_gets_nothing_from_it(people):
    in_legal_assessment(people)
    assert _numbers(people.registrar, "to_decide") == []
    assert home_queues(user=people.auditor) == []


def test_the_verifier_sees_who_waits_to_be_seen_by_place_the_longest_wait_first(people):
    from safepassage.registry.models import PlaceKind
    from safepassage.work.selectors import to_be_seen_by_place

    camp = {"internment_place": "Camp No. 1", "internment_place_kind": PlaceKind.CAMP}
    hospital = {"internment_place": "Hospital 4", "internment_place_kind": PlaceKind.HOSPITAL}
    newer_in_camp, older_in_camp = (
        awaiting_interview(people, **camp),
        awaiting_interview(people, **camp),
    )
    in_hospital = awaiting_interview(people, **hospital)
    _waited(older_in_camp, 5)
    _waited(in_hospital, 2)
    groups = to_be_seen_by_place(user=people.interviewer)
    assert [(g.place, g.kind_label, g.count, g.days_waiting) for g in groups] == [
        ("Camp No. 1", "Camp", 2, 5),
        ("Hospital 4", "Hospital", 1, 2),
    ]
    assert [i.label for i in groups[0].items] == [
        older_in_camp.registry_number,
        newer_in_camp.registry_number,
    ]
    assert to_be_seen_by_place(user=people.interviewer, limit=1)[0].items[0].label == (
        older_in_camp.registry_number
    )
    # Another detaining power's interviewer sees none of them; a registrar is not on the queue.
    assert to_be_seen_by_place(user=people.outsider) == []
    assert to_be_seen_by_place(user=people.registrar) == []


def test_what_a_case_queue_holds_depends_on_the_readers_organisation_alone(people):
    """Notifications ask each queue once per `queue_reader_key`: two users of one organisation
    must get the same query from every queue, whatever else differs between them."""
    from safepassage.access.visibility import persons_visible_to
    from safepassage.accounts.models import Role
    from safepassage.work.selectors import QUEUES, queue_reader_key
    from tests.factories import make_user

    second_receiver = make_user(
        people.receiving_officer.organisation, Role.LEGAL_OFFICER, username="seoyeon"
    )
    pairs = [
        (people.registrar, people.decision_maker),
        (people.interviewer, people.verifier_legal),
        (people.receiving_officer, second_receiver),
    ]
    for one, other in pairs:
        assert queue_reader_key(one) == queue_reader_key(other)
        for queue in (q for q in QUEUES if q.kind == "case"):
            ours = Case.objects.filter(state__in=queue.states)
            if queue.narrow:
                ask_one, ask_other = queue.narrow(ours, one), queue.narrow(ours, other)
            else:
                ask_one, ask_other = ours, ours
            assert str(ask_one.query) == str(ask_other.query), queue.name
        assert str(persons_visible_to(one).query) == str(persons_visible_to(other).query)
