"""The interactive index: blocking keys of every record in memory, Splink-estimated m/u applied
in Python. Answers `rank` in milliseconds where a Splink query per request would take seconds."""

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache

from safepassage.names import index as _index

from .comparisons import COMPARISONS, Row, TermFrequencies, tf_adjustment, tf_averages
from .model import Parameters, default_parameters, probability
from .records import Candidate, FieldExplanation, LinkRecord, features, person_of

# The blocking keys of a query and the largest block scanned are the name index's
# (`safepassage.names.index`), so that the in-memory index and the database's agree.
MAX_BLOCK = _index.MAX_BLOCK
QUERY_BLOCKS = _index.BLOCKS
SWAPPED_LOOKUPS = _index.SWAPPED_BLOCKS


def _translate(label: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(label)
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return label


def _display(record: LinkRecord, field: str) -> str:
    if field in ("family_name", "given_name") and not (record.family_name or record.given_name):
        return record.full_name
    return getattr(record, field)


def score(
    a: Row, b: Row, parameters: Parameters, tf: TermFrequencies | None = None
) -> tuple[float, list[tuple[int, int, float]]]:
    """Match weight of a pair and, per comparison, the level reached and its weight (with the
    term-frequency adjustment)."""
    weight, weights = _weights(parameters)
    levels = []
    for index, comparison in enumerate(COMPARISONS):
        level = 0
        for level, candidate_level in enumerate(comparison.levels):  # noqa: B007
            if candidate_level.test(a, b):
                break
        partial = weights[index][level]
        mu = parameters.mu[index][level]
        if mu is not None:
            partial += tf_adjustment(comparison.levels[level], mu[1], a, b, tf)
        weight += partial
        levels.append((index, level, partial))
    return weight, levels


@lru_cache(maxsize=8)
def _weights(parameters: Parameters) -> tuple[float, tuple[tuple[float, ...], ...]]:
    """The prior's and the levels' weights, computed once per model (`Parameters.weights` is
    computed at each reading: a search reads it for each comparison of a thousand names)."""
    return parameters.prior_weight, parameters.weights


def explain(
    query: LinkRecord,
    record: LinkRecord,
    levels: list[tuple[int, int, float]],
) -> list[FieldExplanation]:
    result = []
    for comparison_index, level_index, weight in levels:
        comparison = COMPARISONS[comparison_index]
        level = comparison.levels[level_index]
        result.append(
            FieldExplanation(
                field=comparison.field,
                left=_display(query, comparison.field),
                right=_display(record, comparison.field),
                level=_translate(level.label),
                weight=round(weight, 3),
            )
        )
    return result


class RegistryIndex:
    """Built once from many LinkRecords, queried many times, updated in place; picklable.

    Record ids of the form "person:name" (as `person_link_records` makes them) group the names of
    one person: `rank` returns each person once, with the best-matching name. `remove_person`
    and `add` keep the index current as the registry changes (`safepassage.tracing.search_index`).
    """

    def __init__(self, parameters: Parameters | None = None):
        self.parameters = parameters or default_parameters()
        self.records: list[LinkRecord] = []
        self.rows: list[Row] = []
        self.blocks: dict[tuple[str, ...], dict[tuple, list[int]]] = {
            cols: defaultdict(list) for cols in QUERY_BLOCKS
        }
        self.tf = TermFrequencies(tf_averages(self.parameters.mu))
        self.positions: dict[str, list[int]] = {}
        self.removed: set[int] = set()

    @classmethod
    def build(
        cls, records: Iterable[LinkRecord], *, parameters: Parameters | None = None
    ) -> "RegistryIndex":
        index = cls(parameters)
        for record in records:
            index.add(record)
        index.blocks = {cols: dict(block) for cols, block in index.blocks.items()}
        return index

    def add(self, record: LinkRecord) -> None:
        position = len(self.records)
        row = features(record)
        self.records.append(record)
        self.rows.append(row)
        self.tf.add(row)
        self.positions.setdefault(person_of(record.id), []).append(position)
        for cols, block in self.blocks.items():
            key = tuple(row[c] for c in cols)
            if all(v is not None for v in key):
                block.setdefault(key, []).append(position)

    def add_all(self, records: Iterable[LinkRecord]) -> None:
        for record in records:
            self.add(record)

    def remove_person(self, person: str) -> None:
        """Forget every record of `person` (its positions stay, marked removed)."""
        for position in self.positions.pop(person, []):
            self.removed.add(position)
            self.tf.remove(self.rows[position])

    @property
    def removed_share(self) -> float:
        return len(self.removed) / len(self.records) if self.records else 0.0

    def __len__(self) -> int:
        return len(self.records) - len(self.removed)

    def candidates(self, row: Row) -> set[int]:
        found: set[int] = set()
        swapped = {**row, "fam": row["giv"], "giv": row["fam"]}
        for cols, block in self.blocks.items():
            keys = [tuple(row[c] for c in cols)]
            if cols in SWAPPED_LOOKUPS:  # the names swapped (model.SWAPPED_BLOCKING)
                keys.append(tuple(swapped[c] for c in cols))
            for key in keys:
                if any(v is None for v in key):
                    continue
                members = block.get(key)
                if members and len(members) <= MAX_BLOCK:
                    found.update(members)
        return found - self.removed if self.removed else found

    def rank(
        self,
        query: LinkRecord,
        *,
        limit: int = 20,
        threshold: float = 0.0,
        allowed: Callable[[set[str]], set[str]] | None = None,
    ) -> list[Candidate]:
        """Persons most likely to be `query`, best first, each once, with explanations.

        `allowed` receives persons scoring at or above `threshold`, best first and a window at a
        time, and returns those that may be answered (need-to-know); the others are dropped
        before `limit` applies. With `threshold` 0 every person the blocking keys find is
        scored, however unlikely: the window keeps the check to the best of them.
        """
        row = features(query)
        found = ((self.records[p], self.rows[p]) for p in self.candidates(row))
        return rank_candidates(
            query,
            row,
            found,
            parameters=self.parameters,
            tf=self.tf,
            limit=limit,
            threshold=threshold,
            allowed=allowed,
        )


def rank_candidates(
    query: LinkRecord,
    row: Row,
    candidates: Iterable[tuple[LinkRecord, Row]],
    *,
    parameters: Parameters,
    tf,
    limit: int = 20,
    threshold: float = 0.0,
    allowed: Callable[[set[str]], set[str]] | None = None,
) -> list[Candidate]:
    """Score `candidates` (records and their features) against `query` and rank their persons,
    best first, each once with his best-matching record (see `RegistryIndex.rank`); `tf` gives
    the term frequencies (`TermFrequencies` or any object with its `get`)."""
    best: dict[str, tuple[float, LinkRecord, list[tuple[int, int, float]]]] = {}
    for record, candidate_row in candidates:
        weight, levels = score(row, candidate_row, parameters, tf)
        person = person_of(record.id)
        if person not in best or weight > best[person][0]:
            best[person] = (weight, record, levels)
    minimum = _weight_of(threshold)
    scored = [(person, found) for person, found in best.items() if found[0] >= minimum]
    if allowed is None:
        ordered = heapq.nsmallest(limit, scored, key=_best_first)
    else:
        ordered = _permitted(scored, allowed, limit)
    return [
        Candidate(
            id=person,
            probability=probability(weight),
            explanation=explain(query, record, levels),
            record_id=record.id,
            match_weight=weight,
        )
        for person, (weight, record, levels) in ordered
    ]


# Persons handed to `allowed` at once: one query answers a search whose reader may see most of
# the registry; a reader who may see few is asked again for the next window.
ALLOWED_WINDOW = 200


def _best_first(item: tuple) -> tuple:
    person, (weight, _record, _levels) = item
    return (-weight, person)


def _permitted(scored: list, allowed: Callable[[set[str]], set[str]], limit: int) -> list:
    """The best `limit` items of `scored` (person, found) whose person `allowed` lets through,
    best first, asking it one window of persons at a time. Only the first window is picked
    out of the rest; the whole list is sorted only for a reader who may see few of them."""
    window = max(ALLOWED_WINDOW, 4 * limit)
    first = heapq.nsmallest(window, scored, key=_best_first)
    permitted = allowed({person for person, _found in first})
    kept = [item for item in first if item[0] in permitted]
    if len(kept) >= limit or len(scored) <= window:
        return kept[:limit]
    ordered = sorted(scored, key=_best_first)
    for start in range(window, len(ordered), window):
        part = ordered[start : start + window]
        permitted = allowed({person for person, _found in part})
        kept.extend(item for item in part if item[0] in permitted)
        if len(kept) >= limit:
            break
    return kept[:limit]


def _weight_of(p: float) -> float:
    """The match weight whose probability is `p` (−inf for 0)."""
    if p <= 0:
        return -math.inf
    if p >= 1:
        return math.inf
    return math.log2(p / (1 - p))
