"""The dashboard's figures as plain tables: what the page shows, the CSV holds and the charts draw.

No database here. Small counts are suppressed, and the others rounded, on the table itself, so a
figure's page table, its CSV and its chart can never disagree (docs/reports.md#small-counts).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from safepassage.lib.spreadsheet import csv_bytes

# Column kinds: the first column(s) name the row; counts may be suppressed; days are
# durations whose row is hidden when its count of stays is suppressed.
TEXT, WEEK, COUNT, DAYS = "text", "week", "count", "days"
# What the charts are drawn as (charts.py), by the extension of their address.
CHART_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


@dataclass(frozen=True)
class Column:
    key: str  # stable, for chart element ids and tests
    label: str
    kind: str = TEXT


class Small(str):
    """A count from 1 to the threshold minus one, shown as "<5": it could identify a person."""

    __slots__ = ()


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the dashboard: a title, how it was computed, and its table."""

    key: str
    title: str
    description: str
    chart: str  # which drawing of `charts.py`
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    # Whether the viewer's organisation holds everything counted, so the page may show exact
    # numbers; exports are suppressed whatever this says.
    exact_on_page: bool
    notes: tuple[str, ...] = ()
    threshold: int | None = None  # the suppression applied, if any
    axis: str = ""  # what the value axis measures, when the chart cannot tell (a unit of time)
    nothing_to_draw: str = ""  # said instead of a chart whose rows hold nothing to draw

    @property
    def is_suppressed(self) -> bool:
        return self.threshold is not None

    @property
    def has_small_cells(self) -> bool:
        return any(isinstance(cell, Small) for row in self.rows for cell in row)

    def suppressed(self, threshold: int) -> ReportFigure:
        """The same figure with every count from 1 to `threshold` - 1 replaced by "<threshold",
        every larger count rounded to the nearest multiple of `threshold` (`rounded`), and the
        durations of a row whose count is replaced left blank.

        Rounding is what keeps a "<5" from being recovered by subtraction: a total, a funnel's
        cohort or the same figure over an overlapping period is itself rounded, so a
        difference of two shown counts is off by up to a whole base and never pins a small one.
        """
        rows = tuple(_suppress_row(row, self.columns, threshold) for row in self.rows)
        return replace(self, rows=rows, threshold=threshold)

    def for_page(self, threshold: int) -> ReportFigure:
        return self if self.exact_on_page else self.suppressed(threshold)

    def csv(self) -> bytes:
        """The table as CSV (UTF-8 with BOM, formula-safe cells through `lib.spreadsheet`)."""
        header = [column.label for column in self.columns]
        return csv_bytes(header, ([_csv_cell(cell) for cell in row] for row in self.rows))


def is_small(value: object, threshold: int) -> bool:
    return isinstance(value, int) and 0 < value < threshold


def rounded(value: int, base: int) -> int:
    """`value` to the nearest multiple of `base`, halves up, without randomness (the same count
    always shows the same way, so asking again reveals nothing); at least `base` when `value`
    is, so a count never rounds into "0" or "<base"."""
    if base <= 1:
        return value
    return max(base, (2 * value + base) // (2 * base) * base) if value >= base else value


def _suppress_row(row: Sequence[Any], columns: Sequence[Column], threshold: int) -> tuple:
    small = [c.kind == COUNT and is_small(v, threshold) for c, v in zip(columns, row, strict=True)]
    hide_days = any(small)
    cells = []
    for column, value, is_small_cell in zip(columns, row, small, strict=True):
        if is_small_cell:
            cells.append(Small(f"<{threshold}"))
        elif column.kind == COUNT and isinstance(value, int) and not isinstance(value, bool):
            cells.append(rounded(value, threshold))
        elif column.kind == DAYS and hide_days:
            cells.append(None)
        else:
            cells.append(value)
    return tuple(cells)


def _csv_cell(value: object) -> object:
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def number(value: object) -> float | None:
    """A cell as a number for drawing; None when suppressed or unknown."""
    if isinstance(value, Small) or value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None
