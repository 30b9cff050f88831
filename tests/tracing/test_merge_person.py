"""A merge keeps every source record and its history: the absorbed record points to the
survivor, its names become his with their source, its history stays reachable; merged records
leave the lists but their registry numbers still lead to the survivor."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.access.persons import person_for
from safepassage.audit.models import AuditEvent
from safepassage.cases import selectors as case_selectors
from safepassage.cases import services as case_services
from safepassage.cases.guard import guard_check
from safepassage.cases.models import CaseState, WillExpression
from safepassage.lib.errors import DomainError
from safepassage.registry import selectors as registry_selectors
from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import services
from safepassage.tracing.models import PairStatus
from tests.cases.builders import blocks_of
from tests.factories import assess, record_will, register, step
from tests.tracing.tracing_data import pair_of

pytestmark = pytest.mark.django_db


def _at_interview(people, person):
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)


@pytest.fixture
def twins(people):
    """One man registered twice: from a field list in Latin, and from his card in Hangul."""
    latin = register(people.registrar, family="Kim", given="Chol Su", service_number="1124-77")
    hangul = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="김", given_name="철수", source="capture card")],
        nationalities=["KP"],
        service_number="112477",
    )
    return latin, hangul


def _merge(people, pair, survivor=None, reason="Same service number, same card."):
    return services.duplicate_pair_decide(
        actor=people.registrar, pair=pair, same=True, reason=reason, survivor=survivor
    )


def test_a_merge_keeps_both_records_and_copies_the_names_with_their_source(people, twins):
    latin, hangul = twins
    pair = _merge(people, pair_of(latin, hangul))
    hangul.refresh_from_db()
    assert pair.status == PairStatus.SAME and pair.survivor == latin
    assert hangul.merged_into == latin and hangul.merged_at is not None
    assert [n.full_name for n in hangul.names.all()] == ["김 철수"]  # the source record is intact
    copied = latin.names.get(family_name="김")
    assert copied.merged_from == hangul
    assert copied.source == f"capture card · {hangul.registry_number}"
    assert [n.full_name for n in latin.names.all()] == ["Kim Chol Su", "김 철수"]


def test_a_merge_is_audited(people, twins):
    latin, hangul = twins
    pair = _merge(people, pair_of(latin, hangul))
    actions = list(
        AuditEvent.objects.filter(person__in=[latin, hangul]).values_list("action", flat=True)
    )
    assert {"person.merge", "person.merge_absorb"} <= set(actions)
    decided = AuditEvent.objects.get(action="registry.duplicate_decide", object_id=str(pair.pk))
    assert decided.changes["status"] == [PairStatus.OPEN, PairStatus.SAME]


def test_the_absorbed_record_leaves_the_lists_but_its_number_leads_to_the_survivor(people, twins):
    latin, hangul = twins
    _merge(people, pair_of(latin, hangul))
    listed = list(registry_selectors.person_list(actor=people.registrar))
    assert hangul not in listed and latin in listed
    assert person_for(people.registrar, hangul.registry_number) == latin
    # Searching by the absorbed record's name finds the survivor.
    assert list(registry_selectors.person_list(actor=people.registrar, query="김철수")) == [latin]


def test_the_absorbed_history_stays_reachable(people, twins):
    latin, hangul = twins
    _at_interview(people, hangul)
    will = record_will(people.interviewer, hangul, refused=("RU",))
    steps = list(hangul.case.transitions.values_list("pk", flat=True))
    _merge(people, pair_of(latin, hangul))
    assert WillExpression.objects.get(pk=will.pk).person == hangul
    assert list(hangul.case.transitions.values_list("pk", flat=True)) == steps
    timeline = case_selectors.person_timeline(actor=people.interviewer, person=hangul)
    assert will.pk in [e.item.id for e in timeline if e.kind == "will"]


def test_refusals_and_high_risks_of_the_absorbed_record_keep_blocking(people, twins):
    latin, hangul = twins
    for person in twins:
        _at_interview(people, person)
    record_will(people.interviewer, latin, preferred=("KR",))
    for code in ("KR", "RU"):  # the route is cleared for the survivor before the merge
        assess(people.legal_officer, latin, code)
    record_will(people.interviewer, hangul, preferred=("KR",), refused=("RU", "KP"))
    step(people.legal_officer, hangul, CaseState.LEGAL_ASSESSMENT)
    assess(people.legal_officer, hangul, "CN", persecution="low", onward="high")
    assert guard_check(person=latin, destination="KR", transit=["RU"]) == []

    _merge(people, pair_of(latin, hangul), survivor=latin)
    rules = {
        (v.rule, v.country) for v in guard_check(person=latin, destination="KR", transit=["RU"])
    }
    assert rules == {("refused", "RU")}
    assert {(v.rule, v.country) for v in guard_check(person=latin, destination="CN")} == {
        ("onward_risk", "CN")
    }
    blocked = blocks_of(latin)
    assert {("RU", "refused"), ("KP", "refused"), ("CN", "onward_risk")} <= blocked


def test_a_verified_will_after_the_merge_governs_again(people, twins):
    latin, hangul = twins
    for person in twins:
        _at_interview(people, person)
    record_will(people.interviewer, latin, preferred=("KR",))
    for code in ("KR", "RU"):
        assess(people.legal_officer, latin, code)
    record_will(people.interviewer, hangul, preferred=("KR",), refused=("RU",))
    _merge(people, pair_of(latin, hangul), survivor=latin)
    record_will(people.interviewer, latin, preferred=("KR",), refused=())
    assert guard_check(person=latin, destination="KR", transit=["RU"]) == []


def test_a_merge_is_refused_while_either_record_has_a_scheduled_transfer(people):
    from tests.cases.builders import scheduled

    person, _transfer = scheduled(people)
    other = register(people.registrar)
    pair = pair_of(person, other)
    with pytest.raises(DomainError) as error:
        _merge(people, pair, survivor=other)
    assert person.registry_number in str(error.value)
    person.refresh_from_db()
    assert person.merged_into is None
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN


def test_different_persons_are_kept_apart_and_not_merged(people, twins):
    latin, hangul = twins
    pair = services.duplicate_pair_decide(
        actor=people.registrar, pair=pair_of(latin, hangul), same=False,
        reason="Brothers: different dates of birth on the cards.",
    )  # fmt: skip
    hangul.refresh_from_db()
    assert pair.status == PairStatus.DIFFERENT and hangul.merged_into is None
    with pytest.raises(DomainError):
        _merge(people, pair)


def test_merging_a_third_record_into_the_survivor_chain_points_all_to_the_last(people, twins):
    latin, hangul = twins
    third = register(people.registrar, family="Kim", given="Cholsu")
    _merge(people, pair_of(latin, hangul), survivor=hangul)
    _merge(people, pair_of(hangul, third), survivor=third)
    latin.refresh_from_db()
    hangul.refresh_from_db()
    assert latin.merged_into == third and hangul.merged_into == third
    assert person_for(people.registrar, latin.registry_number) == third
    assert third.names.count() == 3


def test_only_the_registrar_holding_both_records_may_merge(people, twins):
    latin, hangul = twins
    pair = pair_of(latin, hangul)
    for user in (people.interviewer, people.decision_maker):
        with pytest.raises(PermissionDenied):
            services.duplicate_pair_decide(actor=user, pair=pair, same=True, reason="x")
    with pytest.raises(DomainError):  # oscar holds every role, at another detaining power
        services.duplicate_pair_decide(actor=people.outsider, pair=pair, same=True, reason="x")
