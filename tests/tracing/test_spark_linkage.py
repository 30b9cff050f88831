"""The scale-out path: the same model, run by Splink on Spark (local mode), links the same pairs
as on DuckDB. Never skipped: without Java or pyspark this test fails."""

import os
import shutil

import pytest

from safepassage.tracing.benchgen import link_task
from safepassage.tracing.linkage import link


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    assert shutil.which("java"), "Java (17) is needed for the Spark run of the linkage model"
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", shutil.which("python3") or "python3")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("safepassage-linkage-test")
        # Splink's string-similarity functions (Jaro-Winkler, ...), shipped inside splink.
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_the_same_model_on_spark_links_the_same_pairs_as_on_duckdb(spark):
    left, right, truth = link_task(60, seed=5)
    on_duckdb = list(link(left, right, threshold=0.5))
    on_spark = list(link(left, right, threshold=0.5, backend="spark", spark=spark))
    assert len(on_duckdb) > 10
    assert {(a, b) for a, b, _ in on_spark} == {(a, b) for a, b, _ in on_duckdb}
    duck = {(a, b): p for a, b, p in on_duckdb}
    for a, b, p in on_spark:
        assert abs(duck[(a, b)] - p) < 1e-6
    assert len({(a, b) for a, b, _ in on_spark} & truth) >= 0.8 * len(on_spark)
