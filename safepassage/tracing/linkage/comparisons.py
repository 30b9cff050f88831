"""The model's comparisons, written once: each level has its SQL (for Splink, on DuckDB or Spark)
and the same test in Python (for the interactive index). A test checks that both agree."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

Row = dict[str, str | None]


def gettext_noop(text: str) -> str:  # marks labels for extraction without importing Django
    return text


@dataclass(frozen=True)
class Level:
    label: str
    sql: str | None  # None: the null level / the else level, built by Splink's own creators
    test: Callable[[Row, Row], bool]
    kind: str = "custom"  # "null", "custom", "jaro_winkler", "levenshtein", "else"
    column: str = ""
    threshold: float = 0.0
    # Term-frequency adjustment: the level's weight becomes log2(m / tf(value)) with tf the
    # share of records holding this value of `tf_column` (Splink's adjustment, weight 1).
    tf_column: str = ""


@dataclass(frozen=True)
class Comparison:
    name: str  # output column name, also the explained field
    field: str  # the LinkRecord field shown in explanations
    columns: tuple[str, ...]
    levels: tuple[Level, ...]


def null(col: str, label: str = gettext_noop("not known on one side")) -> Level:
    return Level(
        label,
        f"l.{col} IS NULL OR r.{col} IS NULL",
        lambda a, b: a[col] is None or b[col] is None,
        kind="null",
        column=col,
    )


def exact(col: str, label: str, *, tf: str = "") -> Level:
    return Level(
        label,
        f"l.{col} = r.{col}",
        lambda a, b: a[col] is not None and a[col] == b[col],
        tf_column=tf,
    )


def jaro_winkler(col: str, threshold: float, label: str) -> Level:
    def test(a: Row, b: Row) -> bool:
        x, y = a[col], b[col]
        return x is not None and y is not None and JaroWinkler.similarity(x, y) >= threshold

    return Level(label, None, test, kind="jaro_winkler", column=col, threshold=threshold)


def levenshtein(col: str, distance: int, label: str) -> Level:
    def test(a: Row, b: Row) -> bool:
        x, y = a[col], b[col]
        return x is not None and y is not None and Levenshtein.distance(x, y) <= distance

    return Level(label, None, test, kind="levenshtein", column=col, threshold=distance)


def custom(sql: str, test: Callable[[Row, Row], bool], label: str) -> Level:
    return Level(label, sql, test)


ELSE = Level(gettext_noop("different"), None, lambda a, b: True, kind="else")


def _swapped(a: Row, b: Row) -> bool:
    return a["fam"] is not None and a["fam"] == b["giv"] and a["giv"] == b["fam"]


def _dm_swapped(a: Row, b: Row) -> bool:
    return (
        a["dob_d"] is not None
        and b["dob_d"] is not None
        and a["dob_y"] == b["dob_y"]
        and a["dob_m"] == b["dob_d"]
        and a["dob_d"] == b["dob_m"]
        and a["dob_m"] != a["dob_d"]
    )


def _same_month_day_unknown(a: Row, b: Row) -> bool:
    return (
        a["dob_y"] == b["dob_y"]
        and a["dob_m"] is not None
        and a["dob_m"] == b["dob_m"]
        and (a["dob_d"] is None or b["dob_d"] is None)
    )


def _same_year_month_unknown(a: Row, b: Row) -> bool:
    return a["dob_y"] == b["dob_y"] and (a["dob_m"] is None or b["dob_m"] is None)


def _day_and_month_year_off(a: Row, b: Row) -> bool:
    """Korean age counting moves the year of birth, never the day (and lists that convert a
    lunar date or an age to a year are off by one the same way)."""
    return (
        a["dob_d"] is not None
        and b["dob_d"] is not None
        and a["dob_m"] == b["dob_m"]
        and a["dob_d"] == b["dob_d"]
        and _year_off_by_one(a, b)
    )


def _years_apart(a: Row, b: Row) -> int:
    return abs(int(a["dob_y"]) - int(b["dob_y"]))  # type: ignore[arg-type]


def _year_off_by_one(a: Row, b: Row) -> bool:
    return _years_apart(a, b) == 1


def _year_off_by_two_or_three(a: Row, b: Row) -> bool:
    """An age guessed or misheard (a mother's memory, a captor's estimate): weaker evidence than
    a year off by one, but not the veto of two different men's dates."""
    return 2 <= _years_apart(a, b) <= 3


SWAPPED_SQL = "l.fam = r.giv AND l.giv = r.fam"


# `tokens` holds both name keys in sorted order: nearly equal tokens are the same two names in
# either order, one of them mistyped (a swapped or mis-split name with a typo).
def _swapped_with_typo(a: Row, b: Row) -> bool:
    x, y = a["tokens"], b["tokens"]
    return (
        x is not None
        and y is not None
        and JaroWinkler.similarity(x, y) >= 0.92
        and _differ(a, b, "fam")
        and _differ(a, b, "giv")
    )


def _differ(a: Row, b: Row, col: str) -> bool:  # SQL's NOT (l.col = r.col): NULL is not true
    return a[col] is not None and b[col] is not None and a[col] != b[col]


SWAPPED_WITH_TYPO = Level(
    gettext_noop("the same names in another order, with a typo"),
    None,
    _swapped_with_typo,
    kind="swapped_typo",
    column="tokens",
    threshold=0.92,
)

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "family_name",
        "family_name",
        ("fam", "giv", "fam_plain"),
        (
            null("fam"),
            exact("fam_plain", gettext_noop("same spelling"), tf="fam_plain"),
            exact("fam", gettext_noop("same name in another script or romanization"), tf="fam"),
            custom(SWAPPED_SQL, _swapped, gettext_noop("same name, family and given swapped")),
            jaro_winkler("fam", 0.92, gettext_noop("nearly the same name (a typo)")),
            SWAPPED_WITH_TYPO,
            jaro_winkler("fam", 0.80, gettext_noop("similar name")),
            ELSE,
        ),
    ),
    Comparison(
        "given_name",
        "given_name",
        ("giv", "giv1", "fam", "giv_plain"),
        (
            null("giv"),
            exact("giv_plain", gettext_noop("same spelling"), tf="giv_plain"),
            exact("giv", gettext_noop("same name in another script or romanization"), tf="giv"),
            exact("giv1", gettext_noop("same first given name")),
            custom(SWAPPED_SQL, _swapped, gettext_noop("same name, family and given swapped")),
            jaro_winkler("giv", 0.92, gettext_noop("nearly the same name (a typo)")),
            SWAPPED_WITH_TYPO,
            jaro_winkler("giv", 0.80, gettext_noop("similar name")),
            ELSE,
        ),
    ),
    Comparison(
        "birth_date",
        "birth_date",
        ("dob", "dob_y", "dob_m", "dob_d"),
        (
            null("dob_y"),
            custom(
                "l.dob_d IS NOT NULL AND l.dob = r.dob",
                lambda a, b: a["dob_d"] is not None and a["dob"] == b["dob"],
                gettext_noop("same date"),
            ),
            custom(
                "l.dob_d IS NOT NULL AND r.dob_d IS NOT NULL AND l.dob_y = r.dob_y "
                "AND l.dob_m = r.dob_d AND l.dob_d = r.dob_m AND l.dob_m <> l.dob_d",
                _dm_swapped,
                gettext_noop("same date with day and month swapped"),
            ),
            custom(
                "l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND (l.dob_d IS NULL OR r.dob_d IS NULL)",
                _same_month_day_unknown,
                gettext_noop("same year and month; the day is not known on one side"),
            ),
            custom(
                "l.dob_y = r.dob_y AND (l.dob_m IS NULL OR r.dob_m IS NULL)",
                _same_year_month_unknown,
                gettext_noop("same year; the month is not known on one side"),
            ),
            custom(
                "l.dob_y = r.dob_y AND l.dob_m = r.dob_m",
                lambda a, b: a["dob_y"] == b["dob_y"] and a["dob_m"] == b["dob_m"],
                gettext_noop("same year and month, another day"),
            ),
            custom(
                "l.dob_d IS NOT NULL AND r.dob_d IS NOT NULL AND l.dob_m = r.dob_m "
                "AND l.dob_d = r.dob_d AND abs(cast(l.dob_y as int) - cast(r.dob_y as int)) = 1",
                _day_and_month_year_off,
                gettext_noop("same day and month, one year apart (age counting)"),
            ),
            custom(
                "l.dob_y = r.dob_y",
                lambda a, b: a["dob_y"] == b["dob_y"],
                gettext_noop("same year"),
            ),
            custom(
                "abs(cast(l.dob_y as int) - cast(r.dob_y as int)) = 1",
                _year_off_by_one,
                gettext_noop("one year apart (age counting)"),
            ),
            custom(
                "abs(cast(l.dob_y as int) - cast(r.dob_y as int)) BETWEEN 2 AND 3",
                _year_off_by_two_or_three,
                gettext_noop("two or three years apart (an age guessed)"),
            ),
            ELSE,
        ),
    ),
    Comparison(
        "birth_place",
        "birth_place",
        ("place",),
        (
            null("place"),
            exact("place", gettext_noop("same place")),
            jaro_winkler("place", 0.88, gettext_noop("similar place")),
            ELSE,
        ),
    ),
    Comparison(
        "nationality",
        "nationality",
        ("nat",),
        (null("nat"), exact("nat", gettext_noop("same nationality")), ELSE),
    ),
    Comparison(
        "unit",
        "unit",
        ("unit",),
        (null("unit"), exact("unit", gettext_noop("same unit")), ELSE),
    ),
    Comparison(
        "service_number",
        "service_number",
        ("svc",),
        (
            null("svc"),
            exact("svc", gettext_noop("same service number")),
            levenshtein("svc", 1, gettext_noop("service number one character off")),
            ELSE,
        ),
    ),
)


TF_MINIMUM = 1e-6


# Term frequencies are shrunk toward the level's average u as if this many records more had
# been seen: on a registry of a few persons every name is "common" (Kim is 1 of 2), which says
# nothing about Kim; from a few thousand records on the counts speak for themselves.
TF_PSEUDO_RECORDS = 100


class TermFrequencies:
    """Share of records holding each value of the TF columns (count of the value / count of
    non-null values, as Splink computes it), shrunk toward `average[column]`."""

    def __init__(self, average: dict[str, float]):
        self.average = average
        self.counts: dict[str, dict[str, int]] = {c: {} for c in average}
        self.totals: dict[str, int] = dict.fromkeys(average, 0)

    def add(self, row: Row) -> None:
        for column, counts in self.counts.items():
            value = row[column]
            if value is not None:
                counts[value] = counts.get(value, 0) + 1
                self.totals[column] += 1

    def remove(self, row: Row) -> None:
        for column, counts in self.counts.items():
            value = row[column]
            if value is not None and counts.get(value):
                counts[value] -= 1
                self.totals[column] -= 1

    def get(self, column: str, value: str | None) -> float | None:
        count = self.counts.get(column, {}).get(value) if value is not None else None
        if not count:
            return None
        return smoothed(count, self.totals[column], self.average[column])


def smoothed(count: int, total: int, average: float) -> float:
    return (count + TF_PSEUDO_RECORDS * average) / (total + TF_PSEUDO_RECORDS)


def tf_averages(mu) -> dict[str, float]:
    """Column → u of the level adjusted on it (the share two random records agree on average)."""
    averages = {}
    for comparison, row in zip(COMPARISONS, mu, strict=True):
        for level, level_mu in zip(comparison.levels, row, strict=True):
            if level.tf_column and level_mu is not None:
                averages[level.tf_column] = level_mu[1]
    return averages


def tf_adjustment(level: Level, u: float, a: Row, b: Row, tf: TermFrequencies | None) -> float:
    """What Splink adds to a level's weight for the frequency of the value (0 without TF):
    log2(u) - log2(max(tf_a, tf_b, minimum))."""
    if not level.tf_column or tf is None:
        return 0.0
    ta, tb = (
        tf.get(level.tf_column, a[level.tf_column]),
        tf.get(level.tf_column, b[level.tf_column]),
    )
    if ta is None and tb is None:
        return 0.0
    frequency = max(ta if ta is not None else tb, tb if tb is not None else ta, TF_MINIMUM)
    return math.log2(u) - math.log2(frequency)


def gamma(comparison: Comparison, a: Row, b: Row) -> int:
    """Splink's comparison vector value: -1 for the null level, then n-1 … 0 from the top."""
    levels = comparison.levels
    if levels[0].test(a, b):
        return -1
    others = levels[1:]
    for index, level in enumerate(others):
        if level.test(a, b):
            return len(others) - 1 - index
    return 0


def _to_splink_sql(sql: str) -> str:
    """A level's SQL in Splink's column names: `l.fam` is `fam_l`."""
    return re.sub(r"\b([lr])\.(\w+)", r"\2_\1", sql)


def splink_comparisons(mu=None) -> list:
    """The comparisons as Splink creators (SQL built by Splink for the backend's dialect),
    with m and u from `mu` (as `Parameters.mu`) when given."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    result = []
    for comparison_index, comparison in enumerate(COMPARISONS):
        levels = []
        for level in comparison.levels:
            if level.kind == "null":
                levels.append(
                    cll.CustomLevel(
                        _to_splink_sql(level.sql or ""), label_for_charts=level.label
                    ).configure(is_null_level=True)
                )
            elif level.kind == "else":
                levels.append(cll.ElseLevel())
            elif level.kind == "jaro_winkler":
                levels.append(cll.JaroWinklerLevel(level.column, level.threshold))
            elif level.kind == "swapped_typo":
                levels.append(
                    cll.And(
                        cll.JaroWinklerLevel(level.column, level.threshold),
                        cll.Not(cll.ExactMatchLevel("fam")),
                        cll.Not(cll.ExactMatchLevel("giv")),
                    ).configure(label_for_charts=level.label)
                )
            elif level.kind == "levenshtein":
                levels.append(cll.LevenshteinLevel(level.column, int(level.threshold)))
            else:
                creator = cll.CustomLevel(
                    _to_splink_sql(level.sql or ""), label_for_charts=level.label
                )
                if level.tf_column:
                    creator = creator.configure(
                        tf_adjustment_column=level.tf_column,
                        tf_adjustment_weight=1.0,
                        tf_minimum_u_value=TF_MINIMUM,
                        disable_tf_exact_match_detection=True,
                    )
                levels.append(creator)
        if mu is not None:
            levels = [
                creator
                if mu[comparison_index][i] is None
                else creator.configure(
                    m_probability=mu[comparison_index][i][0],
                    u_probability=mu[comparison_index][i][1],
                )
                for i, creator in enumerate(levels)
            ]
        result.append(
            cl.CustomComparison(
                output_column_name=comparison.name,
                comparison_levels=levels,
                comparison_description=comparison.name,
            )
        )
    return result
