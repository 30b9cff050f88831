"""Batch linkage through Splink: DuckDB embedded by default, Spark for registries beyond one
machine. Imports of splink, duckdb and pyspark happen here only, when a batch runs."""

import logging
from collections.abc import Callable, Iterable

from .comparisons import smoothed, tf_averages
from .model import (
    MIN_RECORDS_TO_TRAIN,
    Parameters,
    default_parameters,
    settings_creator,
    train,
)
from .records import FEATURE_COLUMNS, LinkRecord, features

Progress = Callable[[str], None]


def _quiet() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


def feature_frame(records: Iterable[LinkRecord], progress: Progress | None = None):
    """A pandas frame of the records' features (column `unique_id` plus FEATURE_COLUMNS)."""
    import pandas as pd

    rows = []
    ids = []
    for count, record in enumerate(records, 1):
        ids.append(record.id)
        rows.append(features(record))
        if progress and count % 200_000 == 0:
            progress(f"normalised {count:,} records")
    frame = pd.DataFrame.from_records(rows, columns=list(FEATURE_COLUMNS))
    frame.insert(0, "unique_id", ids)
    return frame.astype("string").astype(object).where(frame.notna(), None)


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
        if progress:
            progress(f"estimating model parameters from {size:,} records")
        parameters = train(
            lambda start: Linker(
                tables, settings_creator(link_type, parameters=start), log_level=None
            ),
            parameters or _default_or_none(),
            presence=_presence(list(frames.values())),
        )
    parameters = parameters or default_parameters()
    linker = Linker(
        tables, settings_creator(link_type, parameters=parameters, retain=retain), log_level=None
    )
    for column, frame in tf_frames(list(frames.values()), parameters).items():
        linker.table_management.register_term_frequency_lookup(
            _register(api, frame, f"tf_{column}", backend, spark), column
        )
    linker.trained_parameters = parameters
    return linker


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


def link_pairs(
    left: Iterable[LinkRecord],
    right: Iterable[LinkRecord],
    *,
    threshold: float,
    backend: str = "duckdb",
    spark=None,
    parameters: Parameters | None = None,
    estimate: bool | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, str, float]]:
    """Pairs (left id, right id, probability) at or above `threshold`."""
    left_frame = feature_frame(left, progress)
    right_frame = feature_frame(right, progress)
    if left_frame.empty or right_frame.empty:
        return []
    linker = make_linker(
        {"left_list": left_frame, "right_list": right_frame},
        "link_only",
        backend=backend,
        spark=spark,
        parameters=parameters,
        estimate=estimate,
        progress=progress,
    )
    if progress:
        progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    frame = predictions.as_pandas_dataframe()
    pairs = []
    for row in frame[
        ["source_dataset_l", "unique_id_l", "unique_id_r", "match_probability"]
    ].itertuples(index=False):
        source, id_l, id_r, p = row
        if float(p) < threshold:
            continue
        pair = (id_l, id_r) if source == "left_list" else (id_r, id_l)
        pairs.append((str(pair[0]), str(pair[1]), float(p)))
    pairs.sort(key=lambda t: (-t[2], t[0], t[1]))
    return pairs


def dedupe_clusters(
    records: Iterable[LinkRecord],
    *,
    threshold: float,
    backend: str = "duckdb",
    spark=None,
    parameters: Parameters | None = None,
    estimate: bool | None = None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """id → cluster id (the smallest id of its connected component at `threshold`)."""
    frame = feature_frame(records, progress)
    if frame.empty:
        return {}
    ids = list(frame["unique_id"])
    if len(ids) == 1:
        return {ids[0]: ids[0]}
    linker = make_linker(
        {"input_records": frame},
        "dedupe_only",
        backend=backend,
        spark=spark,
        parameters=parameters,
        estimate=estimate,
        progress=progress,
    )
    if progress:
        progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
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
