"""Likely duplicates in a dry run: rows the tracing engine ranks as the same man as a registered
person, or as another row of the file (for files and registries of bounded size)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from safepassage.access.visibility import live_persons_visible_to
from safepassage.imports.reading import ImportResult, Row
from safepassage.registry.models import DatePrecision

# Beyond these, ranking every row would take longer than the check itself: the duplicates
# queue (`tracing`) finds them after the import instead.
DUPLICATE_CHECK_ROWS = 10_000
DUPLICATE_CHECK_REGISTRY = 100_000


class Candidates:
    """The valid rows of a dry run, kept for the duplicate check while there are few."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.too_many = False

    def adding(self, rows: Iterator[Row]) -> Iterator[Row]:
        """`rows`, each kept on its way through."""
        for row in rows:
            if len(self.rows) >= DUPLICATE_CHECK_ROWS:
                self.too_many = True
                self.rows = []
            elif not self.too_many:
                self.rows.append(row)
            yield row


def _birth_text(fields: dict[str, Any]) -> str:
    born = fields.get("birth_date")
    if born is None:
        return ""
    precision = fields.get("birth_date_precision", DatePrecision.EXACT)
    if precision == DatePrecision.MONTH:
        return born.strftime("%Y-%m")
    if precision == DatePrecision.EXACT:
        return born.isoformat()
    return str(born.year)


def duplicates_flag(actor, candidates: Candidates, result: ImportResult) -> None:
    """Flag rows that the tracing engine ranks as likely the same man as a registered person
    (among those the actor may see) or as another row of the file. Nothing is refused: the
    registrar decides, and the duplicates queue can merge later."""
    if candidates.too_many:
        result.duplicates_note = _(
            "Not checked for likely duplicates: more than %(rows)s rows. The duplicates queue "
            "will find them once imported."
        ) % {"rows": f"{DUPLICATE_CHECK_ROWS:,}"}
        return
    registry = live_persons_visible_to(actor)
    if registry.count() > DUPLICATE_CHECK_REGISTRY:
        result.duplicates_note = _(
            "Not checked for likely duplicates: the registry is too large to compare here. The "
            "duplicates queue will find them once imported."
        )
        return
    from safepassage.tracing import linkage
    from safepassage.tracing.services import DUPLICATE_THRESHOLD

    index = linkage.RegistryIndex.build(
        linkage.person_link_records(registry.prefetch_related("names"))
    )
    queries = []
    for row in candidates.rows:
        fields = row.fields
        record = linkage.LinkRecord(
            id=f"row{row.number}:0",
            family_name=row.name[0],
            given_name=row.name[1],
            birth_date=_birth_text(fields),
            birth_place=fields.get("birth_place", ""),
            nationality=",".join(fields.get("nationalities") or []),
            unit=fields.get("unit", ""),
            service_number=fields.get("service_number", ""),
        )
        index.add(record)
        queries.append((row, record))
    numbers = dict(registry.values_list("pk", "registry_number"))
    for row, record in queries:
        for candidate in index.rank(record, limit=3, threshold=DUPLICATE_THRESHOLD):
            if candidate.id == f"row{row.number}":
                continue
            if candidate.id.startswith("row"):
                other = int(candidate.id[3:])
                if other > row.number:
                    continue  # flagged once, at the later row
                match = _("row %(row)s of this file") % {"row": other}
            else:
                match = numbers.get(int(candidate.id), "")
            result.duplicates.append(
                {
                    "row": row.number,
                    "id": row.external_id,
                    "name": " ".join(part for part in row.name if part),
                    "match": match,
                    "probability": round(float(candidate.probability), 2),
                }
            )
            break
    result.duplicates_checked = True
