"""Batch linkage through Splink: DuckDB embedded by default, Spark for registries beyond one
machine. Imports of splink, duckdb and pyspark happen here only, when a batch runs."""

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypedDict, Unpack

from . import pairing
from .comparisons import smoothed, tf_averages
from .model import (
    BLOCKING_COLUMNS,
    BROAD_BLOCKING_COLUMNS,
    BROAD_RULE_BUDGET,
    MIN_RECORDS_TO_TRAIN,
    Parameters,
    default_parameters,
    settings_creator,
    train,
)
from .records import (
    DATE_COLUMNS,
    FEATURE_COLUMNS,
    NAME_COLUMNS,
    LinkRecord,
    _nationality_key,
    _place_key,
    _service_number_key,
    _unit_key,
    date_features,
    name_features,
)

Progress = Callable[[str], None]


def _quiet() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


MAX_TRAINING_RECORDS = 100_000
# Above this many distinct names, their keys are computed by two processes.
PARALLEL_NAMES = 100_000


def feature_frame(records: Iterable[LinkRecord], progress: Progress | None = None):
    """A pandas frame of the records' features (column `unique_id` plus FEATURE_COLUMNS).

    Column by column, each function applied once per distinct value: lists repeat names, dates,
    places and units, and a million records hold far fewer distinct names than rows.
    """
    import pandas as pd

    records = list(records)
    if progress:
        progress(f"normalising {len(records):,} records")
    name_of = {
        key: None
        for key in zip(
            (r.family_name for r in records),
            (r.given_name for r in records),
            (r.full_name for r in records),
            (r.nationality for r in records),
            strict=True,
        )
    }
    for key, value in zip(name_of, _name_features(list(name_of)), strict=True):
        name_of[key] = value
    if progress:
        progress(f"name keys of {len(name_of):,} distinct names")
    names = [name_of[(r.family_name, r.given_name, r.full_name, r.nationality)] for r in records]
    columns: dict[str, list] = {"unique_id": [r.id for r in records]}
    for position, column in enumerate(NAME_COLUMNS):
        columns[column] = [n[position] for n in names]
    dates = _mapped(date_features, (r.birth_date for r in records))
    for position, column in enumerate(DATE_COLUMNS):
        columns[column] = [d[position] for d in dates]
    columns["place"] = _mapped(_place_key, (r.birth_place for r in records))
    columns["nat"] = _mapped(_nationality_key, (r.nationality for r in records))
    columns["unit"] = _mapped(_unit_key, (r.unit for r in records))
    columns["svc"] = _mapped(_service_number_key, (r.service_number for r in records))
    return pd.DataFrame(
        {c: pd.Series(columns[c], dtype=object) for c in ("unique_id", *FEATURE_COLUMNS)}
    )


def _mapped(function, values) -> list:
    """`function` over `values`, computed once per distinct value."""
    cache: dict = {}
    result = []
    for value in values:
        found = cache.get(value, cache)
        if found is cache:
            found = cache[value] = function(value)
        result.append(found)
    return result


def _name_chunk(keys: list) -> list:
    return [name_features(*key) for key in keys]


def _name_features(keys: list) -> list:
    """name_features of each key; by two worker processes when there are many."""
    import multiprocessing
    import os

    workers = min(2, os.cpu_count() or 1)
    if (
        len(keys) < PARALLEL_NAMES
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _name_chunk(keys)
    size = len(keys) // (4 * workers) + 1
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [value for chunk in pool.map(_name_chunk, chunks) for value in chunk]


def db_api(backend: str = "duckdb", *, spark=None):
    _quiet()
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(":memory:")
        connection.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        if spark is None:
            raise ValueError("the Spark backend needs a SparkSession (spark=...)")
        return SparkAPI(spark_session=spark)
    raise ValueError(f"unknown backend {backend!r}")


def _register(api, frame, name: str, backend: str, spark):
    if backend == "spark":
        frame = spark.createDataFrame(frame.fillna("").replace("", None))
    return api.register(frame, dataset_display_name=name)


def make_linker(
    frames: dict,
    link_type: str,
    *,
    backend: str = "duckdb",
    spark=None,
    parameters: Parameters | None = None,
    estimate: bool | None = None,
    progress: Progress | None = None,
    retain: bool = False,
):
    """A Splink linker over the feature frames, trained on them when they are big enough."""
    from splink import Linker

    api = db_api(backend, spark=spark)
    tables = [_register(api, frame, name, backend, spark) for name, frame in frames.items()]
    size = sum(len(frame) for frame in frames.values())
    if estimate is None:
        estimate = parameters is None and size >= MIN_RECORDS_TO_TRAIN
    if estimate:
        training_tables = tables
        if size > MAX_TRAINING_RECORDS:
            # m and u, and the prior too (a random sample keeps the share of true pairs among
            # all pairs), are estimated as well on a sample; EM over a million records would
            # compare tens of millions of pairs per session.
            share = MAX_TRAINING_RECORDS / size
            training_tables = [
                _register(api, frame.sample(frac=share, random_state=0), f"{name}_sample",
                          backend, spark)
                for name, frame in frames.items()
            ]  # fmt: skip
        if progress:
            progress(
                f"estimating model parameters from {min(size, MAX_TRAINING_RECORDS):,} records"
            )
        parameters = train(
            lambda start: Linker(
                training_tables, settings_creator(link_type, parameters=start), log_level=None
            ),
            parameters or _default_or_none(),
            presence=_presence(list(frames.values())),
        )
    parameters = parameters or default_parameters()
    blocking = blocking_rules(list(frames.values()))
    if progress:
        progress(f"blocking on {', '.join('+'.join(rule) for rule in blocking)}")
    linker = Linker(
        tables,
        settings_creator(link_type, parameters=parameters, retain=retain, blocking=blocking),
        log_level=None,
    )
    for column, frame in tf_frames(list(frames.values()), parameters).items():
        linker.table_management.register_term_frequency_lookup(
            _register(api, frame, f"tf_{column}", backend, spark), column
        )
    linker.trained_parameters = parameters
    return linker


def pair_count(frames: list, columns: tuple[str, ...]) -> int:
    """How many pairs a blocking rule makes: within one frame (dedupe) or across two (link)."""
    counts = [frame.dropna(subset=list(columns)).groupby(list(columns)).size() for frame in frames]
    if len(counts) == 1:
        return int((counts[0] * (counts[0] - 1) // 2).sum())
    left, right = counts[0].align(counts[-1], join="inner")
    return int((left * right).sum())


COUNT_SAMPLE = 200_000


def blocking_rules(frames: list) -> tuple[tuple[str, ...], ...]:
    """BLOCKING_COLUMNS, and each broad rule this run can afford (BROAD_RULE_BUDGET).

    Pairs are counted on a random sample of at most COUNT_SAMPLE records and scaled up (a
    sample of a share s of the records holds about s² of the pairs)."""
    share = min(1.0, COUNT_SAMPLE / max(1, sum(len(frame) for frame in frames)))
    if share < 1:
        frames = [frame.sample(frac=share, random_state=0) for frame in frames]
    broad = tuple(
        rule
        for rule in BROAD_BLOCKING_COLUMNS
        if pair_count(frames, rule) / share**2 <= BROAD_RULE_BUDGET
    )
    return BLOCKING_COLUMNS + broad


def tf_frames(frames: list, parameters: Parameters) -> dict:
    """Our term-frequency tables (shrunk as the interactive index shrinks them), one per TF
    column, in the shape Splink expects: the value and `tf_<column>`."""
    import pandas as pd

    result = {}
    for column, average in tf_averages(parameters.mu).items():
        counts = pd.concat([frame[column] for frame in frames]).dropna().value_counts()
        total = int(counts.sum())
        shares = [smoothed(int(c), total, average) for c in counts.to_numpy()]
        result[column] = pd.DataFrame({column: counts.index.astype(object), f"tf_{column}": shares})
    return result


def _presence(frames: list) -> dict[str, float]:
    """Share of compared pairs with both values known, per column (left × right for a link,
    the square for a dedupe)."""
    shares = [frame.notna().mean() for frame in frames]
    left, right = shares[0], shares[-1]
    return {column: float(left[column] * right[column]) for column in ("svc", "tokens", "dob_d")}


def _default_or_none() -> Parameters | None:
    try:
        return default_parameters()
    except (FileNotFoundError, ValueError):  # none yet, or one for other comparisons
        return None


class LinkerOptions(TypedDict, total=False):
    """How the linker runs (make_linker's defaults: duckdb, the stored parameters)."""

    backend: str
    spark: Any
    parameters: Parameters | None
    estimate: bool | None
    progress: Progress | None


def _predictions(
    tables: dict,
    link_type: str,
    *,
    threshold: float,
    progress: Progress | None = None,
    **linker_options,
):
    """The linker over `tables`, and its predicted pairs at or above `threshold`."""
    linker = make_linker(tables, link_type, progress=progress, **linker_options)
    if progress:
        progress("scoring candidate pairs")
    return linker, linker.inference.predict(threshold_match_probability=threshold)


def link_pairs(
    left: Iterable[LinkRecord],
    right: Iterable[LinkRecord],
    *,
    threshold: float | None = None,
    one_to_one: bool = True,
    **options: Unpack[LinkerOptions],
) -> list[tuple[str, str, float]]:
    """Pairs (left id, right id, probability), best first: at or above `threshold`, or, when it
    is None, above the cut that maximises the F1 the model's probabilities expect
    (`pairing.expected_f1_cut`). With `one_to_one` each record is in at most one pair (the
    optimal assignment, `pairing.one_to_one`), made before the cut."""
    progress = options.get("progress")
    left_frame = feature_frame(left, progress)
    right_frame = feature_frame(right, progress)
    if left_frame.empty or right_frame.empty:
        return []
    floor = pairing.POSTERIOR_FLOOR if threshold is None else threshold
    _linker, predictions = _predictions(
        {"left_list": left_frame, "right_list": right_frame},
        "link_only",
        threshold=floor,
        **options,
    )
    pairs = _oriented(predictions.as_pandas_dataframe(), floor)
    if one_to_one:
        pairs = pairing.one_to_one(pairs)
        if progress:
            progress(f"one-to-one: {len(pairs):,} pairs, each record at most once")
    if threshold is None:
        threshold, expected = pairing.expected_f1_cut([p for _, _, p in pairs])
        if progress:
            progress(f"cut at {threshold:.3f}, where the model expects its best F1 {expected:.3f}")
        pairs = [pair for pair in pairs if pair[2] >= threshold]
    pairs.sort(key=lambda t: (-t[2], t[0], t[1]))
    return pairs


def _oriented(frame, threshold: float) -> list[tuple[str, str, float]]:
    """Splink's predictions as (left id, right id, probability) at or above `threshold`."""
    pairs = []
    for row in frame[
        ["source_dataset_l", "unique_id_l", "unique_id_r", "match_probability"]
    ].itertuples(index=False):
        source, id_l, id_r, p = row
        if float(p) < threshold:
            continue
        pair = (id_l, id_r) if source == "left_list" else (id_r, id_l)
        pairs.append((str(pair[0]), str(pair[1]), float(p)))
    return pairs


def dedupe_clusters(
    records: Iterable[LinkRecord],
    *,
    threshold: float,
    **options: Unpack[LinkerOptions],
) -> dict[str, str]:
    """id → cluster id (the smallest id of its connected component at `threshold`)."""
    progress = options.get("progress")
    frame = feature_frame(records, progress)
    if frame.empty:
        return {}
    ids = list(frame["unique_id"])
    if len(ids) == 1:
        return {ids[0]: ids[0]}
    linker, predictions = _predictions(
        {"input_records": frame},
        "dedupe_only",
        threshold=threshold,
        **options,
    )
    if progress:
        progress("clustering")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    result_frame = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    # Cluster ids are made stable and readable: the smallest member id.
    members: dict[str, list[str]] = {}
    for unique_id, cluster_id in result_frame.itertuples(index=False):
        members.setdefault(str(cluster_id), []).append(str(unique_id))
    result = {}
    for group in members.values():
        label = min(group)
        for unique_id in group:
            result[unique_id] = label
    for unique_id in ids:
        result.setdefault(unique_id, unique_id)
    return result
