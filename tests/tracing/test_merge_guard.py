"""After a merge the non-refoulement guard can only get stricter: every refusal and high risk of
either record keeps blocking, until a newer verified will or assessment of the survivor."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.cases.guard import (
    AssessmentFacts,
    GuardFacts,
    MergedRecord,
    evaluate_route,
    merged_facts,
)

STATES = ["KR", "KP", "RU", "PL", "CN", "BR"]
LEVELS = ["unknown", "none", "low", "high"]

assessments = st.dictionaries(
    st.sampled_from(STATES),
    st.builds(
        AssessmentFacts,
        id=st.integers(1, 1000),
        persecution_risk=st.sampled_from(LEVELS),
        onward_transfer_risk=st.sampled_from(LEVELS),
    ),
    max_size=4,
)
facts = st.builds(
    GuardFacts,
    governing_will_id=st.one_of(st.none(), st.integers(1, 1000)),
    undecided=st.booleans(),
    refused=st.frozensets(st.sampled_from(STATES), max_size=3),
    assessments=assessments,
)


def blocks(f: GuardFacts) -> set[tuple[str, str]]:
    return {(country, rule) for country, rules in f.blocked().items() for rule, _w, _a in rules}


# Pure functions: generating the facts is the slow part, more so on a shared, busy machine.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(survivor=facts, absorbed=st.lists(facts, max_size=3))
def test_the_merged_record_blocks_everything_either_record_blocked(survivor, absorbed):
    records = [MergedRecord(f, will_superseded=False, reassessed=frozenset()) for f in absorbed]
    merged = merged_facts(survivor, records)
    expected = blocks(survivor).union(*(blocks(f) for f in absorbed))
    assert blocks(merged) >= expected


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    survivor=facts,
    absorbed=st.lists(facts, max_size=3),
    destination=st.sampled_from(STATES),
    transit=st.lists(st.sampled_from(STATES), max_size=2),
)
def test_a_route_forbidden_by_a_fact_of_either_record_stays_forbidden(
    survivor, absorbed, destination, transit
):
    records = [MergedRecord(f, will_superseded=False, reassessed=frozenset()) for f in absorbed]
    merged = merged_facts(survivor, records)
    # Facts, not the absence of one: a record without a verified will forbids everything alone,
    # but after the merge the survivor's verified will is his (docs/tracing.md).
    facts_forbid = [
        f
        for f in [survivor, *absorbed]
        if f.governing_will_id is not None
        and any(v.rule != "no_verified_will" for v in evaluate_route(f, destination, transit))
    ]
    if facts_forbid:
        assert evaluate_route(merged, destination, transit)


def test_a_verified_will_recorded_after_the_merge_lifts_the_absorbed_refusals_only():
    survivor = GuardFacts(governing_will_id=2, undecided=False, refused=frozenset(), assessments={})
    absorbed = GuardFacts(
        governing_will_id=1, undecided=True, refused=frozenset({"KR"}),
        assessments={"PL": AssessmentFacts(5, "high", "low")},
    )  # fmt: skip
    merged = merged_facts(survivor, [MergedRecord(absorbed, True, frozenset())])
    assert blocks(merged) == {("PL", "high_risk")}
    assert evaluate_route(merged, "KR") == []
    still = merged_facts(survivor, [MergedRecord(absorbed, False, frozenset())])
    assert {v.rule for v in evaluate_route(still, "KR")} == {"refused", "undecided"}


def test_a_new_assessment_of_a_state_lifts_only_that_states_inherited_risk():
    survivor = GuardFacts(governing_will_id=2, undecided=False, refused=frozenset(), assessments={})
    absorbed = GuardFacts(
        governing_will_id=1, undecided=False, refused=frozenset(),
        assessments={
            "PL": AssessmentFacts(5, "high", "low"), "CN": AssessmentFacts(6, "low", "high"),
        },
    )  # fmt: skip
    merged = merged_facts(survivor, [MergedRecord(absorbed, False, frozenset({"PL"}))])
    assert blocks(merged) == {("CN", "onward_risk")}
