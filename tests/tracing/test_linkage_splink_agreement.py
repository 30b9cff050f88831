"""The model is written once: Splink's SQL levels and the index's Python levels must agree,
term-frequency adjustments included."""

import math

from safepassage.tracing.benchgen import link_task
from safepassage.tracing.linkage import engine
from safepassage.tracing.linkage.comparisons import (
    COMPARISONS,
    TermFrequencies,
    gamma,
    tf_averages,
)
from safepassage.tracing.linkage.index import score
from safepassage.tracing.linkage.model import default_parameters
from safepassage.tracing.linkage.records import features


def test_splink_and_the_python_index_compute_the_same_levels_and_weights():
    left, right, _ = link_task(150, seed=3)
    frames = {"left_list": engine.feature_frame(left), "right_list": engine.feature_frame(right)}
    linker = engine.make_linker(frames, "link_only", estimate=False, retain=True)
    predictions = linker.inference.predict().as_pandas_dataframe()
    assert len(predictions) > 50
    rows = {("left_list", r.id): features(r) for r in left}
    rows |= {("right_list", r.id): features(r) for r in right}
    parameters = default_parameters()
    tf = TermFrequencies(tf_averages(parameters.mu))
    for row in rows.values():
        tf.add(row)
    for pair in predictions.to_dict("records"):
        a = rows[(pair["source_dataset_l"], pair["unique_id_l"])]
        b = rows[(pair["source_dataset_r"], pair["unique_id_r"])]
        for comparison in COMPARISONS:
            assert gamma(comparison, a, b) == pair[f"gamma_{comparison.name}"], (
                comparison.name, a, b)  # fmt: skip
        weight, _ = score(a, b, parameters, tf)
        assert math.isclose(weight, pair["match_weight"], abs_tol=1e-6)


def test_splink_and_the_index_agree_on_each_distance_between_two_years_of_birth():
    from safepassage.tracing.linkage import LinkRecord

    left = [LinkRecord("L", "Кузнецов", "Алексей", birth_date="1995-03-14")]
    right = [
        LinkRecord(f"R{year}", "Kuznetsov", "Aleksei", birth_date=str(year))
        for year in range(1990, 2001)
    ]
    frames = {"left_list": engine.feature_frame(left), "right_list": engine.feature_frame(right)}
    linker = engine.make_linker(frames, "link_only", estimate=False, retain=True)
    predictions = linker.inference.predict().as_pandas_dataframe()
    date = next(c for c in COMPARISONS if c.name == "birth_date")
    a = features(left[0])
    seen = {}
    for pair in predictions.to_dict("records"):
        record = next(r for r in right if r.id in (pair["unique_id_l"], pair["unique_id_r"]))
        b = features(record)
        assert gamma(date, a, b) == pair["gamma_birth_date"], record.birth_date
        seen[abs(int(record.birth_date) - 1995)] = gamma(date, a, b)
    assert sorted(seen) == list(range(6))
    # Each distance its level, closer years higher: 2 and 3 share one, 4 and 5 are "different".
    assert seen[0] > seen[1] > seen[2] == seen[3] > seen[4] == seen[5] == 0
