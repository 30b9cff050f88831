"""The tracing search's candidates: look-ups of the registry's name index in the database.

Every process asks the same index (`registry.models.NameKey`, written with the names): no
process builds or holds one, and a name registered a moment ago is found by the next search in
any process. A query's blocking keys (`safepassage.names.index.block_lookups`) are looked up
in one statement, each up to `MAX_BLOCK` names (a key shared by more is not scanned, as in the
engine's in-memory index), and the term frequencies of the query's names are counted in the
same statement; the names with the rarest keys in common (at most `SCORED_NAMES`) are scored
with the engine's weights (`linkage.rank_candidates`). Need-to-know is applied to the answer:
the persons scored are looked up in what the reviewer may see before any is returned.
"""

import heapq
import math
import time

from django.db import connection

from safepassage.names import index as name_index
from safepassage.names.index import TF_COLUMNS, block_lookups
from safepassage.registry.models import NameKey, PersonName
from safepassage.tracing.linkage.comparisons import smoothed, tf_averages
from safepassage.tracing.linkage.index import rank_candidates
from safepassage.tracing.linkage.model import default_parameters
from safepassage.tracing.linkage.records import LinkRecord, features

# A key shared by more names than this (a common name alone) is not scanned.
MAX_BLOCK = name_index.MAX_BLOCK
# At most this many of the names found are scored: those with the most evidence, each key a
# name shares with the query counting as much as the key is rare (the log of the block limit
# over its block's size). A common key alone is weak evidence; scoring a thousand names that
# share only it with the query is most of a slow search.
SCORED_NAMES = 300
# Counting a name's keys stops here (Kim is a sixth of a Korean registry: counting it would
# cost more than the search); a value counted to the cap is then estimated from PostgreSQL's
# statistics of the index (its most common keys and their shares), else taken as the cap.
TF_COUNT_CAP = 2_000
STATISTICS_SECONDS = 300
# Below this many names the counts are exact; above, PostgreSQL's estimate of the table's rows.
EXACT_TOTAL_BELOW = 100_000
TOTAL = "total"


def _table() -> str:
    return connection.ops.quote_name(NameKey._meta.db_table)


def _block_parts(lookups: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Statements giving (number of the look-up as text, name id) of each block, up to
    `MAX_BLOCK` + 1 names; a text number, as the counts' first column is the column's name."""
    table = _table()
    parts, params = [], []
    for number, (kind, key) in enumerate(lookups):
        parts.append(
            f"SELECT * FROM (SELECT '{number}' AS q, name_id FROM {table} "  # noqa: S608 - the model's table, ints; keys bound
            f'WHERE kind = %s AND "key" = %s LIMIT {MAX_BLOCK + 1}) AS b{number}'
        )
        params += [kind, key]
    return parts, params


def _count_parts(values: dict[str, str]) -> tuple[list[str], list]:
    """Statements giving (column, count up to `TF_COUNT_CAP`) of each value, and the total."""
    table = _table()
    parts, params = [], []
    for column, value in values.items():
        parts.append(
            f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {table} "  # noqa: S608 - the model's table; values bound
            f'WHERE kind = %s AND "key" = %s LIMIT {TF_COUNT_CAP}) AS c)'
        )
        params += [column, column, value]
    parts.append(f"SELECT %s, ({_names_total_sql()})")
    params.append(TOTAL)
    return parts, params


def _blocks(found) -> list[list[int]]:
    blocks: dict[str, list[int]] = {}
    for number, name_id in found:
        blocks.setdefault(number, []).append(name_id)
    return [block for block in blocks.values() if len(block) <= MAX_BLOCK]


def candidates_and_counts(row: dict) -> tuple[list[int], dict[str, int]]:
    """Ids of the names the query's blocking keys find (each key's block up to `MAX_BLOCK`, at
    most `SCORED_NAMES` names, the best evidence), and the term-frequency counts of the query's
    names (as `IndexFrequencies` counts them): one statement, one round trip to the database."""
    block_parts, block_params = _block_parts(block_lookups(row))
    values, counts = _estimated(_tf_values(row))
    count_parts, count_params = _count_parts(values)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(block_parts + count_parts), block_params + count_params)
        found = cursor.fetchall()
    counts.update((tag, value) for tag, value in found if not tag.isdigit())
    blocks = _blocks((tag, value) for tag, value in found if tag.isdigit())
    return _best_evidence(blocks), counts


def _estimated(values: dict[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """The values still to count, and the counts of those PostgreSQL's statistics already put
    at the cap or above (Kim: counting his two thousand rows costs most of a search, and a
    count that reaches the cap is then taken from the statistics anyway)."""
    common = common_key_counts()
    known = {c: common[v] for c, v in values.items() if common.get(v, 0) >= TF_COUNT_CAP}
    return {c: v for c, v in values.items() if c not in known}, known


def _tf_values(row: dict) -> dict[str, str]:
    return {c: row[c] for c in TF_COLUMNS if row.get(c) is not None}


def _best_evidence(blocks: list[list[int]]) -> list[int]:
    """The names of `blocks`, at most `SCORED_NAMES` of them: those whose keys are rarest."""
    evidence: dict[int, float] = {}
    for block in blocks:
        weight = math.log2((MAX_BLOCK + 1) / len(block))
        for name in block:
            evidence[name] = evidence.get(name, 0.0) + weight
    if len(evidence) <= SCORED_NAMES:
        return sorted(evidence)
    return sorted(heapq.nlargest(SCORED_NAMES, evidence, key=lambda n: (evidence[n], -n)))


_PRECISION_LENGTH = {"exact": 10, "month": 7}


def _records(name_ids: list[int]):
    """(LinkRecord, features) of each of the names of live persons, id "<person>:<name>".
    Plain values, not model instances: a search meets a thousand names or more."""
    names = PersonName.objects.filter(
        pk__in=name_ids, person__merged_into__isnull=True
    ).values_list(
        "pk", "person_id", "family_name", "given_name", "patronymic", "person__birth_date",
        "person__birth_date_precision", "person__birth_place", "person__nationalities",
        "person__unit", "person__service_number",
    )  # fmt: skip
    for pk, person, family, given, patronymic, born, precision, place, codes, unit, svc in names:
        birth = born.isoformat()[: _PRECISION_LENGTH.get(precision, 4)] if born else ""
        record = LinkRecord(
            id=f"{person}:{pk}",
            family_name=family,
            given_name=f"{given} {patronymic}".strip() if patronymic else given,
            birth_date=birth,
            birth_place=place,
            nationality=codes if isinstance(codes, str) else ",".join(map(str, codes or ())),
            unit=unit,
            service_number=svc,
        )
        yield record, features(record)


def _names_total_sql() -> str:
    """A statement giving the number of names: exact below `EXACT_TOTAL_BELOW`, above it
    PostgreSQL's estimate of the table's rows (counting a million rows per query costs more
    than the whole search)."""
    table = connection.ops.quote_name(PersonName._meta.db_table)
    exact = f"SELECT count(*) FROM {table}"  # noqa: S608 - the model's table
    if connection.vendor != "postgresql":
        return exact
    name = PersonName._meta.db_table
    return (
        f"SELECT CASE WHEN reltuples >= {EXACT_TOTAL_BELOW} THEN reltuples::bigint "  # noqa: S608 - constants and the model's table
        f"ELSE ({exact}) END FROM pg_class WHERE oid = '{name}'::regclass"
    )


_COMMON: dict[str, object] = {"at": 0.0, "counts": {}}


def common_key_counts() -> dict[str, int]:
    """Key → its estimated number of rows, for the index's most common keys (PostgreSQL's
    statistics of the key column, read at most every `STATISTICS_SECONDS`); {} on SQLite."""
    if connection.vendor != "postgresql":
        return {}
    now = time.monotonic()
    if now - _COMMON["at"] > STATISTICS_SECONDS:
        table = NameKey._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_vals::text::text[], s.most_common_freqs, c.reltuples "
                "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
                "WHERE s.tablename = %s AND s.attname = 'key'",
                [table],
            )
            found = cursor.fetchone()
        counts = {}
        if found and found[0]:
            values, shares, rows = found
            counts = {v: int(f * rows) for v, f in zip(values, shares, strict=True)}
        _COMMON.update(at=now, counts=counts)
    return _COMMON["counts"]  # type: ignore[return-value]


class IndexFrequencies:
    """Term frequencies of the query's name values, counted in the name index (the share of
    names holding the value, shrunk as the engine's `TermFrequencies` shrinks them)."""

    def __init__(self, row: dict, parameters, counts: dict[str, int] | None = None):
        """`counts` as `candidates_and_counts` gives them, else counted here."""
        self.average = tf_averages(parameters.mu)
        self.values = _tf_values(row)
        if counts is None:
            values, counts = _estimated(self.values)
            parts, params = _count_parts(values)
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                counts.update(cursor.fetchall())
        self.counts = dict(counts)
        self.total = self.counts.pop(TOTAL, 0)
        for column, count in self.counts.items():
            if count >= TF_COUNT_CAP:
                self.counts[column] = max(count, common_key_counts().get(self.values[column], 0))

    def get(self, column: str, value) -> float | None:
        if value is None or self.values.get(column) != value or not self.counts.get(column):
            return None
        return smoothed(self.counts[column], self.total, self.average[column])


def rank_visible(*, actor, query: LinkRecord, limit: int, threshold: float, visible):
    """Persons most likely to be `query` among `visible` (a queryset: the persons the actor may
    see), best first. Only the scored persons are looked up in `visible`, a window at a time."""

    def allowed(person_ids: set[str]) -> set[str]:
        pks = [int(pk) for pk in person_ids]
        return {
            str(pk)
            for pk in visible.filter(pk__in=pks, merged_into__isnull=True).values_list(
                "pk", flat=True
            )
        }

    parameters = default_parameters()
    row = features(query)
    names, counts = candidates_and_counts(row)
    return rank_candidates(
        query,
        row,
        _records(names) if names else (),
        parameters=parameters,
        tf=IndexFrequencies(row, parameters, counts) if names else None,
        limit=limit,
        threshold=threshold,
        allowed=allowed,
    )
