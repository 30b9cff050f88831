"""After a merge the non-refoulement guard can only get stricter (`cases.guard._inherited`).

The latest verified will of either record (by when he said it) governs the survivor; the other
record's own refusals and indecision keep applying until a verified will recorded after the
merge; a high risk found on either record holds until that state is assessed after the merge;
and the merged-away record never moves again. Merges are made as the registrar makes them.
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.cases import services as case_services
from safepassage.cases.guard import (
    EXCHANGE,
    REPATRIATION,
    TRANSFER,
    AssessmentFacts,
    Block,
    GuardFacts,
    Movement,
    NonRefoulementViolation,
    WillFacts,
    evaluate_movement,
    exchange_movement,
    guard_check,
    guard_facts,
)
from safepassage.cases.models import CaseState, Transfer, Wish
from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import services
from tests.cases.builders import (
    accepted,
    blocks_of,
    clearances_of,
    governing_will,
    will_kwargs,
    yesterday,
)
from tests.factories import assess, record_will, register, step, tomorrow
from tests.tracing.tracing_data import pair_of


def _at_interview(people, person):
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)


@pytest.fixture
def twins(people):
    """One man registered twice, both records waiting for the verifier: from a field list in
    Latin, and from his card in Hangul."""
    latin = register(people.registrar, family="Kim", given="Chol Su", service_number="1124-77")
    hangul = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="김", given_name="철수", source="capture card")],
        nationalities=["KP"],
        service_number="112477",
    )
    for person in (latin, hangul):
        _at_interview(people, person)
    return latin, hangul


def _merge(people, first, second, survivor):
    services.duplicate_pair_decide(
        actor=people.registrar, pair=pair_of(first, second), same=True,
        reason="Same service number, same card.", survivor=survivor,
    )  # fmt: skip
    survivor.refresh_from_db()


def _other(twins, survivor):
    latin, hangul = twins
    return hangul if survivor == latin else latin


def _rules(violations) -> set[tuple]:
    return {(v.rule, v.country, v.will_expression_id or v.assessment_id) for v in violations}


# Which of the two records keeps (the survivor), or carries the fact under test.
EITHER = pytest.mark.parametrize("which", ["latin", "hangul"])


def _pick(twins, which):
    latin, hangul = twins
    return latin if which == "latin" else hangul


# --- which will governs the survivor ----------------------------------------------------------


@EITHER
def test_the_latest_verified_will_by_the_day_he_said_it_governs_whichever_record_holds_it(
    people, twins, which
):
    latin, hangul = twins
    # He told the verifier on the Hangul record today that he wants Brazil, not Korea ...
    said_last = case_services.will_expression_record(
        actor=people.interviewer, person=hangul,
        **will_kwargs(destinations_preferred=["BR"], destinations_refused=["KR"]),
    )  # fmt: skip
    # ... and an older interview asking for Korea is typed in on the Latin record afterwards.
    case_services.will_expression_record(
        actor=people.interviewer, person=latin, **will_kwargs(expressed_on=yesterday())
    )
    assess(people.legal_officer, latin, "KR")
    survivor = _pick(twins, which)
    _merge(people, latin, hangul, survivor)

    assert guard_facts(survivor).governing.id == said_last.pk
    assert governing_will(survivor) == said_last
    violations = guard_check(person=survivor, destination="KR")
    assert ("refused", "KR", said_last.pk) in _rules(violations)
    assert ("KR", "destination") not in clearances_of(survivor)


@EITHER
def test_on_the_same_day_the_verified_will_recorded_last_governs(people, twins, which):
    latin, hangul = twins
    record_will(people.interviewer, latin, preferred=("BR",))
    last = record_will(people.interviewer, hangul, preferred=("KR",))
    survivor = _pick(twins, which)
    _merge(people, latin, hangul, survivor)
    assert governing_will(survivor) == last
    assert guard_facts(survivor).governing.preferred == ("KR",)


# --- refusals and indecision of the other record ----------------------------------------------


@EITHER
def test_the_other_records_refusals_keep_applying_until_a_verified_will_after_the_merge(
    people, twins, which
):
    latin, hangul = twins
    refusing = record_will(people.interviewer, hangul, preferred=("KR",), refused=("RU",))
    record_will(people.interviewer, latin, preferred=("KR",))  # recorded last: it governs
    for code in ("KR", "RU"):
        assess(people.legal_officer, latin, code)
    assert guard_check(person=latin, destination="KR", transit=["RU"]) == []

    survivor = _pick(twins, which)
    _merge(people, latin, hangul, survivor)
    violations = guard_check(person=survivor, destination="KR", transit=["RU"])
    assert [(v.rule, v.country, v.as_transit, v.will_expression_id) for v in violations] == [
        ("refused", "RU", True, refusing.pk)
    ]
    assert ("RU", "refused") in blocks_of(survivor)
    assert ("RU", "transit") not in clearances_of(survivor)

    record_will(people.interviewer, survivor, preferred=("KR",))
    assert guard_check(person=survivor, destination="KR", transit=["RU"]) == []
    assert ("RU", "transit") in clearances_of(survivor)


@EITHER
def test_the_other_records_indecision_holds_every_route_until_a_verified_will_after_the_merge(
    people, twins, which
):
    latin, hangul = twins
    undecided = record_will(people.interviewer, hangul, wish=Wish.UNDECIDED, preferred=())
    record_will(people.interviewer, latin, preferred=("KR",))
    assess(people.legal_officer, latin, "KR")
    survivor = _pick(twins, which)
    _merge(people, latin, hangul, survivor)

    violations = guard_check(person=survivor, destination="KR")
    assert [(v.rule, v.will_expression_id) for v in violations] == [("undecided", undecided.pk)]
    assert clearances_of(survivor) == set()

    record_will(people.interviewer, survivor, preferred=("KR",))
    assert guard_check(person=survivor, destination="KR") == []
    assert ("KR", "destination") in clearances_of(survivor)


def test_an_older_interview_typed_in_after_the_merge_does_not_lift_them(people, twins):
    """What lifts them is a verified will recorded after the merge that governs: an interview
    from paper, older than the governing will, was not the verifier hearing the joined man."""
    latin, hangul = twins
    refusing = record_will(people.interviewer, hangul, preferred=("KR",), refused=("RU",))
    record_will(people.interviewer, latin, preferred=("KR",))
    for code in ("KR", "RU"):
        assess(people.legal_officer, latin, code)
    _merge(people, latin, hangul, latin)
    case_services.will_expression_record(
        actor=people.interviewer, person=latin, **will_kwargs(expressed_on=yesterday())
    )
    violations = guard_check(person=latin, destination="KR", transit=["RU"])
    assert [(v.rule, v.country, v.will_expression_id) for v in violations] == [
        ("refused", "RU", refusing.pk)
    ]


# --- high risks of either record --------------------------------------------------------------


@EITHER
def test_a_high_risk_found_on_either_record_holds_after_the_merge(people, twins, which):
    latin, hangul = twins
    for person in twins:
        record_will(people.interviewer, person, preferred=("KR",))
    assess(people.legal_officer, latin, "KR")
    high = assess(people.legal_officer, _pick(twins, which), "CN", onward="high")
    survivor = latin
    _merge(people, latin, hangul, survivor)

    violations = guard_check(person=survivor, destination="KR", transit=["CN"])
    assert [(v.rule, v.country, v.assessment_id) for v in violations] == [
        ("onward_risk", "CN", high.pk)
    ]
    assert ("CN", "transit") not in clearances_of(survivor)


@EITHER
def test_a_high_risk_of_one_record_holds_though_the_other_record_assessed_it_low_later(
    people, twins, which
):
    latin, hangul = twins
    for person in twins:
        record_will(people.interviewer, person, preferred=("KR",))
    assess(people.legal_officer, latin, "KR")
    carrier = _pick(twins, which)
    high = assess(people.legal_officer, carrier, "CN", persecution="high")
    assess(people.legal_officer, _other(twins, carrier), "CN")  # low, on the other record
    _merge(people, latin, hangul, latin)

    violations = guard_check(person=latin, destination="KR", transit=["CN"])
    assert [(v.rule, v.country, v.assessment_id) for v in violations] == [
        ("high_risk", "CN", high.pk)
    ]


def test_the_inherited_high_risk_is_lifted_by_an_assessment_after_the_merge_with_four_eyes(
    people, twins
):
    latin, hangul = twins
    for person in twins:
        record_will(people.interviewer, person, preferred=("KR",))
    assess(people.legal_officer, latin, "KR")
    assess(people.legal_officer, hangul, "CN", onward="high")
    _merge(people, latin, hangul, latin)

    lower = assess(people.legal_officer, latin, "CN")
    assert lower.awaits_concurrence
    assert [v.rule for v in guard_check(person=latin, destination="KR", transit=["CN"])] == [
        "onward_risk"
    ]
    case_services.risk_assessment_concur(
        actor=people.verifier_legal, assessment=lower, reason="Reports agree."
    )
    assert guard_check(person=latin, destination="KR", transit=["CN"]) == []
    assert ("CN", "transit") in clearances_of(latin)


def test_lowering_an_inherited_high_risk_needs_four_eyes_though_the_survivor_found_it_low(
    people, twins
):
    """The survivor's own low finding came after the absorbed record's high one, so the
    latest assessment of CN is low — yet CN is blocked for him by the high risk he inherits,
    and one legal officer alone must not be able to open it (issue 17, scenario 9)."""
    latin, hangul = twins
    for person in twins:
        record_will(people.interviewer, person, preferred=("KR",))
    assess(people.legal_officer, latin, "KR")
    assess(people.legal_officer, hangul, "CN", onward="high")
    assess(people.legal_officer, latin, "CN")
    _merge(people, latin, hangul, latin)
    assert ("CN", "onward_risk") in blocks_of(latin)

    lower = assess(people.legal_officer, latin, "CN", persecution="none", onward="none")
    assert lower.awaits_concurrence
    assert ("CN", "onward_risk") in blocks_of(latin)
    assert ("CN", "transit") not in clearances_of(latin)


def test_a_reassessment_after_the_merge_lifts_only_that_states_inherited_risk(people, twins):
    latin, hangul = twins
    for person in twins:
        record_will(people.interviewer, person, preferred=("KR",))
    assess(people.legal_officer, hangul, "PL", persecution="high")
    assess(people.legal_officer, hangul, "CN", onward="high")
    _merge(people, latin, hangul, latin)
    lower = assess(people.legal_officer, latin, "PL")
    case_services.risk_assessment_concur(
        actor=people.verifier_legal, assessment=lower, reason="Reports agree."
    )
    assert {b for b in blocks_of(latin) if b[0] in ("PL", "CN")} == {("CN", "onward_risk")}


# --- the merged-away record -------------------------------------------------------------------


@pytest.mark.parametrize(
    "movement",
    [Movement(TRANSFER, "KR", ("PL",)), Movement(REPATRIATION, "KP"), Movement(EXCHANGE, "KP")],
    ids=["transfer", "repatriation", "exchange"],
)
def test_a_merged_away_record_never_moves_and_the_guard_names_the_survivor(people, twins, movement):
    latin, hangul = twins
    record_will(people.interviewer, hangul, preferred=("KR",))
    for code in ("KR", "PL"):
        assess(people.legal_officer, hangul, code)
    assert guard_check(person=hangul, destination="KR", transit=["PL"]) == []
    _merge(people, latin, hangul, latin)
    hangul.refresh_from_db()

    violations = guard_check(person=hangul, movement=movement)
    assert [(v.rule, v.survivor) for v in violations] == [("merged", latin.registry_number)]
    assert latin.registry_number in str(violations[0])
    assert clearances_of(hangul) == set()


def test_the_absorbed_records_own_transfer_cannot_be_scheduled_after_the_merge(people):
    absorbed = accepted(people, "KR")
    survivor = register(people.registrar, family="Kim", given="Cholsu")
    _merge(people, survivor, absorbed, survivor)
    absorbed.refresh_from_db()
    with pytest.raises(NonRefoulementViolation) as refusal:
        case_services.transfer_schedule(
            actor=people.planner, person=absorbed, destination="KR", scheduled_for=tomorrow()
        )
    assert [v.rule for v in refusal.value.violations] == ["merged"]
    assert survivor.registry_number in str(refusal.value)
    assert not Transfer.objects.filter(person=absorbed).exists()


def test_an_exchange_of_the_absorbed_record_is_refused_by_name(people, twins):
    latin, hangul = twins
    record_will(people.interviewer, hangul, wish=Wish.RETURN_TO_ORIGIN, preferred=())
    _merge(people, latin, hangul, latin)
    hangul.refresh_from_db()
    facts = guard_facts(hangul)
    violations = evaluate_movement(facts, exchange_movement(facts, "KP", []))
    assert [(v.rule, v.survivor) for v in violations] == [("merged", latin.registry_number)]


# --- the rule: a merge only adds blocks -------------------------------------------------------

STATES = ["KR", "KP", "RU", "PL", "CN"]
LEVELS = ["none", "low", "low", "unknown", "high"]
DAY = datetime.date(2026, 3, 2)
AT = datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC)

person_facts = st.builds(
    GuardFacts,
    governing=st.builds(
        WillFacts,
        id=st.just(1),
        verified=st.just(True),
        expressed_on=st.just(DAY),
        recorded_at=st.just(AT),
        wish=st.sampled_from(["named_states", "return_to_origin"]),
        preferred=st.lists(st.sampled_from(STATES), max_size=2, unique=True).map(tuple),
        refused=st.frozensets(st.sampled_from(STATES), max_size=2),
    ),  # fmt: skip
    nationalities=st.just(frozenset({"KP"})),
    assessments=st.dictionaries(
        st.sampled_from(STATES),
        st.builds(
            AssessmentFacts,
            id=st.integers(1, 99),
            persecution_risk=st.sampled_from(LEVELS),
            onward_transfer_risk=st.sampled_from(LEVELS),
        ),  # fmt: skip
    ),
)
inherited = st.dictionaries(
    st.sampled_from(STATES),
    st.lists(
        st.sampled_from(
            [
                Block("refused", will_expression_id=2),
                Block("high_risk", assessment_id=3),
                Block("onward_risk", assessment_id=4),
            ]
        ),  # fmt: skip
        min_size=1,
        max_size=2,
        unique=True,
    ).map(tuple),  # fmt: skip
    min_size=1,
    max_size=2,
)
routes = st.builds(
    lambda destination, transit: Movement(TRANSFER, destination, tuple(transit)),
    st.sampled_from(STATES),
    st.lists(st.sampled_from(STATES), max_size=2),
)


def _joined(facts: GuardFacts, blocks) -> GuardFacts:
    return GuardFacts(
        governing=facts.governing, nationalities=facts.nationalities,
        assessments=facts.assessments, inherited=blocks,
    )  # fmt: skip


def _pairs(blocks) -> set[tuple[str, str]]:
    return {(country, b.rule) for country, found in blocks.items() for b in found}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(facts=person_facts, blocks=inherited, movement=routes)
def test_a_merge_only_adds_blocks_and_never_opens_a_route(facts, blocks, movement):
    joined = _joined(facts, blocks)
    assert _pairs(joined.blocks()) >= _pairs(facts.blocks()) | _pairs(blocks)
    if evaluate_movement(facts, movement):
        assert evaluate_movement(joined, movement)
    if set(blocks) & set(movement.route):
        assert evaluate_movement(joined, movement)
