"""The non-refoulement rule itself, pure: `evaluate_route` over `GuardFacts`, no database."""

from safepassage.cases.guard import (
    AssessmentFacts,
    GuardFacts,
    NonRefoulementViolation,
    Violation,
    evaluate_route,
)

WILL = 7


def facts(*, will=WILL, undecided=False, refused=(), assessments=None) -> GuardFacts:
    return GuardFacts(
        governing_will_id=will,
        undecided=undecided,
        refused=frozenset(refused),
        assessments=assessments or {},
    )


def assessed(id_, persecution="low", onward="low") -> AssessmentFacts:
    return AssessmentFacts(id=id_, persecution_risk=persecution, onward_transfer_risk=onward)


def rules(violations: list[Violation]) -> list[tuple]:
    return [(v.rule, v.country, v.as_transit) for v in violations]


def test_it_allows_a_route_nothing_blocks():
    person = facts(refused={"KP"}, assessments={"KR": assessed(1), "PL": assessed(2, "none")})
    assert evaluate_route(person, "KR", ["PL"]) == []


def test_it_refuses_any_route_without_a_verified_will():
    violations = evaluate_route(facts(will=None), "KR")
    assert rules(violations) == [("no_verified_will", None, False)]
    assert "No verified will" in str(violations[0])


def test_it_refuses_any_route_while_the_verified_will_is_undecided():
    violations = evaluate_route(facts(undecided=True), "KR")
    assert rules(violations) == [("undecided", None, False)]
    assert violations[0].will_expression_id == WILL
    assert f"#{WILL}" in str(violations[0])


def test_it_refuses_a_destination_the_person_refused():
    violations = evaluate_route(facts(refused={"KP"}), "KP")
    assert rules(violations) == [("refused", "KP", False)]
    assert violations[0].will_expression_id == WILL


def test_it_refuses_a_transit_state_the_person_refused():
    violations = evaluate_route(facts(refused={"RU"}), "KR", ["PL", "RU"])
    assert rules(violations) == [("refused", "RU", True)]


def test_it_refuses_a_destination_assessed_at_high_persecution_risk():
    person = facts(assessments={"RU": assessed(11, persecution="high")})
    violations = evaluate_route(person, "RU")
    assert rules(violations) == [("high_risk", "RU", False)]
    assert violations[0].assessment_id == 11


def test_it_refuses_a_transit_state_assessed_at_high_persecution_risk():
    person = facts(assessments={"RU": assessed(11, persecution="high")})
    assert rules(evaluate_route(person, "KR", ["RU"])) == [("high_risk", "RU", True)]


def test_it_refuses_a_transit_state_with_a_high_onward_transfer_risk():
    person = facts(assessments={"CN": assessed(12, onward="high")})
    violations = evaluate_route(person, "KR", ["CN"])
    assert rules(violations) == [("onward_risk", "CN", True)]
    assert violations[0].assessment_id == 12


def test_it_refuses_a_destination_with_a_high_onward_transfer_risk():
    person = facts(assessments={"CN": assessed(12, onward="high")})
    assert rules(evaluate_route(person, "CN")) == [("onward_risk", "CN", False)]


def test_low_unknown_and_no_risk_do_not_block():
    person = facts(
        assessments={
            "KR": assessed(1, "low", "low"),
            "PL": assessed(2, "unknown", "unknown"),
            "BR": assessed(3, "none", "none"),
        }
    )
    assert evaluate_route(person, "KR", ["PL", "BR"]) == []


def test_it_names_every_violation_of_a_route_with_its_rule_and_record():
    person = facts(
        undecided=True,
        refused={"KP", "RU"},
        assessments={"RU": assessed(21, "high", "high"), "CN": assessed(22, "low", "high")},
    )
    violations = evaluate_route(person, "KP", ["RU", "CN"])
    assert [(v.rule, v.country, v.as_transit, v.will_expression_id, v.assessment_id)
            for v in violations] == [
        ("undecided", None, False, WILL, None),
        ("refused", "RU", True, WILL, None),
        ("high_risk", "RU", True, None, 21),
        ("onward_risk", "RU", True, None, 21),
        ("onward_risk", "CN", True, None, 22),
        ("refused", "KP", False, WILL, None),
    ]  # fmt: skip


def test_each_violation_message_names_the_country_and_the_record():
    person = facts(
        refused={"KP"},
        assessments={"RU": assessed(31, persecution="high"), "CN": assessed(32, onward="high")},
    )
    messages = {
        (v.rule, v.as_transit): str(v)
        for route in (("KP", ["RU", "CN"]), ("RU", ["KP"]), ("CN", []))
        for v in evaluate_route(person, *route)
    }
    assert "KP" in messages["refused", False] and "#7" in messages["refused", False]
    assert "Transit state KP" in messages["refused", True] and "#7" in messages["refused", True]
    assert "RU" in messages["high_risk", False] and "#31" in messages["high_risk", False]
    assert "Transit state RU" in messages["high_risk", True]
    assert "#31" in messages["high_risk", True]
    assert "CN" in messages["onward_risk", False] and "#32" in messages["onward_risk", False]
    assert "Transit state CN" in messages["onward_risk", True]
    assert "#32" in messages["onward_risk", True]


def test_the_refusal_error_lists_every_reason():
    person = facts(refused={"KP"}, assessments={"RU": assessed(41, persecution="high")})
    error = NonRefoulementViolation(evaluate_route(person, "KP", ["RU"]))
    assert len(error.violations) == 2
    assert "KP" in str(error) and "RU" in str(error) and "#41" in str(error)


def test_blocked_lists_each_state_with_its_rules_and_records():
    person = facts(
        refused={"KP"},
        assessments={"KP": assessed(51, "high", "low"), "CN": assessed(52, "low", "high")},
    )
    assert person.blocked() == {
        "KP": [("refused", WILL, None), ("high_risk", None, 51)],
        "CN": [("onward_risk", None, 52)],
    }
