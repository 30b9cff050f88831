"""Negotiators' candidate lists (CSV) for the offline planner: parsing, checks, exclusions.

Pure (no Django). Every error names the file, the row (the header is row 1) and the field, and
says what to write instead; nothing is planned from a list with any error.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.exchanges.planner import Candidate
from safepassage.lib.countries import country_code_of
from safepassage.lib.spreadsheet import TableError, open_table

COLUMNS = (
    "id", "category", "priority", "seriously_wounded", "fit_to_travel", "destination",
    "refused_destinations",
)  # fmt: skip
# `direct_repatriation` (1/0): a Mixed Medical Commission found him eligible for direct
# repatriation and he consented: planned whatever the ratio, maximum and category ratios.
OPTIONAL_COLUMNS = ("group", "direct_repatriation")
TRUE = {"1", "true"}
FALSE = {"0", "false"}
MAX_PRIORITY = 1_000_000


class ListError(Exception):
    """A list cannot be read; the message names file, row and field."""


@dataclass(frozen=True)
class ListRow:
    candidate: Candidate
    fit_to_travel: bool
    destination: str
    refused: frozenset[str]


@dataclass(frozen=True)
class Exclusion:
    side: str
    id: str
    reason: str
    detail: str


def _where(name: str, row: int, column: str) -> str:
    return _("%(file)s row %(row)s, field %(field)s") % {"file": name, "row": row, "field": column}


def _bool(value: str, where: str) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ListError(
        _("%(where)s: “%(value)s” is not a boolean; write 1, 0, true or false.")
        % {"where": where, "value": value}
    )


def _country(value: str, where: str, known: Callable[[str], bool]) -> str:
    code = country_code_of(value)
    if len(code) != 2 or not known(code):
        raise ListError(
            _("%(where)s: “%(value)s” is not a two-letter ISO country code (e.g. UA, RU, KR).")
            % {"where": where, "value": value}
        )
    return code


def read_list(path, *, name: str, side: str, known_country: Callable[[str], bool]) -> list[ListRow]:
    """Parse one side's list (CSV in any usual encoding and delimiter, or XLSX).

    Raises `ListError` naming the first problem.
    """
    try:
        with open_table(path) as table:
            return parse_rows(
                table.header, table.rows, name=name, side=side, known_country=known_country
            )
    except TableError as exc:
        where = f"{name} row {exc.row}" if exc.row else name
        raise ListError(f"{where}: {exc}") from None


def parse_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, list[str]]],
    *,
    name: str,
    side: str,
    known_country: Callable[[str], bool],
) -> list[ListRow]:
    header = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ListError(
            _("%(file)s: the header lacks %(columns)s; it needs %(all)s.")
            % {"file": name, "columns": ", ".join(missing), "all": ",".join(COLUMNS)}
        )
    index = {column: header.index(column) for column in (*COLUMNS, *OPTIONAL_COLUMNS)
             if column in header}  # fmt: skip
    parsed: list[ListRow] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ListError(
                ngettext(
                    "%(file)s row %(row)s: %(n)s field, but the header has %(m)s.",
                    "%(file)s row %(row)s: %(n)s fields, but the header has %(m)s.",
                    len(cells),
                )
                % {"file": name, "row": number, "n": len(cells), "m": len(header)}
            )
        cells = list(cells) + [""] * (len(header) - len(cells))
        parsed.append(_row(cells, index, name, number, side, seen, known_country))
    return parsed


def _row(cells, index, name, number, side, seen, known_country) -> ListRow:
    def cell(column: str) -> str:
        return cells[index[column]].strip() if column in index else ""

    ident = cell("id")
    if not ident:
        raise ListError(_("%(where)s: the id is empty.") % {"where": _where(name, number, "id")})
    if ident in seen:
        raise ListError(
            _("%(where)s: id “%(id)s” already appears in row %(first)s; ids must be unique.")
            % {"where": _where(name, number, "id"), "id": ident, "first": seen[ident]}
        )
    seen[ident] = number
    category = cell("category").lower()
    if not category:
        raise ListError(
            _(
                "%(where)s: the category is empty; write e.g. officer, wounded, conscript or "
                "civilian."
            )
            % {"where": _where(name, number, "category")}  # fmt: skip
        )
    raw_priority = cell("priority") or "0"
    if not raw_priority.isdigit() or int(raw_priority) > MAX_PRIORITY:
        raise ListError(
            _("%(where)s: “%(value)s” is not a whole number from 0 to %(max)s.")
            % {
                "where": _where(name, number, "priority"),
                "value": raw_priority,
                "max": MAX_PRIORITY,
            }  # fmt: skip
        )
    destination = _country(cell("destination"), _where(name, number, "destination"), known_country)
    refused = frozenset(
        _country(code, _where(name, number, "refused_destinations"), known_country)
        for code in cell("refused_destinations").split(";")
        if code.strip()
    )
    candidate = Candidate(
        side=side,
        id=ident,
        category=category,
        priority=int(raw_priority),
        seriously_wounded=_bool(
            cell("seriously_wounded"), _where(name, number, "seriously_wounded")
        ),
        group=cell("group"),
        direct_repatriation=_bool(
            cell("direct_repatriation") or "0", _where(name, number, "direct_repatriation")
        ),
    )
    fit = _bool(cell("fit_to_travel"), _where(name, number, "fit_to_travel"))
    return ListRow(candidate, fit, destination, refused)


def eligible(
    rows: Sequence[ListRow], *, transit: Iterable[str] = ()
) -> tuple[list[Candidate], list[Exclusion]]:
    """Split the rows into candidates the planner may choose and exclusions with reasons.

    A man is never planned to a destination or through a transit state he refused; the unfit
    stay; a group travels together, so one excluded member excludes the group.
    """
    transit = [t.upper() for t in transit]
    candidates: list[Candidate] = []
    excluded: list[Exclusion] = []
    for row in rows:
        c = row.candidate
        if row.destination in row.refused:
            excluded.append(
                Exclusion(
                    c.side,
                    c.id,
                    "refused_destination",
                    _("He refused %(code)s.") % {"code": row.destination},
                )
            )
        elif stops := [t for t in transit if t in row.refused]:
            excluded.append(
                Exclusion(
                    c.side,
                    c.id,
                    "transit_risk",
                    _("He refused transit state %(code)s.") % {"code": ", ".join(stops)},
                )
            )
        elif not row.fit_to_travel:
            excluded.append(
                Exclusion(c.side, c.id, "medically_unfit", _("Medically unfit to travel."))
            )
        else:
            candidates.append(c)
    groups = {(row.candidate.side, row.candidate.id): row.candidate.group for row in rows}
    return group_exclusions(candidates, excluded, groups)


def group_exclusions(
    candidates: list[Candidate], excluded: list[Exclusion], groups: dict[tuple[str, str], str]
) -> tuple[list[Candidate], list[Exclusion]]:
    """Members of a group with an excluded member are excluded too (they travel together)."""
    broken: dict[str, str] = {}
    for e in excluded:
        group = groups.get((e.side, e.id), "")
        if group and group not in broken:
            broken[group] = _("He travels with %(id)s (group %(group)s), who is excluded.") % {
                "id": e.id, "group": group,
            }  # fmt: skip
    kept: list[Candidate] = []
    for c in candidates:
        if c.group and c.group in broken:
            excluded.append(Exclusion(c.side, c.id, "group_member_excluded", broken[c.group]))
        else:
            kept.append(c)
    return kept, excluded
