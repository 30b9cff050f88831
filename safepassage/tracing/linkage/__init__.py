"""Record linkage across scripts and romanizations.

Batch work (`link`, `dedupe`) runs Splink on DuckDB, embedded; the same model runs on Spark
(`backend="spark"`). Interactive tracing uses `RegistryIndex`: blocking keys in memory and the
Splink-estimated weights applied in Python. Heavy imports (splink, duckdb, pyspark, pandas) are
lazy: importing this package costs little.
"""

from collections.abc import Iterable, Iterator

from .index import RegistryIndex
from .records import Candidate, FieldExplanation, LinkRecord, parse_birth_date, person_of

# `link` cuts where the model's own probabilities expect the best F1 unless given a threshold;
# a single query's best match (a proposal's row, docs/exchanges.md) counts from this probability.
LIKELY_MATCH_THRESHOLD = 0.9
DEFAULT_DEDUPE_THRESHOLD = 0.95


def link(
    left: Iterable[LinkRecord],
    right: Iterable[LinkRecord],
    *,
    threshold: float | None = None,
    one_to_one: bool = True,
    backend: str = "duckdb",
    spark=None,
    progress=None,
) -> Iterator[tuple[str, str, float]]:
    """(left id, right id, probability) for the pairs kept, best first: each record in at most
    one pair (unless `one_to_one` is False), at or above `threshold`, or, without one, above the
    cut where the model's probabilities expect the best F1 (docs/linkage.md)."""
    from .engine import link_pairs

    yield from link_pairs(
        left,
        right,
        threshold=threshold,
        one_to_one=one_to_one,
        backend=backend,
        spark=spark,
        progress=progress,
    )


def dedupe(
    records: Iterable[LinkRecord],
    *,
    threshold: float = DEFAULT_DEDUPE_THRESHOLD,
    backend: str = "duckdb",
    spark=None,
    progress=None,
) -> dict[str, str]:
    """id → cluster id; records linked (directly or through others) at or above `threshold`
    share a cluster, whose id is its smallest record id."""
    from .engine import dedupe_clusters

    return dedupe_clusters(
        records, threshold=threshold, backend=backend, spark=spark, progress=progress
    )


def person_link_records(persons) -> Iterator[LinkRecord]:
    """One LinkRecord per PersonName of each Person, id "<person pk>:<name pk>".

    Birth dates respect their precision (year, month or day; approximate dates give the year),
    nationalities are ISO codes, and the unit and service number are the person's. Pass a
    queryset with `prefetch_related("names")` to avoid a query per person.
    """
    from .django import person_link_records as _records

    return _records(persons)


__all__ = [
    "DEFAULT_DEDUPE_THRESHOLD",
    "LIKELY_MATCH_THRESHOLD",
    "Candidate",
    "FieldExplanation",
    "LinkRecord",
    "RegistryIndex",
    "dedupe",
    "link",
    "parse_birth_date",
    "person_link_records",
    "person_of",
]
