"""Charts of the dashboard's figures as SVG or PNG, drawn server-side with matplotlib.

Only the object-oriented API (`matplotlib.figure.Figure`), never pyplot's global state; the
fonts are matplotlib's DejaVu Sans and the vendored NanumGothic (Hangul), so nothing is fetched.
matplotlib's font cache is shared by the threads of a process, so one chart is drawn at a time.
Each chart is drawn from the figure's table, so a suppressed count ("<5") is never drawn as a
number: it gets no bar, only its "<5" mark.
"""

from __future__ import annotations

import datetime
import io
import threading
from xml.sax.saxutils import escape

import matplotlib
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from safepassage.lib.pdf import FONT_DIR
from safepassage.reports.figures import CHART_FORMATS, COUNT, DAYS, ReportFigure, Small, number

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
INK, SOFT, GRID = "#1f2a37", "#5b6675", "#d9dee5"

font_manager.fontManager.addfont(str(FONT_DIR / "NanumGothic.ttf"))
# Set once, at import: text stays text in SVG (searchable, readable by screen readers), and the
# ids are stable. The layout is measured with DejaVu Sans (matplotlib's own, Latin and Cyrillic),
# wider than most browsers' sans-serif, so a label the browser draws in its own font still fits;
# Hangul, which it lacks, comes from the vendored NanumGothic.
matplotlib.rcParams.update(
    {
        "font.family": ["DejaVu Sans", "NanumGothic"],
        "svg.fonttype": "none",
        "svg.hashsalt": "safepassage-reports",
        "axes.edgecolor": SOFT,
        "axes.labelcolor": INK,
        "xtick.color": SOFT,
        "ytick.color": INK,
    }
)
_LOCK = threading.Lock()


def _labels() -> dict[str, str]:
    """The words on the charts, in the request's language."""
    return {
        "cases": _("Cases"),
        "count": _("Number"),
        "persons": _("Persons"),
        "days": _("Days"),
        "week": _("Week starting"),
        "stays": _("stays"),
        "median": _("Median"),
        "quartiles": _("First to third quartile"),
        "empty": _("Nothing to show for these filters."),
    }


def render(figure: ReportFigure, fmt: str) -> bytes:
    """The chart of `figure` as `fmt` ("svg" or "png")."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    labels = _labels()
    with _LOCK:
        chart = _draw(figure, labels)
        out = io.BytesIO()
        if fmt == "svg":
            chart.savefig(out, format="svg", metadata={"Date": None, "Creator": "safepassage"})
        else:
            chart.savefig(out, format="png", dpi=150, metadata={"Software": "safepassage"})
    data = out.getvalue()
    return _accessible_svg(data, figure) if fmt == "svg" else data


def _draw(figure: ReportFigure, labels: dict[str, str]) -> Figure:
    drawing = {
        "funnel": _funnel,
        "weekly": _weekly,
        "weekly_by_group": _weekly_by_group,
        "ranges": _ranges,
    }[figure.chart]
    chart = drawing(figure, labels)
    chart.suptitle(figure.title, fontsize=13, color=INK, x=0.01, ha="left")
    return chart


def _accessible_svg(data: bytes, figure: ReportFigure) -> bytes:
    """Give the SVG a title and a description that screen readers announce."""
    text = data.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    description = " ".join([figure.description, *figure.notes])
    head = (
        f'{text[start:end]} role="img" aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{escape(figure.title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>'
    )
    return (text[:start] + head + text[end + 1 :]).encode("utf-8")


def _series(figure: ReportFigure) -> list[tuple[int, str, str]]:
    """(column index, key, label) of each count column: the series drawn."""
    return [(i, c.key, c.label) for i, c in enumerate(figure.columns) if c.kind == COUNT]


def _style(ax: Axes, *, grid_axis: str) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(chart: Figure, labels: dict[str, str], text: str = "") -> Figure:
    ax = chart.subplots()
    ax.set_axis_off()
    ax.text(0.5, 0.5, text or labels["empty"], ha="center", va="center", color=SOFT, fontsize=11)
    return chart


def _plain_numbers(axis) -> None:
    """Plain tick labels: never an offset ("+1e3") nor a power of ten ("×1e−7") beside them."""
    formatter = axis.get_major_formatter()
    formatter.set_useOffset(False)
    formatter.set_scientific(False)


def _small_mark(ax: Axes, x: float, y: float, cell: Small, color: str, *, k: int = 0, **kw) -> None:
    """A suppressed count: no bar, only "<5" where it would be."""
    ax.annotate(
        str(cell), xy=(x, y), xytext=kw.pop("xytext", (0, 2 + 9 * k)), textcoords="offset points",
        ha=kw.pop("ha", "center"), va=kw.pop("va", "bottom"), fontsize=7, color=color,
        gid=kw.pop("gid", None),
    )  # fmt: skip


# --- the drawings -----------------------------------------------------------------------------


def _funnel(figure: ReportFigure, labels: dict[str, str]) -> Figure:
    """Horizontal bars per state, first state on top: reached, and in it now."""
    series = _series(figure)
    chart = Figure(figsize=(8, 1.2 + 0.36 * len(figure.rows)), layout="constrained")
    if not figure.rows:
        return _empty(chart, labels)
    ax = chart.subplots()
    _style(ax, grid_axis="x")
    height = 0.8 / len(series)
    positions = list(range(len(figure.rows)))[::-1]
    for s, (col, key, _label) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        for r, (y, row) in enumerate(zip(positions, figure.rows, strict=True)):
            ypos = y + 0.4 - height * (s + 0.5)
            value = number(row[col])
            if value is None:
                _small_mark(ax, 0, ypos, row[col], color, xytext=(3, 0), ha="left", va="center",
                            gid=f"{figure.key}-{key}-{r}-small")  # fmt: skip
                continue
            if not value:
                continue
            bar = ax.barh(ypos, value, height=height * 0.92, color=color)[0]
            bar.set_gid(f"{figure.key}-{key}-{r}")
            ax.annotate(
                f"{value:g}", xy=(value, ypos), xytext=(3, 0), textcoords="offset points",
                va="center", fontsize=7, color=SOFT,
            )  # fmt: skip
    ax.set_yticks(positions, [str(row[0]) for row in figure.rows])
    ax.set_xlabel(labels["cases"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(ax.get_xlim()[1], 1.0) * 1.08)
    _plain_numbers(ax.xaxis)
    _legend(ax, series)
    return chart


def _handles(series) -> list[Patch]:
    return [
        Patch(color=PALETTE[s % len(PALETTE)], label=label)
        for s, (_col, _key, label) in enumerate(series)
    ]


def _legend(ax: Axes, series, *, loc: str = "lower right") -> None:
    ax.legend(handles=_handles(series), loc=loc, frameon=False, fontsize=8)


def _legend_on_top(chart: Figure, series) -> None:
    chart.legend(
        handles=_handles(series), loc="outside lower center", ncols=len(series), frameon=False,
        fontsize=8,
    )  # fmt: skip


def _week_axis(ax: Axes, weeks: list[datetime.date]) -> None:
    """Ticks under the middle of each week (at most about ten), labelled with its Monday."""
    weeks = sorted(set(weeks))
    first, last = weeks[0], weeks[-1]
    every = max(1, ((last - first).days // 7 + 1 + 9) // 10)
    ticks = [
        first + datetime.timedelta(weeks=i) for i in range(0, (last - first).days // 7 + 1, every)
    ]
    ax.set_xticks([_x(week) + 3.5 for week in ticks], [week.isoformat() for week in ticks])
    ax.set_xlim(_x(first) - 0.5, _x(last) + 7.5)
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")


def _x(week: datetime.date) -> float:
    return float(mdates.date2num(week))


def _weekly(figure: ReportFigure, labels: dict[str, str]) -> Figure:
    """Grouped bars per week, one per series."""
    series = _series(figure)
    chart = Figure(figsize=(8, 3.6), layout="constrained")
    if not figure.rows:
        return _empty(chart, labels)
    ax = chart.subplots()
    _style(ax, grid_axis="y")
    width = 6.0 / len(series)
    for s, (col, key, _label) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        bars: list[tuple[float, float, float, str]] = []
        for r, row in enumerate(figure.rows):
            x = _x(row[0]) + 0.5 + width * (s + 0.5)
            value = number(row[col])
            if value is None:
                _small_mark(ax, x, 0, row[col], color, gid=f"{figure.key}-{key}-{r}-small")
            elif value:
                bars.append((x, value, 0.0, f"{figure.key}-{key}-{r}"))
        _bars(ax, bars, width=width * 0.9, color=color)
    ax.set_ylabel(labels["count"])
    _count_axis(ax)
    ax.set_xlabel(labels["week"])
    _week_axis(ax, [row[0] for row in figure.rows])
    _legend_on_top(chart, series)
    return chart


def _bars(ax: Axes, bars: list[tuple[float, float, float, str]], *, width: float, color: str):
    """Vertical bars (x, height, bottom, element id) in one call: one call per bar is slow."""
    if not bars:
        return
    xs, heights, bottoms, gids = zip(*bars, strict=True)
    for patch, gid in zip(ax.bar(xs, heights, bottom=bottoms, width=width, color=color), gids,
                          strict=True):  # fmt: skip
        patch.set_gid(gid)


def _count_axis(ax: Axes) -> None:
    """Whole numbers from zero, with room above the bars for the "<5" marks."""
    ax.yaxis.get_major_locator().set_params(integer=True)
    top = max(ax.get_ylim()[1], 1.0)
    ax.set_ylim(0, top * 1.2)
    _plain_numbers(ax.yaxis)


def _weekly_by_group(figure: ReportFigure, labels: dict[str, str]) -> Figure:
    """One panel per group (nationality), stacked bars per week over the series (outcomes)."""
    series = _series(figure)
    groups = list(dict.fromkeys(row[1] for row in figure.rows))
    chart = Figure(figsize=(8, 1.4 + 2.0 * max(1, len(groups))), layout="constrained")
    if not figure.rows:
        return _empty(chart, labels)
    axes = chart.subplots(len(groups), 1, sharex=True, squeeze=False)[:, 0]
    for ax, group in zip(axes, groups, strict=True):
        _style(ax, grid_axis="y")
        ax.set_title(group, loc="left", fontsize=10, color=INK)
        bars: list[list[tuple[float, float, float, str]]] = [[] for _ in series]
        for r, row in enumerate(figure.rows):
            if row[1] != group:
                continue
            x, bottom, marks = _x(row[0]) + 3.5, 0.0, 0
            for s, (col, key, _label) in enumerate(series):
                value = number(row[col])
                if value:
                    bars[s].append((x, value, bottom, f"{figure.key}-{key}-{r}"))
                    bottom += value
            for s, (col, key, _label) in enumerate(series):
                if isinstance(row[col], Small):
                    _small_mark(ax, x, bottom, row[col], PALETTE[s % len(PALETTE)], k=marks,
                                gid=f"{figure.key}-{key}-{r}-small")  # fmt: skip
                    marks += 1
        for s, stack in enumerate(bars):
            _bars(ax, stack, width=5.5, color=PALETTE[s % len(PALETTE)])
        ax.set_ylabel(labels["persons"])
        _count_axis(ax)
    axes[-1].set_xlabel(labels["week"])
    _week_axis(axes[-1], [row[0] for row in figure.rows])
    _legend_on_top(chart, series)
    return chart


def _ranges(figure: ReportFigure, labels: dict[str, str]) -> Figure:
    """Per state, a bar from the first to the third quartile with the median marked."""
    chart = Figure(figsize=(8, 1.2 + 0.42 * max(1, len(figure.rows))), layout="constrained")
    if not figure.rows or figure.nothing_to_draw:
        return _empty(chart, labels, figure.nothing_to_draw)
    ax = chart.subplots()
    _style(ax, grid_axis="x")
    index = {c.key: i for i, c in enumerate(figure.columns)}
    days = [i for i, c in enumerate(figure.columns) if c.kind == DAYS]
    top = max((number(row[i]) or 0.0 for row in figure.rows for i in days), default=0.0) or 1.0
    positions = list(range(len(figure.rows)))[::-1]
    for r, (y, row) in enumerate(zip(positions, figure.rows, strict=True)):
        q1, median, q3 = (number(row[index[k]]) for k in ("q1", "median", "q3"))
        stays = row[index["stays"]]
        if q1 is None or median is None or q3 is None:
            _small_mark(ax, 0, y, Small(f"{stays} {labels['stays']}"), SOFT, xytext=(3, 0),
                        ha="left", va="center", gid=f"{figure.key}-stays-{r}-small")  # fmt: skip
            continue
        bar = ax.barh(y, max(q3 - q1, top * 0.004), left=q1, height=0.5, color=PALETTE[0])[0]
        bar.set_gid(f"{figure.key}-quartiles-{r}")
        ax.plot([median, median], [y - 0.32, y + 0.32], color=PALETTE[5], linewidth=2.5,
                gid=f"{figure.key}-median-{r}")  # fmt: skip
        ax.annotate(f"{median:.1f} ({stays})", xy=(q3, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=7, color=SOFT)  # fmt: skip
    ax.set_yticks(positions, [str(row[0]) for row in figure.rows])
    ax.set_ylim(-0.7, len(figure.rows) - 0.3)
    ax.set_xlabel(figure.axis or labels["days"])
    # At least one whole unit wide: a stay of a fraction of a unit is not stretched across.
    ax.set_xlim(left=0, right=max(top * 1.15, 1.0))
    _plain_numbers(ax.xaxis)
    handles = [
        Patch(color=PALETTE[0], label=labels["quartiles"]),
        Patch(color=PALETTE[5], label=labels["median"]),
    ]
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8)
    return chart
