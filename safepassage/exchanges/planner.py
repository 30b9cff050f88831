"""The exchange planner: the best batch under the agreement's rules, provably optimal.

Pure (no Django). The caller decides who is eligible (the non-refoulement guard, fitness to
travel, other batches) and passes only the eligible candidates; the planner chooses among them.

Persons found eligible for direct repatriation by a Mixed Medical Commission who consented
(`direct_repatriation`, GC III Art. 109-110: "regardless of number or rank") are on the batch
whatever the ratio, the maximum per side or the category ratios: they are not counted by them.
They take their seats (the transport holds what it holds) and go whatever their group does. The
caller has already asked the guard and fitness to travel for them, as for everyone.

The objective is lexicographic and exact, in this order:
  1. most seriously wounded or sick persons not on that track (GC III Art. 109-110: they go
     first),
  2. then most persons exchanged,
  3. then the largest sum of `priority`.
Each level is solved to proven optimality with OR-Tools CP-SAT, then fixed while the next is
solved. Interchangeable candidates (same side, category, wound status and priority, in no
group and not named for inclusion) are counted by one integer variable: that reduction is
exact, and it keeps 40,000 candidates to a few thousand variables.
"""

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

OURS = "ours"
THEIRS = "theirs"
SIDES = (OURS, THEIRS)


@dataclass(frozen=True)
class Candidate:
    side: str
    id: str
    category: str = ""
    priority: int = 0
    seriously_wounded: bool = False
    group: str = ""  # persons with the same non-empty group travel together, or not at all
    include: bool = False  # named for inclusion in the agreement
    # Found eligible for direct repatriation and consenting: always on the batch, outside the
    # ratio, the maximum and the category ratios (seats still count).
    direct_repatriation: bool = False


@dataclass(frozen=True)
class Rules:
    """Ratios are OURS:THEIRS: for every OURS persons we hand over, they hand over THEIRS.

    `ratio=None` is all-for-all (no ratio). `category_ratios` apply within each category as
    well. `max_per_side` bounds each side; `capacity` bounds both sides together (seats).
    """

    ratio: tuple[int, int] | None = (1, 1)
    category_ratios: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    max_per_side: int | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class Level:
    name: str
    value: int
    bound: int
    optimal: bool

    @property
    def gap(self) -> float:
        """Relative optimality gap reported by the solver (0.0 when proven optimal)."""
        return abs(self.bound - self.value) / max(1, abs(self.value))


@dataclass(frozen=True)
class Plan:
    chosen: list[Candidate]
    levels: list[Level]
    feasible: bool
    seconds: float

    @property
    def optimal(self) -> bool:
        return self.feasible and all(level.optimal for level in self.levels)

    @property
    def objective(self) -> tuple[int, int, int]:
        return objective_of(self.chosen)

    @property
    def gap(self) -> float:
        return max((level.gap for level in self.levels), default=0.0)


class PlanInfeasible(Exception):
    """No batch satisfies the rules (usually: named inclusions the ratio cannot balance), or
    none was found in time (`timed_out`)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


def objective_of(chosen: Sequence[Candidate]) -> tuple[int, int, int]:
    """(seriously wounded or sick not on the direct-repatriation track, persons, sum of
    priority): compared lexicographically."""
    return (
        sum(1 for c in chosen if c.seriously_wounded and not c.direct_repatriation),
        len(chosen),
        sum(c.priority for c in chosen),
    )


def satisfies(chosen: Sequence[Candidate], rules: Rules, candidates: Sequence[Candidate]) -> bool:
    """Whether `chosen` keeps every rule (used by tests and as a final self-check)."""
    ids = {(c.side, c.id) for c in chosen}
    if rules.capacity is not None and len(chosen) > rules.capacity:
        return False
    if any(c.direct_repatriation and (c.side, c.id) not in ids for c in candidates):
        return False
    counted = [c for c in chosen if not c.direct_repatriation]
    candidates = [c for c in candidates if not c.direct_repatriation]
    chosen = counted
    counts = {side: sum(1 for c in chosen if c.side == side) for side in SIDES}
    if rules.ratio is not None:
        a, b = rules.ratio
        if counts[OURS] * b != counts[THEIRS] * a:
            return False
    for category, (a, b) in rules.category_ratios.items():
        ours = sum(1 for c in chosen if c.side == OURS and c.category == category)
        theirs = sum(1 for c in chosen if c.side == THEIRS and c.category == category)
        if ours * b != theirs * a:
            return False
    if rules.max_per_side is not None and max(counts.values()) > rules.max_per_side:
        return False
    groups: dict[str, set[bool]] = defaultdict(set)
    for c in candidates:
        if c.group:
            groups[c.group].add((c.side, c.id) in ids)
        if c.include and (c.side, c.id) not in ids:
            return False
    return all(len(flags) == 1 for flags in groups.values())


def plan(candidates: Sequence[Candidate], rules: Rules, *, time_limit: float = 10.0) -> Plan:
    """Choose the batch. Raises `PlanInfeasible` when no batch keeps the rules."""
    # Imported here: OR-Tools (and the pandas it loads) would add half a second to every
    # process start, every console command included.
    from ortools.sat.python import cp_model

    started = time.monotonic()
    direct = [c for c in candidates if c.direct_repatriation]
    candidates = [c for c in candidates if not c.direct_repatriation]
    seats = None if rules.capacity is None else rules.capacity - len(direct)
    if seats is not None and seats < 0:
        raise PlanInfeasible(
            "The persons on the direct-repatriation track alone need more seats than the "
            "transport has."
        )
    model = cp_model.CpModel()
    # Singles: candidates that must be decided one by one (groups, named inclusions).
    singles: list[tuple[Candidate, cp_model.IntVar]] = []
    classes: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.group or c.include:
            var = model.new_bool_var(f"x{len(singles)}")
            if c.include:
                model.add(var == 1)
            singles.append((c, var))
        else:
            classes[(c.side, c.category, c.seriously_wounded, c.priority)].append(c)
    counted: list[tuple[tuple, cp_model.IntVar]] = []
    for key, members in classes.items():
        counted.append((key, model.new_int_var(0, len(members), f"n{len(counted)}")))

    # Linear terms as (variable, side, category, seriously wounded, priority).
    terms = [(v, c.side, c.category, c.seriously_wounded, c.priority) for c, v in singles]
    terms += [(v, *key) for key, v in counted]

    def total(predicate) -> cp_model.LinearExpr:
        return sum((t[0] for t in terms if predicate(t)), cp_model.LinearExpr.constant(0))

    ours = total(lambda t: t[1] == OURS)
    theirs = total(lambda t: t[1] == THEIRS)
    if rules.ratio is not None:
        a, b = rules.ratio
        model.add(ours * b == theirs * a)
    for category, (a, b) in rules.category_ratios.items():
        ours_c = total(lambda t, cat=category: t[1] == OURS and t[2] == cat)
        theirs_c = total(lambda t, cat=category: t[1] == THEIRS and t[2] == cat)
        model.add(ours_c * b == theirs_c * a)
    if rules.max_per_side is not None:
        model.add(ours <= rules.max_per_side)
        model.add(theirs <= rules.max_per_side)
    if seats is not None:
        model.add(ours + theirs <= seats)
    groups: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for c, var in singles:
        if c.group:
            groups[c.group].append(var)
    for members in groups.values():
        for var in members[1:]:
            model.add(var == members[0])

    wounded = total(lambda t: t[3])
    persons = ours + theirs
    priority = sum((t[0] * t[4] for t in terms if t[4]), cp_model.LinearExpr.constant(0))
    levels: list[Level] = []
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    hint: dict | None = None
    for name, expression in (
        ("seriously_wounded", wounded),
        ("persons", persons),
        ("priority", priority),
    ):
        remaining = time_limit - (time.monotonic() - started)
        solver.parameters.max_time_in_seconds = max(0.5, remaining / (3 - len(levels)))
        model.clear_hints()
        if hint is not None:
            for var, value in hint.items():
                model.add_hint(var, value)
        model.maximize(expression)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if status == cp_model.INFEASIBLE:
                raise PlanInfeasible(
                    "No batch keeps the rules: the named inclusions, groups, ratios, maximum "
                    "and capacity contradict each other."
                )
            raise PlanInfeasible("The solver found no batch within the time limit.", timed_out=True)
        value = round(solver.objective_value)
        levels.append(
            Level(name, value, round(solver.best_objective_bound), status == cp_model.OPTIMAL)
        )
        hint = {t[0]: solver.value(t[0]) for t in terms}
        # Keep this level's best while the next one is solved.
        model.add(expression >= value)

    chosen = [*direct, *(c for c, var in singles if hint[var])]
    for key, var in counted:
        members = sorted(classes[key], key=lambda c: c.id)
        chosen.extend(members[: hint[var]])
    chosen.sort(key=lambda c: (SIDES.index(c.side), c.id))
    return Plan(chosen=chosen, levels=levels, feasible=True, seconds=time.monotonic() - started)
