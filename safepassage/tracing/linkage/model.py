"""The Fellegi–Sunter model: Splink settings, training, and the parameters as Python numbers.

Parameters are estimated from the data with Splink (u by random sampling, m by EM, the prior by
deterministic rules) whenever a run has enough records (`MIN_RECORDS_TO_TRAIN`); smaller runs
use `default_model.json`, estimated the same way by `scripts/bench-linkage` on generated data.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .comparisons import COMPARISONS, Comparison

DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.json")
MIN_RECORDS_TO_TRAIN = 5000

# Candidate pairs: each rule joins records that agree on all its columns. Chosen to scale to a
# million records: a name alone (Kim, Aleksandr) or a name and a year would pair hundreds of
# millions of records, so every rule adds a date, a unit or an identifier to a name.
BLOCKING_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("tokens", "dob_y"),
    ("tokens", "dob_m", "dob_d"),  # the year off (Korean age counting, a typo)
    ("tokens", "unit"),
    ("fam", "dob"),  # a typo in the given name
    ("giv", "dob"),  # a typo in the family name
    ("fam", "giv2", "dob_y"),  # a typo in the given name and a partial date
    ("fam", "giv2", "unit"),
    ("svc",),
)
# Family and given name swapped (and one mistyped, or the name split wrongly): the other name
# and the date still meet across the columns. Both directions: a link puts either list left.
SWAPPED_BLOCKING = (
    "l.fam = r.giv AND l.dob = r.dob",
    "l.giv = r.fam AND l.dob = r.dob",
)
# Broader rules, each used when it pairs no more than BROAD_RULE_BUDGET records in this run:
# on two lists of thousands they find the pairs whose date is missing or mistyped; on a million
# records they would not finish.
BROAD_BLOCKING_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("tokens",),
    ("giv", "dob_y"),
    ("fam", "unit"),
    ("giv", "unit"),
    # Typos in both names (issue 23): the family name's key and the year, or the year and
    # month alone, still meet.
    ("fam", "dob_y"),
    ("dob_y", "dob_m"),
)
BROAD_RULE_BUDGET = 5_000_000
# EM sessions: names and the rest on pairs born the same day; the date on pairs with the same
# name *and* unit (blocking on the name alone lets namesakes pull EM to a "same name" class).
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (("dob",), ("tokens", "unit"), ("svc",))
# Probabilities are kept within [1e-4, 1] so that no single field can veto or force a match.
MIN_PROBABILITY = 1e-4
DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (("svc",), ("tokens", "dob"))


def settings_creator(
    link_type: str,
    *,
    unique_id: str = "unique_id",
    parameters: "Parameters | None" = None,
    retain: bool = False,
    blocking: tuple[tuple[str, ...], ...] = BLOCKING_COLUMNS,
):
    """Splink settings for `link_only` or `dedupe_only`, untrained or with `parameters`."""
    from splink import SettingsCreator, block_on

    from .comparisons import splink_comparisons

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name=unique_id,
        comparisons=splink_comparisons(parameters.mu if parameters else None),
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in blocking]
        + list(SWAPPED_BLOCKING),
        retain_matching_columns=retain,
        retain_intermediate_calculation_columns=retain,
        probability_two_random_records_match=parameters.prior if parameters else 1e-5,
    )


ASSUMED_RECALL = 0.7


def train(
    make_linker,
    start: "Parameters | None" = None,
    *,
    presence: dict[str, float] | None = None,
    u_pairs: float = 2e6,
    seed: int = 42,
):
    """Estimate the prior, u (random sampling) and m (EM sessions) from the data.

    `make_linker(parameters)` returns a fresh Splink linker over the data with those starting
    parameters. Each EM session starts from a fresh linker: a session that fails (a block with
    no pairs, or a level it never observes) is skipped and leaves the model as it was.

    The prior is first estimated from the pairs the deterministic rules find, assuming they find
    `ASSUMED_RECALL` of the true pairs; once m is estimated, the rules' recall that the model
    itself implies (`implied_recall`, from m and `presence`) replaces that guess.
    """
    from splink import block_on

    linker = make_linker(start)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*cols) for cols in DETERMINISTIC_RULES], recall=ASSUMED_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    parameters = Parameters.from_settings(linker.misc.save_model_to_json())
    for cols in TRAINING_BLOCKS:
        linker = make_linker(parameters)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), estimate_without_term_frequencies=True
            )
            parameters = Parameters.from_settings(linker.misc.save_model_to_json())
        except Exception:  # noqa: BLE001, S112 — see the docstring
            continue
    if presence:
        recall = implied_recall(parameters, presence)
        if recall > 0:
            prior = min(parameters.prior * ASSUMED_RECALL / recall, 0.5)
            parameters = Parameters(prior=prior, mu=parameters.mu)
    return parameters


def _m(parameters: "Parameters", name: str, *labels: str) -> float:
    """Sum of m over the named levels of one comparison."""
    index = next(i for i, c in enumerate(COMPARISONS) if c.name == name)
    total = 0.0
    for level, mu in zip(COMPARISONS[index].levels, parameters.mu[index], strict=True):
        if mu is not None and level.label in labels:
            total += mu[0]
    return total


def implied_recall(parameters: "Parameters", presence: dict[str, float]) -> float:
    """Share of true pairs the DETERMINISTIC_RULES find, as the model implies it.

    Fellegi–Sunter assumes the comparisons independent given a match, so P(rule | match) is
    the product of P(both values known) (`presence`: column → share of pairs with both sides
    known) and m of the agreeing levels.
    """
    same_name = ("same spelling", "same name in another script or romanization")
    service = presence.get("svc", 0.0) * _m(parameters, "service_number", "same service number")
    names = (
        presence.get("tokens", 0.0)
        * _m(parameters, "family_name", *same_name)
        * _m(parameters, "given_name", *same_name)
    )
    names_and_date = names * presence.get("dob_d", 0.0) * _m(parameters, "birth_date", "same date")
    return service + names_and_date - service * names_and_date


@dataclass(frozen=True)
class Parameters:
    """The model as numbers: the prior, m and u per comparison level (None on null levels)."""

    prior: float
    mu: tuple[tuple[tuple[float, float] | None, ...], ...]

    @property
    def weights(self) -> tuple[tuple[float, ...], ...]:
        """log2 Bayes factor per comparison, per level (level order as defined)."""
        return tuple(
            tuple(0.0 if mu is None else math.log2(mu[0] / mu[1]) for mu in row) for row in self.mu
        )

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    @classmethod
    def from_settings(cls, settings: dict) -> "Parameters":
        """Read m and u from a Splink settings dict (trained model JSON)."""
        by_name = {c["output_column_name"]: c for c in settings["comparisons"]}
        rows = []
        for comparison in COMPARISONS:
            levels = by_name[comparison.name]["comparison_levels"]
            if len(levels) != len(comparison.levels):
                raise ValueError(f"model does not fit comparison {comparison.name}")
            row: list[tuple[float, float] | None] = []
            for level in levels:
                if level.get("is_null_level"):
                    row.append(None)
                    continue
                m = min(max(level.get("m_probability") or MIN_PROBABILITY, MIN_PROBABILITY), 1)
                u = min(max(level.get("u_probability") or MIN_PROBABILITY, MIN_PROBABILITY), 1)
                row.append((m, u))
            rows.append(tuple(row))
        return cls(prior=settings["probability_two_random_records_match"], mu=tuple(rows))


def probability(match_weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-match_weight))


def load_default_settings() -> dict:
    return json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))


_DEFAULT: Parameters | None = None


def default_parameters() -> Parameters:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Parameters.from_settings(load_default_settings())
    return _DEFAULT


def save_parameters(parameters: Parameters, path: Path = DEFAULT_MODEL_PATH) -> None:
    """Write parameters as a Splink settings JSON (comparisons with m and u, the prior)."""
    comparisons = []
    for comparison, row in zip(COMPARISONS, parameters.mu, strict=True):
        levels = []
        for level, mu in zip(comparison.levels, row, strict=True):
            entry: dict = {"label_for_charts": level.label}
            if mu is None:
                entry["is_null_level"] = True
            else:
                entry["m_probability"], entry["u_probability"] = mu
            levels.append(entry)
        comparisons.append({"output_column_name": comparison.name, "comparison_levels": levels})
    document = {
        "probability_two_random_records_match": parameters.prior,
        "comparisons": comparisons,
    }
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def level_index(comparison: Comparison, a, b) -> int:
    """Index in `comparison.levels` of the first level whose test holds."""
    for index, level in enumerate(comparison.levels):
        if level.test(a, b):
            return index
    return len(comparison.levels) - 1
