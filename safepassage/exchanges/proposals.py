"""Reading the other side's proposal: its rows checked (`proposal_rows`), and each person it
asks for matched to one we hold (`proposal_matcher`). `services.proposal_import` writes them."""

from django.utils.translation import gettext as _

from safepassage.access.visibility import live_persons_visible_to
from safepassage.exchanges.models import Category, MatchMethod, Side
from safepassage.lib.errors import DomainError
from safepassage.lib.spreadsheet import TableError, open_table
from safepassage.registry.models import Person
from safepassage.tracing.linkage import (
    LIKELY_MATCH_THRESHOLD,
    LinkRecord,
    RegistryIndex,
    person_link_records,
)

IMPORT_COLUMNS = ("id", "category")
IMPORT_OPTIONAL = (
    "name", "side", "seriously_wounded", "fit_to_travel", "priority", "registry_number",
    "service_number", "birth_date",
)  # fmt: skip


def _digits(value: str) -> str:
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def _import_bool(value: str, default: bool, where: str) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise DomainError(
        _("%(where)s: “%(value)s” is not a boolean; write 1, 0, true or false.")
        % {"where": where, "value": value}
    )


def proposal_rows(path, name: str) -> list[dict]:
    """The rows of their proposal (CSV or XLSX named `name`), each checked; the first problem
    raises, naming the file, row and field."""
    rows: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        with open_table(path) as table:
            header = [h.strip().lower() for h in table.header]
            missing = [c for c in IMPORT_COLUMNS if c not in header]
            if missing:
                raise DomainError(
                    _("%(file)s: the header lacks %(cols)s. Columns: id, category and "
                      "optionally %(opt)s.")
                    % {"file": name, "cols": ", ".join(missing), "opt": ", ".join(IMPORT_OPTIONAL)}
                )  # fmt: skip
            for number, cells in table.rows:
                cells = list(cells) + [""] * (len(header) - len(cells))
                row = {h: (cells[i] or "").strip() for i, h in enumerate(header)}

                def where(column: str, number=number) -> str:
                    return _("%(file)s row %(row)s, field %(field)s") % {
                        "file": name, "row": number, "field": column}  # fmt: skip

                side = (row.get("side") or Side.THEIRS).lower()
                if side not in Side.values:
                    raise DomainError(
                        _("%(where)s: write theirs (they hand over) or ours (they ask us for).")
                        % {"where": where("side")}
                    )
                if not row["id"]:
                    raise DomainError(_("%(where)s: the id is empty.") % {"where": where("id")})
                if (side, row["id"]) in seen:
                    raise DomainError(
                        _("%(where)s: id “%(id)s” already appears in row %(first)s.")
                        % {"where": where("id"), "id": row["id"], "first": seen[(side, row["id"])]}
                    )
                seen[(side, row["id"])] = number
                category = row["category"].lower()
                if category not in Category.values:
                    raise DomainError(
                        _("%(where)s: “%(value)s” is not a category; write one of %(known)s.")
                        % {
                            "where": where("category"),
                            "value": row["category"],
                            "known": ", ".join(Category.values),
                        }  # fmt: skip
                    )
                priority = row.get("priority") or "0"
                if not priority.isdigit() or int(priority) > 1_000_000:
                    raise DomainError(
                        _("%(where)s: “%(value)s” is not a whole number from 0 to 1000000.")
                        % {"where": where("priority"), "value": priority}
                    )
                rows.append({
                    "number": number, "side": side, "id": row["id"][:64],
                    "name": row.get("name", "")[:300], "category": category,
                    "priority": int(priority),
                    "seriously_wounded": _import_bool(row.get("seriously_wounded", ""), False,
                                                      where("seriously_wounded")),
                    "fit_to_travel": _import_bool(row.get("fit_to_travel", ""), True,
                                                  where("fit_to_travel")),
                    "registry_number": row.get("registry_number", ""),
                    "service_number": row.get("service_number", ""),
                    "birth_date": row.get("birth_date", ""),
                })  # fmt: skip
    except TableError as exc:
        where = _("%(file)s row %(row)s") % {"file": name, "row": exc.row} if exc.row else name
        raise DomainError(f"{where}: {exc}") from None
    return rows


def proposal_matcher(actor):
    """Match a listed person to one we hold: registry number, then service number, then the
    tracing engine's names across scripts (`tracing.linkage.RegistryIndex`, at or above its
    link threshold). Returns the match function and the method in words."""
    persons = list(live_persons_visible_to(actor).prefetch_related("names"))
    by_pk = {str(p.pk): p for p in persons}
    by_number = {p.registry_number.casefold(): p for p in persons}
    by_service: dict[str, Person] = {}
    for p in persons:
        if p.service_number:
            by_service.setdefault(_digits(p.service_number), p)
    index = RegistryIndex.build(person_link_records(persons))

    def match(row: dict) -> tuple[Person | None, str, float | None]:
        if row["registry_number"] and (p := by_number.get(row["registry_number"].casefold())):
            return p, MatchMethod.REGISTRY_NUMBER, None
        if row["service_number"] and (p := by_service.get(_digits(row["service_number"]))):
            return p, MatchMethod.SERVICE_NUMBER, None
        if row["name"]:
            query = LinkRecord(id="query", full_name=row["name"],
                               birth_date=row.get("birth_date", ""),
                               service_number=row["service_number"])  # fmt: skip
            try:
                ranked = index.rank(query, limit=1, threshold=LIKELY_MATCH_THRESHOLD)
            except ValueError:  # an unreadable birth date: no name match, not an error
                ranked = []
            if ranked and ranked[0].id in by_pk:
                return by_pk[ranked[0].id], MatchMethod.TRACING, ranked[0].probability
        return None, MatchMethod.NONE, None

    return match, _("registry number, service number, then names across scripts (tracing)")
