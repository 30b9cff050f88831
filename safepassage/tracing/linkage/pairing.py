"""What a link run keeps of its scored pairs: each record at most once (`one_to_one`), and the
cut chosen from the model's own probabilities (`expected_f1_cut`) when none is given.

Both act on (left id, right id, probability) triples and are pure: the DuckDB and the Spark runs
share them.
"""

from collections.abc import Sequence

Pair = tuple[str, str, float]

# Pairs below this probability are not scored further when the cut is chosen from the posterior:
# they cannot reach a cut (the best cut lies near half the expected F1), and only add to the
# expected number of true pairs, which they barely move.
POSTERIOR_FLOOR = 0.01
# Probabilities as integer costs for the min-cost flow (OR-Tools works on integers).
_SCALE = 1_000_000


def one_to_one(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs of an optimal one-to-one assignment: each left and each right record in at most
    one pair, the sum of the kept pairs' probabilities (the expected number of true pairs kept)
    as large as it can be.

    Two lists of persons each hold a man once, so a record can have only one true partner; of
    two namesakes scored against him, the assignment keeps the likelier. Solved exactly as a
    min-cost flow (OR-Tools), which also beats taking the pairs greedily best first where a
    record's best partner is another record's only one."""
    if not pairs:
        return []
    from ortools.graph.python import min_cost_flow

    left = {a: i for i, a in enumerate(dict.fromkeys(a for a, _, _ in pairs))}
    right = {b: i + len(left) for i, b in enumerate(dict.fromkeys(b for _, b, _ in pairs))}
    source, sink = len(left) + len(right), len(left) + len(right) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    for node in left.values():
        flow.add_arc_with_capacity_and_unit_cost(source, node, 1, 0)
    for node in right.values():
        flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, 0)
    arcs = [
        flow.add_arc_with_capacity_and_unit_cost(left[a], right[b], 1, -round(p * _SCALE) - 1)
        for a, b, p in pairs
    ]
    # Every unit of supply may bypass the pairs: a record need not be paired at all.
    flow.add_arc_with_capacity_and_unit_cost(source, sink, len(left), 0)
    flow.set_node_supply(source, len(left))
    flow.set_node_supply(sink, -len(left))
    if flow.solve() != flow.OPTIMAL:  # cannot happen: the bypass makes every supply feasible
        raise RuntimeError("the one-to-one assignment found no optimum")
    return [pair for arc, pair in zip(arcs, pairs, strict=True) if flow.flow(arc) > 0]


def expected_f1_cut(probabilities: Sequence[float]) -> tuple[float, float]:
    """The cut that maximises the F1 the probabilities themselves expect, and that F1.

    Taking the k likeliest pairs, the model expects sum(p of those k) of them true, out of
    sum(p of all pairs) true pairs in all: expected F1(k) = 2·Σ_k p / (k + Σ p). Where the
    probabilities are calibrated this is the F1 one can expect; the best k lies where p falls to
    about half the F1 it reaches. Returns (1.0, 0.0) when there is nothing to keep."""
    ordered = sorted(probabilities, reverse=True)
    total = sum(ordered)
    best, cut, kept = 0.0, 1.0, 0.0
    for k, p in enumerate(ordered, start=1):
        kept += p
        f1 = 2 * kept / (k + total)
        if f1 > best:
            best, cut = f1, p
    return cut, best
