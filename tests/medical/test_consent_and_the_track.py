"""His consent (Art. 109(3)) is a verified will on the finding; without it nothing moves, and a
refusal of his origin turns the track to accommodation in a neutral country."""

import pytest

from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import CaseState, DecisionKind, Wish
from safepassage.cases.services import decision_take
from safepassage.lib.errors import DomainError
from safepassage.medical import selectors
from safepassage.medical.models import ConsentAnswer
from tests.factories import assess, record_will, step
from tests.medical.builders import answered, examined


def _wants_home(people, person):
    """A verified will to go home, heard before any finding: only the consent is missing."""
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=())


def _decide(people, person, kind, destination):
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    return decision_take(actor=people.decision_maker, person=person, kind=kind,
                         destination=destination, reason="Found eligible.")  # fmt: skip


def test_a_presented_man_waits_for_the_commission_then_for_his_consent(people, medics, board,
                                                                       wounded):  # fmt: skip
    from safepassage.medical import services

    services.presentation_record(actor=medics.detaining_doctor, person=wounded,
                                 presented_by="himself", presented_on=board.starts_on)  # fmt: skip
    assert selectors.track_of(wounded).stage == selectors.TO_EXAMINE
    examination = examined(medics, board, wounded)
    assert selectors.track_of(wounded).stage == selectors.AWAITING_CONSENT
    assert examination.presentation is not None


def test_his_consent_is_his_verified_will_to_go_home(people, medics, board, wounded):
    consent = answered(people, examined(medics, board, wounded), ConsentAnswer.CONSENTS)
    assert consent.verified and consent.will_expression.wish == Wish.RETURN_TO_ORIGIN
    track = selectors.track_of(wounded)
    assert track.stage == selectors.CONSENTS and track.offered == selectors.DIRECT


def test_an_answer_heard_with_a_guard_in_the_room_is_no_consent(people, medics, board, wounded):
    _wants_home(people, wounded)
    consent = answered(people, examined(medics, board, wounded), ConsentAnswer.CONSENTS,
                       private=False)  # fmt: skip
    assert not consent.verified
    assert selectors.track_of(wounded).stage == selectors.AWAITING_CONSENT
    with pytest.raises(DomainError):
        _decide(people, wounded, DecisionKind.DIRECT_REPATRIATION, "KP")


def test_a_consenting_man_is_decided_for_direct_repatriation_through_the_guard(
    people, medics, board, wounded
):
    answered(people, examined(medics, board, wounded), ConsentAnswer.CONSENTS)
    decision = _decide(people, wounded, DecisionKind.DIRECT_REPATRIATION, "KP")
    assert decision.kind == DecisionKind.DIRECT_REPATRIATION
    wounded.case.refresh_from_db()
    assert wounded.case.state == CaseState.DECIDED


@pytest.mark.parametrize("answer", [None, ConsentAnswer.UNDECIDED])
def test_without_his_consent_no_direct_repatriation_is_decided(people, medics, board, wounded,
                                                               answer):  # fmt: skip
    _wants_home(people, wounded)
    examination = examined(medics, board, wounded)
    if answer:
        answered(people, examination, answer)
    with pytest.raises(DomainError, match="consent"):
        _decide(people, wounded, DecisionKind.DIRECT_REPATRIATION, "KP")


def test_no_finding_no_direct_repatriation(people, wounded):
    _wants_home(people, wounded)
    with pytest.raises(DomainError, match="(?i)commission"):
        _decide(people, wounded, DecisionKind.DIRECT_REPATRIATION, "KP")


def test_a_refusal_of_his_origin_turns_the_track_to_a_neutral_country(people, medics, board,
                                                                      wounded):  # fmt: skip
    answered(people, examined(medics, board, wounded), ConsentAnswer.REFUSES, preferred=["KR"])
    track = selectors.track_of(wounded)
    assert track.stage == selectors.REFUSES and track.offered == selectors.NEUTRAL
    with pytest.raises(DomainError):
        _decide(people, wounded, DecisionKind.DIRECT_REPATRIATION, "KP")
    # The guard refuses any repatriation: his will now refuses his origin.
    with pytest.raises(NonRefoulementViolation):
        decision_take(actor=people.decision_maker, person=wounded,
                      kind=DecisionKind.REPATRIATION, destination="KP", reason="Home.")  # fmt: skip
    assess(people.legal_officer, wounded, "KR")
    decision = decision_take(actor=people.decision_maker, person=wounded,
                             kind=DecisionKind.NEUTRAL_INTERNMENT, destination="KR",
                             reason="Accommodation in a neutral country.")  # fmt: skip
    assert decision.kind == DecisionKind.NEUTRAL_INTERNMENT


def test_a_finding_of_neither_asks_no_consent(people, medics, board, wounded):
    examination = examined(medics, board, wounded, "neither")
    with pytest.raises(DomainError):
        answered(people, examination, ConsentAnswer.CONSENTS)
    assert selectors.track_of(wounded).stage == selectors.NOT_ELIGIBLE


def test_only_a_member_of_the_commission_records_its_examination(people, medics, board, wounded):
    from django.core.exceptions import PermissionDenied

    from safepassage.medical import services
    from tests.factories import make_user

    stranger = make_user(medics.neutral_doctor.organisation, "medical_officer", username="nils")
    with pytest.raises(PermissionDenied):
        services.examination_record(
            actor=stranger, person=wounded, commission=board, examined_on=board.starts_on,
            category="neither", findings="x", examined_by=list(board.members.all()),
        )  # fmt: skip


def test_a_commission_needs_two_neutral_doctors_and_one_of_the_detaining_power(people, medics):
    from safepassage.medical import services

    with pytest.raises(DomainError, match="Annex II"):
        services.commission_create(
            actor=medics.neutral_doctor, name="Too small", starts_on=board_day(),
            members=[services.MemberInput("A", "CH", True), services.MemberInput("B", "UA")],
        )  # fmt: skip


def board_day():
    from tests.medical.builders import today

    return today()


def test_the_queues_hold_him_while_he_waits_for_each_step(people, medics, board, wounded):
    from safepassage.medical import services
    from safepassage.work.selectors import BY_NAME, medical_persons, queues_for

    def held(user, name):
        return [p.pk for p in medical_persons(user=user, queue=BY_NAME[name])]

    assert "medical_to_examine" in [q.name for q in queues_for(medics.neutral_doctor)]
    services.presentation_record(
        actor=medics.detaining_doctor, person=wounded, presented_by="camp_doctor",
        presented_on=board.starts_on,
    )  # fmt: skip
    assert held(medics.neutral_doctor, "medical_to_examine") == [wounded.pk]
    examination = services.examination_record(
        actor=medics.neutral_doctor, person=wounded, commission=board,
        examined_on=board.starts_on, category="direct_repatriation",
        ground="incurable", findings="x", examined_by=list(board.members.all()),
    )  # fmt: skip
    assert held(medics.neutral_doctor, "medical_to_examine") == []
    assert held(people.interviewer, "medical_awaiting_consent") == [wounded.pk]
    answered(people, examination, ConsentAnswer.CONSENTS)
    assert held(people.interviewer, "medical_awaiting_consent") == []
    assert held(people.planner, "medical_not_planned") == [wounded.pk]
    assert held(people.outsider, "medical_not_planned") == []


def test_the_dashboard_counts_the_waiting_per_month_and_a_receiving_state_none(
    people, medics, board, wounded
):
    from safepassage.reports import selectors as reports
    from safepassage.reports.selectors import default_filters

    answered(people, examined(medics, board, wounded), ConsentAnswer.CONSENTS)
    figure = reports.medical_track(actor=people.decision_maker, filters=default_filters())
    assert [row[1:] for row in figure.rows] == [(0, 0, 1)]
    assert (
        reports.medical_track(actor=people.receiving_officer, filters=default_filters()).rows == ()
    )


def test_retention_erases_what_the_commission_found_and_who_presented_him(
    people, medics, board, wounded
):
    from django.db import transaction

    from safepassage.medical.models import Examination, Presentation
    from safepassage.registry.models import Person
    from safepassage.retention.services import person_plan, person_write

    examination = examined(medics, board, wounded)
    Presentation.objects.filter(person=wounded).update(presenter_name="Dr Roe")
    assert "medical_findings" in person_plan(wounded)
    with transaction.atomic():
        person_write(Person.objects.select_for_update().get(pk=wounded.pk))
    assert Examination.objects.get(pk=examination.pk).findings == ""
    assert not Presentation.objects.exclude(presenter_name="").filter(person=wounded).exists()
