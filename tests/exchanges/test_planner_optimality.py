"""The planner's batch is optimal: brute force over every subset agrees on small instances."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.exchanges.planner import (
    OURS,
    THEIRS,
    Candidate,
    PlanInfeasible,
    Rules,
    objective_of,
    plan,
    satisfies,
)

CATEGORIES = ["officer", "conscript", "wounded"]


@st.composite
def instances(draw):
    n = draw(st.integers(1, 9))
    candidates = []
    for i in range(n):
        candidates.append(
            Candidate(
                side=draw(st.sampled_from([OURS, THEIRS])),
                id=f"c{i}",
                category=draw(st.sampled_from(CATEGORIES)),
                priority=draw(st.integers(0, 5)),
                seriously_wounded=draw(st.booleans()),
                group=draw(st.sampled_from(["", "", "", "g1", "g2"])),
                include=draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()),
            )
        )
    ratio = draw(st.sampled_from([None, (1, 1), (1, 2), (2, 1), (2, 3)]))
    category_ratios = draw(st.sampled_from([{}, {"officer": (1, 1)}, {"wounded": (1, 2)}]))
    rules = Rules(
        ratio=ratio,
        category_ratios=category_ratios,
        max_per_side=draw(st.sampled_from([None, 1, 2, 3])),
        capacity=draw(st.sampled_from([None, 2, 3, 5])),
    )
    return candidates, rules


def brute_force(candidates, rules):
    best = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            if satisfies(subset, rules, candidates):
                value = objective_of(subset)
                best = value if best is None or value > best else best
    return best


@settings(max_examples=150, deadline=None, derandomize=True)
@given(instances())
def test_it_finds_the_lexicographic_optimum_that_brute_force_finds(instance):
    candidates, rules = instance
    best = brute_force(candidates, rules)
    if best is None:
        try:
            plan(candidates, rules)
        except PlanInfeasible:
            return
        raise AssertionError("planned a batch where none keeps the rules")
    result = plan(candidates, rules)
    assert result.optimal
    assert satisfies(result.chosen, rules, candidates)
    assert result.objective == best
    assert result.gap == 0.0


def test_it_puts_the_seriously_wounded_before_the_number_of_persons():
    wounded = Candidate(OURS, "w", seriously_wounded=True)
    healthy = [Candidate(OURS, f"h{i}", priority=100) for i in range(3)]
    others = [Candidate(THEIRS, f"t{i}") for i in range(3)]
    result = plan([wounded, *healthy, *others], Rules(ratio=(1, 1), max_per_side=1))
    ours = [c.id for c in result.chosen if c.side == OURS]
    assert ours == ["w"]
    assert result.objective == (1, 2, 0)


def test_it_keeps_a_group_together_or_leaves_it_whole():
    group = [Candidate(OURS, f"g{i}", group="brothers", priority=9) for i in range(3)]
    others = [Candidate(THEIRS, f"t{i}") for i in range(2)]
    result = plan([*group, *others], Rules(ratio=(1, 1)))
    assert not {c.id for c in result.chosen} & {"g0", "g1", "g2"}
    assert result.objective == (0, 0, 0)


def test_it_says_when_named_inclusions_cannot_be_balanced():
    lonely = Candidate(OURS, "a", include=True)
    try:
        plan([lonely], Rules(ratio=(1, 1)))
    except PlanInfeasible as exc:
        assert "named inclusions" in str(exc)
    else:
        raise AssertionError("expected PlanInfeasible")


def test_it_plans_all_for_all_without_a_ratio():
    people = [Candidate(OURS, "a"), Candidate(OURS, "b"), Candidate(THEIRS, "x")]
    assert len(plan(people, Rules(ratio=None)).chosen) == 3


@st.composite
def instances_with_direct_repatriation(draw):
    candidates, rules = draw(instances())
    flagged = [
        Candidate(**{**vars(c), "direct_repatriation": draw(st.booleans()) and draw(st.booleans())})
        for c in candidates
    ]
    return flagged, rules


@settings(max_examples=150, deadline=None, derandomize=True)
@given(instances_with_direct_repatriation())
def test_with_the_direct_repatriation_column_it_still_finds_the_optimum_brute_force_finds(
    instance,
):
    candidates, rules = instance
    best = brute_force(candidates, rules)
    if best is None:
        try:
            plan(candidates, rules)
        except PlanInfeasible:
            return
        raise AssertionError("planned a batch where none keeps the rules")
    result = plan(candidates, rules)
    assert result.optimal and satisfies(result.chosen, rules, candidates)
    assert result.objective == best
    assert {c.id for c in candidates if c.direct_repatriation} <= {c.id for c in result.chosen}


def test_a_man_on_the_direct_repatriation_track_goes_though_the_ratio_leaves_no_room():
    direct = Candidate(OURS, "d", seriously_wounded=True, direct_repatriation=True)
    others = [Candidate(OURS, "o1"), Candidate(THEIRS, "t1")]
    result = plan([direct, *others], Rules(ratio=(1, 1), max_per_side=1))
    assert {c.id for c in result.chosen} == {"d", "o1", "t1"}


def test_the_first_level_counts_the_seriously_wounded_who_are_not_on_the_track():
    direct = Candidate(OURS, "d", seriously_wounded=True, direct_repatriation=True)
    wounded = Candidate(OURS, "w", seriously_wounded=True)
    result = plan([direct, wounded, Candidate(OURS, "x"), Candidate(THEIRS, "t")],
                  Rules(ratio=(1, 1)))  # fmt: skip
    assert {c.id for c in result.chosen} == {"d", "w", "t"}
    assert result.levels[0].value == 1


def test_the_track_still_needs_a_seat():
    direct = [Candidate(OURS, f"d{i}", direct_repatriation=True) for i in range(3)]
    try:
        plan(direct, Rules(ratio=(1, 1), capacity=2))
    except PlanInfeasible:
        return
    raise AssertionError("planned more persons than the transport has seats")
