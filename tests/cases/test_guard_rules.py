"""The non-refoulement rule itself, pure: `evaluate_movement` over `GuardFacts`, no database.

A route is allowed only when every state on it is positively cleared for him (docs/guard.md):
each test below states one rule, over facts built by hand.
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.cases.guard import (
    EXCHANGE,
    NOT_HELD,
    REPATRIATION,
    TRANSFER,
    WILL_RULES,
    AssessmentFacts,
    Block,
    GuardFacts,
    Movement,
    NonRefoulementViolation,
    Violation,
    WillFacts,
    clearances,
    evaluate_movement,
    exchange_movement,
)

WILL = 7
DAY = datetime.date(2026, 3, 2)
TYPED_IN = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)


def will(
    id_=WILL,
    *,
    wish="named_states",
    preferred=("KR",),
    refused=(),
    verified=True,
    on=DAY,
    at=TYPED_IN,
) -> WillFacts:
    return WillFacts(
        id=id_, verified=verified, expressed_on=on, recorded_at=at, wish=wish,
        preferred=tuple(preferred), refused=frozenset(refused),
    )  # fmt: skip


def returns_home(id_=WILL, **fields) -> WillFacts:
    return will(id_, wish="return_to_origin", preferred=(), **fields)


def assessed(id_, persecution="low", onward="low", onward_to=()) -> AssessmentFacts:
    return AssessmentFacts(id_, persecution, onward, frozenset(onward_to))


def facts(
    governing: WillFacts | None = None,
    *,
    nationalities=("KP",),
    assessments=None,
    later=(),
    case_state="accepted",
    **fields,
) -> GuardFacts:
    """A North Korean soldier (by default) whose verified will asks for the Republic of Korea."""
    return GuardFacts(
        governing=will() if governing is None else governing,
        nationalities=frozenset(nationalities),
        assessments=assessments or {},
        later=tuple(later),
        case_state=case_state,
        **fields,
    )


def transfer(destination, *transit) -> Movement:
    return Movement(TRANSFER, destination, tuple(transit))


def repatriation(destination, *transit) -> Movement:
    return Movement(REPATRIATION, destination, tuple(transit))


def rules(violations: list[Violation]) -> list[tuple]:
    return [(v.rule, v.country, v.as_transit) for v in violations]


CLEARED = {"KR": assessed(1), "PL": assessed(2, "none", "none"), "CH": assessed(3)}


# --- positive clearance of every state on the route --------------------------------------------


def test_a_route_every_state_of_which_is_assessed_none_or_low_is_allowed():
    assert evaluate_movement(facts(assessments=CLEARED), transfer("KR", "PL", "CH")) == []


def test_a_transit_state_nobody_has_assessed_is_refused():
    violations = evaluate_movement(facts(assessments=CLEARED), transfer("KR", "PL", "CN"))
    assert rules(violations) == [("not_assessed", "CN", True)]
    assert "Transit state CN has not been assessed" in str(violations[0])


def test_a_destination_nobody_has_assessed_is_refused():
    violations = evaluate_movement(facts(governing=will(preferred=("BR",))), transfer("BR"))
    assert rules(violations) == [("not_assessed", "BR", False)]


@pytest.mark.parametrize("risks", [("unknown", "low"), ("low", "unknown"), ("unknown", "unknown")])
def test_a_state_whose_risk_is_unknown_is_refused(risks):
    person = facts(assessments={**CLEARED, "PL": assessed(21, *risks)})
    for movement, as_transit in ((transfer("KR", "PL"), True), (transfer("PL"), False)):
        violations = evaluate_movement(person, movement)
        assert rules(violations) == [("risk_unknown", "PL", as_transit)]
        assert violations[0].assessment_id == 21
        assert "#21" in str(violations[0])


@pytest.mark.parametrize("as_transit", [True, False])
def test_a_state_assessed_at_high_persecution_risk_is_refused(as_transit):
    person = facts(assessments={**CLEARED, "RU": assessed(11, persecution="high")})
    movement = transfer("KR", "RU") if as_transit else transfer("RU")
    violations = evaluate_movement(person, movement)
    assert rules(violations) == [("high_risk", "RU", as_transit)]
    assert violations[0].assessment_id == 11


@pytest.mark.parametrize("as_transit", [True, False])
def test_a_state_with_a_high_onward_transfer_risk_is_refused(as_transit):
    person = facts(assessments={**CLEARED, "CN": assessed(12, onward="high")})
    movement = transfer("KR", "CN") if as_transit else transfer("CN")
    violations = evaluate_movement(person, movement)
    assert rules(violations) == [("onward_risk", "CN", as_transit)]
    assert violations[0].assessment_id == 12


def test_a_high_risk_with_the_other_risk_unknown_is_refused_as_high_only():
    person = facts(assessments={**CLEARED, "RU": assessed(13, "high", "unknown")})
    assert rules(evaluate_movement(person, transfer("KR", "RU"))) == [("high_risk", "RU", True)]


@pytest.mark.parametrize("as_transit", [True, False])
def test_a_state_his_verified_will_refuses_is_refused_even_when_assessed_low(as_transit):
    person = facts(
        governing=will(refused=("PL",)), assessments={**CLEARED, "PL": assessed(2)}
    )  # fmt: skip
    movement = transfer("KR", "PL") if as_transit else transfer("PL")
    violations = evaluate_movement(person, movement)
    assert rules(violations) == [("refused", "PL", as_transit)]
    assert violations[0].will_expression_id == WILL


@pytest.mark.parametrize("wish", ["named_states", "third_country"])
def test_a_wish_to_go_elsewhere_refuses_his_nationality_though_he_did_not_name_it(wish):
    person = facts(
        governing=will(wish=wish, preferred=("KR",) if wish == "named_states" else ()),
        assessments={**CLEARED, "KP": assessed(4)},
    )
    assert rules(evaluate_movement(person, transfer("KR", "KP"))) == [("refused", "KP", True)]
    assert person.refused() == {"KP"}


def test_the_derived_refusal_follows_his_nationalities_as_they_are_now():
    assessments = {**CLEARED, "KP": assessed(4), "RU": assessed(5)}
    before = facts(assessments=assessments, nationalities=("KP",))
    assert evaluate_movement(before, transfer("KR", "RU")) == []
    # The registry learns he also holds a Russian ID: Russia is now a state he did not ask for.
    now = facts(assessments=assessments, nationalities=("KP", "RU"))
    assert rules(evaluate_movement(now, transfer("KR", "RU"))) == [("refused", "RU", True)]
    # A nationality recorded in error and removed no longer refuses anything.
    corrected = facts(assessments=assessments, nationalities=("RU",))
    assert evaluate_movement(corrected, transfer("KR", "KP")) == []


def test_a_state_he_named_stays_allowed_though_it_is_his_nationality():
    person = facts(
        governing=will(preferred=("KR", "KP")), nationalities=("KP",),
        assessments={**CLEARED, "KP": assessed(4)},
    )  # fmt: skip
    assert person.refused() == frozenset()
    assert evaluate_movement(person, transfer("KR", "KP")) == []


# --- onward destinations, followed to a fixpoint -----------------------------------------------


def test_a_state_that_might_send_him_on_to_a_high_risk_state_is_refused():
    person = facts(
        assessments={**CLEARED, "CN": assessed(31, onward_to=("RU",)),
                     "RU": assessed(32, persecution="high")},
    )  # fmt: skip
    violations = evaluate_movement(person, transfer("KR", "CN"))
    assert [(v.rule, v.country, v.as_transit, v.via, v.assessment_id) for v in violations] == [
        ("onward_blocked", "CN", True, "RU", 32)
    ]
    assert "CN might send him on to RU" in str(violations[0])


def test_onward_destinations_are_followed_through_every_state_they_name():
    person = facts(
        assessments={
            **CLEARED,
            "KR": assessed(1, onward_to=("PL",)),
            "PL": assessed(2, onward_to=("CH",)),
            "CH": assessed(3, onward_to=("RU",)),
            "RU": assessed(33, onward="high"),
        }
    )
    violations = evaluate_movement(person, transfer("KR"))
    assert [(v.rule, v.country, v.via) for v in violations] == [("onward_blocked", "KR", "RU")]
    assert person.onward_reach("KR") == {"PL", "CH", "RU"}


def test_a_state_that_might_send_him_on_to_a_state_he_refused_is_refused_by_his_will():
    person = facts(
        governing=will(refused=("RU",)),
        assessments={**CLEARED, "CN": assessed(34, onward_to=("RU",))},
    )
    violations = evaluate_movement(person, transfer("KR", "CN"))
    assert [(v.rule, v.country, v.via) for v in violations] == [
        ("onward_blocked_by_will", "CN", "RU")
    ]


def test_a_state_that_might_send_him_home_against_his_will_is_refused():
    person = facts(assessments={**CLEARED, "CN": assessed(35, onward_to=("KP",))})
    violations = evaluate_movement(person, transfer("KR", "CN"))
    assert [(v.rule, v.country, v.via) for v in violations] == [
        ("onward_blocked_by_will", "CN", "KP")
    ]


def test_an_onward_destination_that_is_merely_unassessed_does_not_block():
    person = facts(assessments={**CLEARED, "PL": assessed(2, onward_to=("DE",))})
    assert evaluate_movement(person, transfer("KR", "PL")) == []


def test_a_cycle_of_onward_destinations_terminates():
    person = facts(
        assessments={
            "KR": assessed(1, onward_to=("PL",)),
            "PL": assessed(2, onward_to=("CH", "KR")),
            "CH": assessed(3, onward_to=("PL", "KR")),
        }
    )
    assert person.onward_reach("KR") == {"PL", "CH"}
    assert evaluate_movement(person, transfer("KR", "PL", "CH")) == []


def test_a_blocked_state_at_the_end_of_a_cycle_is_still_found():
    person = facts(
        assessments={
            "KR": assessed(1, onward_to=("PL",)),
            "PL": assessed(2, onward_to=("KR", "BY")),
            "BY": assessed(36, persecution="high"),
        }
    )
    assert [(v.rule, v.country, v.via) for v in evaluate_movement(person, transfer("KR"))] == [
        ("onward_blocked", "KR", "BY")
    ]


# --- his own choice: going home ---------------------------------------------------------------


def test_a_repatriation_his_verified_will_asks_for_needs_no_assessment_of_home():
    person = facts(governing=returns_home())
    assert evaluate_movement(person, repatriation("KP")) == []


def test_a_state_of_his_nationality_he_named_needs_no_assessment_either():
    person = facts(governing=will(preferred=("KP",)))
    assert evaluate_movement(person, repatriation("KP")) == []


def test_a_high_risk_at_home_still_blocks_the_repatriation_he_asks_for():
    person = facts(governing=returns_home(), assessments={"KP": assessed(41, persecution="high")})
    violations = evaluate_movement(person, repatriation("KP"))
    assert rules(violations) == [("high_risk", "KP", False)]


def test_every_transit_state_of_a_repatriation_still_needs_clearance():
    person = facts(governing=returns_home(), assessments={"CN": assessed(42)})
    assert evaluate_movement(person, repatriation("KP", "CN")) == []
    violations = evaluate_movement(person, repatriation("KP", "CN", "RU"))
    assert rules(violations) == [("not_assessed", "RU", True)]


def test_his_own_state_as_a_transit_state_needs_an_assessment():
    person = facts(governing=returns_home(), nationalities=("KP", "RU"))
    assert rules(evaluate_movement(person, repatriation("KP", "RU"))) == [
        ("not_assessed", "RU", True)
    ]


def test_the_own_choice_exception_does_not_cover_a_foreign_state_he_named():
    assert rules(evaluate_movement(facts(), transfer("KR"))) == [("not_assessed", "KR", False)]


# --- later statements --------------------------------------------------------------------------


def later(id_=70, **fields) -> WillFacts:
    """An unverified statement (to the press, to a guard) made after the governing will."""
    fields.setdefault("on", DAY + datetime.timedelta(days=5))
    return will(id_, verified=False, **fields)


@pytest.mark.parametrize(
    "statement",
    [
        later(refused=("KR",)),  # he refuses the destination
        later(preferred=("KR",), refused=("PL",)),  # he refuses a transit state
        later(preferred=("BR",)),  # he asks for another destination
        later(wish="return_to_origin", preferred=()),  # he asks to go home after all
        later(wish="undecided", preferred=()),  # he no longer knows
    ],
    ids=["refuses-destination", "refuses-transit", "another-state", "home", "undecided"],
)
def test_a_later_statement_that_contradicts_his_verified_will_holds_the_movement(statement):
    person = facts(assessments=CLEARED, later=[statement])
    violations = evaluate_movement(person, transfer("KR", "PL"))
    assert [(v.rule, v.will_expression_id) for v in violations] == [("later_statement", 70)]
    assert "A later statement contradicts his verified will (record #70)" in str(violations[0])


def test_a_later_statement_asking_to_go_elsewhere_holds_a_repatriation():
    person = facts(governing=returns_home(), later=[later(wish="third_country", preferred=())])
    assert [v.rule for v in evaluate_movement(person, repatriation("KP"))] == ["later_statement"]


@pytest.mark.parametrize(
    "statement",
    [later(preferred=("KR",)), later(preferred=("KR",), refused=("RU",))],
    ids=["same-wish", "refuses-a-state-off-the-route"],
)
def test_a_later_statement_that_agrees_with_the_route_does_not_hold_it(statement):
    person = facts(assessments=CLEARED, later=[statement])
    assert evaluate_movement(person, transfer("KR", "PL")) == []


def test_each_contradicting_later_statement_is_named():
    person = facts(
        assessments=CLEARED,
        later=[later(70, refused=("PL",)), later(71, preferred=("KR",)), later(72, wish="undecided",
               preferred=())],
    )  # fmt: skip
    violations = evaluate_movement(person, transfer("KR", "PL"))
    assert [(v.rule, v.will_expression_id) for v in violations] == [
        ("later_statement", 70),
        ("later_statement", 72),
    ]


# --- which will governs ------------------------------------------------------------------------


def test_the_governing_will_is_the_latest_by_the_day_he_said_it_not_the_day_it_was_typed_in():
    said_last = will(1, on=DAY, at=TYPED_IN)
    from_paper = will(2, on=DAY - datetime.timedelta(days=30), at=TYPED_IN + datetime.timedelta(1))
    assert max([from_paper, said_last], key=lambda w: w.order) == said_last


def test_on_the_same_day_the_will_recorded_last_governs():
    first = will(9, at=TYPED_IN)
    second = will(3, at=TYPED_IN + datetime.timedelta(minutes=5))
    assert max([second, first], key=lambda w: w.order) == second


def test_two_wills_said_and_typed_in_together_are_ordered_by_their_record():
    assert max([will(4), will(5), will(3)], key=lambda w: w.order).id == 5


# --- repatriations and exchanges ---------------------------------------------------------------


def test_a_repatriation_of_a_man_without_a_recorded_nationality_is_refused_origin_unknown():
    person = facts(governing=returns_home(), nationalities=(), assessments={"KR": assessed(1)})
    violations = evaluate_movement(person, repatriation("KR"))
    assert [v.rule for v in violations] == ["origin_unknown"]
    assert "origin is unknown" in str(violations[0])


def test_a_repatriation_to_a_state_not_of_his_nationality_is_refused_not_origin():
    person = facts(governing=returns_home(), assessments={"RU": assessed(1)})
    violations = evaluate_movement(person, repatriation("RU"))
    assert rules(violations) == [("not_origin", "RU", False)]


def test_an_exchange_to_his_own_state_goes_straight_there():
    person = facts(governing=returns_home(), nationalities=("RU",))
    movement = exchange_movement(person, "RU", ["BY"])
    assert movement == Movement(EXCHANGE, "RU", ("BY",), handed_to="RU")
    assert rules(evaluate_movement(person, movement)) == [("not_assessed", "BY", True)]
    cleared = facts(
        governing=returns_home(), nationalities=("RU",), assessments={"BY": assessed(6)}
    )
    assert evaluate_movement(cleared, movement) == []


def test_an_exchange_to_a_state_not_his_own_hands_him_on_to_his_origin():
    person = facts(governing=returns_home(), nationalities=("KP",))
    movement = exchange_movement(person, "RU", ["BY"])
    assert movement == Movement(EXCHANGE, "KP", ("BY", "RU"), handed_to="RU")
    assert movement.route == ("BY", "RU", "KP")


def test_an_exchange_to_a_state_he_did_not_ask_for_is_refused_not_his_wish():
    person = facts(governing=returns_home(), assessments={"BY": assessed(6), "RU": assessed(7)})
    violations = evaluate_movement(person, exchange_movement(person, "RU", ["BY"]))
    assert rules(violations) == [("not_his_wish", "RU", False)]


def test_an_exchange_to_russia_that_he_asked_for_is_still_checked_against_north_korea():
    person = facts(
        governing=will(preferred=("RU",)), nationalities=("KP",),
        assessments={"BY": assessed(6), "RU": assessed(7), "KP": assessed(8)},
    )  # fmt: skip
    violations = evaluate_movement(person, exchange_movement(person, "RU", ["BY"]))
    assert rules(violations) == [("refused", "KP", False)]


def test_a_man_who_asks_to_go_home_to_another_state_is_not_exchanged_to_the_other_party():
    person = facts(governing=will(preferred=("KR",)), nationalities=("RU",),
                   assessments={"BY": assessed(6)})  # fmt: skip
    violations = evaluate_movement(person, exchange_movement(person, "RU", ["BY"]))
    assert ("not_his_wish", "RU", False) in rules(violations)
    assert ("refused", "RU", False) in rules(violations)


def test_an_exchange_of_a_man_without_a_recorded_nationality_is_refused_origin_unknown():
    person = facts(governing=returns_home(), nationalities=(), assessments={"RU": assessed(7)})
    movement = exchange_movement(person, "RU", [])
    assert movement == Movement(EXCHANGE, "RU", (), handed_to="RU")
    assert [v.rule for v in evaluate_movement(person, movement)] == ["origin_unknown"]


# --- the person, wherever the route goes -------------------------------------------------------


def test_a_merged_away_record_never_moves_and_the_refusal_names_the_survivor():
    person = facts(assessments=CLEARED, merged_into="SP-000042")
    violations = evaluate_movement(person, transfer("KR"))
    assert [(v.rule, v.survivor) for v in violations] == [("merged", "SP-000042")]
    assert "merged into SP-000042" in str(violations[0])


@pytest.mark.parametrize("state", sorted(NOT_HELD))
def test_a_man_no_longer_held_never_moves(state):
    violations = evaluate_movement(facts(assessments=CLEARED, case_state=state), transfer("KR"))
    assert [v.rule for v in violations] == ["not_held"]


def test_a_capture_not_yet_notified_holds_every_movement():
    person = facts(assessments=CLEARED, case_state="registered")
    assert [v.rule for v in evaluate_movement(person, transfer("KR"))] == ["not_notified"]


def test_without_a_verified_will_no_route_is_allowed():
    person = GuardFacts(governing=None, nationalities=frozenset({"KP"}), assessments=CLEARED)
    violations = evaluate_movement(person, transfer("KR"))
    assert [v.rule for v in violations] == ["no_verified_will"]
    assert "No verified will" in str(violations[0])


def test_while_his_verified_will_is_undecided_no_route_is_allowed():
    person = facts(governing=will(wish="undecided", preferred=()), assessments=CLEARED)
    violations = evaluate_movement(person, transfer("KR"))
    assert [(v.rule, v.will_expression_id) for v in violations] == [("undecided", WILL)]
    assert f"#{WILL}" in str(violations[0])


def test_the_indecision_of_a_merged_record_holds_every_route():
    person = facts(assessments=CLEARED, inherited_undecided=5)
    assert [(v.rule, v.will_expression_id) for v in evaluate_movement(person, transfer("KR"))] == [
        ("undecided", 5)
    ]


def test_a_block_inherited_from_a_merged_record_refuses_the_state():
    person = facts(
        assessments=CLEARED, inherited={"PL": (Block("refused", will_expression_id=5),)}
    )  # fmt: skip
    violations = evaluate_movement(person, transfer("KR", "PL"))
    assert [(v.rule, v.country, v.will_expression_id) for v in violations] == [("refused", "PL", 5)]


def test_it_names_every_violation_of_a_route_with_its_rule_and_record():
    person = facts(
        governing=will(refused=("RU",)),
        assessments={"RU": assessed(21, "high", "high"), "CN": assessed(22, "low", "high"),
                     "KR": assessed(23, onward_to=("CN",))},
    )  # fmt: skip
    violations = evaluate_movement(person, transfer("KR", "RU", "CN", "BY"))
    assert [(v.rule, v.country, v.as_transit, v.will_expression_id, v.assessment_id, v.via)
            for v in violations] == [
        ("refused", "RU", True, WILL, None, None),
        ("high_risk", "RU", True, None, 21, None),
        ("onward_risk", "RU", True, None, 21, None),
        ("onward_risk", "CN", True, None, 22, None),
        ("not_assessed", "BY", True, None, None, None),
        ("onward_blocked", "KR", False, None, 22, "CN"),
    ]  # fmt: skip


def test_the_refusal_error_lists_every_reason_once():
    person = facts(governing=will(refused=("PL",)), assessments={"RU": assessed(41, "high")})
    error = NonRefoulementViolation(evaluate_movement(person, transfer("KR", "PL", "RU")))
    assert [v.rule for v in error.violations] == [
        "refused", "not_assessed", "high_risk", "not_assessed",
    ]  # fmt: skip
    assert len(error.lines) == 4
    assert all(code in str(error) for code in ("PL", "RU", "KR", "#41", f"#{WILL}"))


def test_blocks_lists_each_state_with_its_rules_and_records():
    person = facts(
        governing=will(refused=("RU",)),
        assessments={"KP": assessed(51, "high", "low"), "CN": assessed(52, "low", "high")},
    )
    assert person.blocks() == {
        "KP": (Block("refused", will_expression_id=WILL), Block("high_risk", assessment_id=51)),
        "RU": (Block("refused", will_expression_id=WILL),),
        "CN": (Block("onward_risk", assessment_id=52),),
    }


# --- what a refusal says to a reader who may not read his will --------------------------------


@pytest.mark.parametrize("rule", sorted(WILL_RULES))
def test_a_refusal_under_his_will_names_no_state_to_a_reader_without_the_wills_details(rule):
    violation = Violation(rule, "KP", as_transit=True, will_expression_id=WILL, via="RU")
    hidden = violation.text(will_details=False)
    assert "KP" not in hidden and "RU" not in hidden and f"#{WILL}" not in hidden
    assert hidden == "A state on this route is blocked for him (his will or an assessment)."
    assert violation.text(will_details=True) != hidden


def test_a_refusal_by_an_assessment_still_names_the_state_without_the_wills_details():
    violation = Violation("high_risk", "RU", assessment_id=11)
    assert violation.text(will_details=False) == violation.text(will_details=True)
    assert "RU" in violation.text(will_details=False)


def test_the_refusal_error_hides_what_his_will_refuses_from_such_a_reader():
    person = facts(governing=will(refused=("RU",)), assessments={**CLEARED, "RU": assessed(61)})
    violations = evaluate_movement(person, transfer("KR", "RU"))
    assert "RU" in str(NonRefoulementViolation(violations))
    hidden = NonRefoulementViolation(violations, will_details=False)
    assert "RU" not in str(hidden) and f"#{WILL}" not in str(hidden)
    assert hidden.violations == violations


# --- clearances: what the database is told, agreeing with the rule -----------------------------


def test_clearances_name_each_state_and_role_with_the_records_behind_them():
    person = facts(governing=returns_home(), assessments={"CN": assessed(42), "RU": assessed(43,
                   "high")})  # fmt: skip
    assert {(c.country, c.role, c.basis, c.will_expression_id, c.assessment_id)
            for c in clearances(person)} == {
        ("CN", "transit", "assessed", WILL, 42),
        ("CN", "destination", "assessed", WILL, 42),
        ("KP", "destination", "own_choice", WILL, None),
    }  # fmt: skip


def test_no_clearance_is_given_while_the_person_may_not_move_at_all():
    for person in (
        facts(assessments=CLEARED, merged_into="SP-000042"),
        facts(assessments=CLEARED, case_state="released"),
        facts(assessments=CLEARED, case_state="registered"),
        facts(governing=will(wish="undecided", preferred=()), assessments=CLEARED),
        facts(assessments=CLEARED, inherited_undecided=5),
    ):
        assert clearances(person) == []


def test_a_state_a_later_statement_refuses_is_cleared_in_no_role():
    person = facts(assessments=CLEARED, later=[later(preferred=("KR",), refused=("PL",))])
    # PL in no role; CH still as a transit state, not as a destination he did not ask for.
    assert {(c.country, c.role) for c in clearances(person)} == {
        ("KR", "transit"), ("KR", "destination"), ("CH", "transit"),
    }  # fmt: skip


STATES = ["KR", "KP", "RU", "PL", "CN", "BR"]
WISHES = ["return_to_origin", "named_states", "third_country", "undecided"]
# Weighted towards clearing a state, so that many random routes are allowed and both
# directions of the agreement below are exercised, not only refusals.
LEVELS = ["low"] * 4 + ["none"] * 4 + ["unknown", "high"]
few = st.frozensets(st.sampled_from(STATES), max_size=2)
often = st.sampled_from([True, True, True, True, False])
mostly_none = st.sampled_from([True, True, False]).flatmap(
    lambda empty: st.just(frozenset()) if empty else few
)

inherited_blocks = st.dictionaries(
    st.sampled_from(STATES),
    st.sampled_from(
        [(Block("refused", will_expression_id=5),), (Block("high_risk", assessment_id=6),)]
    ),
    max_size=2,
)


def statement(id_: int, verified: bool):
    return st.builds(
        will if verified else later,
        id_=st.just(id_),
        wish=st.sampled_from([*WISHES, "named_states", "return_to_origin"]),
        preferred=st.lists(st.sampled_from(STATES), max_size=2, unique=True),
        refused=mostly_none,
    )


@st.composite
def facts_and_transfer(draw, *, with_later: bool):
    movement = draw(
        st.builds(
            lambda destination, transit: transfer(destination, *transit),
            st.sampled_from(STATES),
            st.lists(st.sampled_from(STATES), max_size=2),
        )
    )
    assessments = {}
    for number, code in enumerate(STATES, start=1):
        on_route = code in movement.route
        if draw(st.sampled_from([True, True, True, on_route])):
            assessments[code] = AssessmentFacts(
                number, draw(st.sampled_from(LEVELS)), draw(st.sampled_from(LEVELS)),
                draw(mostly_none),
            )  # fmt: skip
    person = GuardFacts(
        governing=draw(statement(WILL, verified=True)) if draw(often) else None,
        nationalities=frozenset(draw(st.sampled_from(["KP", "KP", "RU", "KP RU", ""])).split()),
        assessments=assessments,
        later=tuple(draw(st.lists(statement(70, False), max_size=1))) if with_later else (),
        case_state=draw(
            st.sampled_from(["accepted"] * 3 + ["decided", "registered", "transferred"])
        ),
        inherited={} if draw(often) else draw(inherited_blocks),
        inherited_undecided=draw(st.sampled_from([None, None, None, 5])),
    )
    return person, movement


# Pure functions: generating the facts is the slow part, more so on a shared, busy machine.
PROPERTY = settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _cleared(person: GuardFacts, movement: Movement) -> bool:
    have = {(c.country, c.role) for c in clearances(person)}
    return (movement.destination, "destination") in have and all(
        (country, "transit") in have for country in movement.transit
    )


@PROPERTY
@given(case=facts_and_transfer(with_later=True))
def test_a_transfer_the_rule_allows_has_a_clearance_for_every_state_on_its_route(case):
    person, movement = case
    if not evaluate_movement(person, movement):
        assert _cleared(person, movement)


@PROPERTY
@given(case=facts_and_transfer(with_later=False))
def test_a_transfer_every_state_of_which_is_cleared_is_allowed_by_the_rule(case):
    person, movement = case
    if _cleared(person, movement):
        assert evaluate_movement(person, movement) == []
