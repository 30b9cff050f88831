"""The registry's linkage index for tracing searches: built once per process, kept current.

Building the engine's index over a large registry takes minutes; a tracing search must answer
in a fraction of a second. So the index covers every live (not merged) person once, is kept in
memory, and is brought up to date before each search from a cheap watermark of the registry:
the highest person and name ids and the latest change of a person. Persons changed since the
last look (registered, edited, merged, given a name) are removed and indexed again; a
watermark that went back (a rolled-back transaction, a restored database) rebuilds the index.

Need-to-know is not the index's business: it holds everyone, and `rank_visible` asks the
database which of the scored persons the reviewer may see before any is returned.
"""

import threading
from dataclasses import dataclass

from django.db.models import Max

from safepassage.registry.models import Person, PersonName

# Rebuild instead of patching when this share of the index has been removed.
REBUILD_SHARE = 0.25


@dataclass(frozen=True)
class Watermark:
    last_person: int
    last_name: int
    last_change: object  # datetime or None

    def behind(self, other: "Watermark") -> bool:
        """Whether `other` is older than this one in any part (the registry went back)."""
        return (
            other.last_person < self.last_person
            or other.last_name < self.last_name
            or (
                self.last_change is not None
                and (other.last_change is None or other.last_change < self.last_change)
            )
        )


def registry_watermark() -> Watermark:
    persons = Person.objects.aggregate(last=Max("pk"), change=Max("updated_at"))
    names = PersonName.objects.aggregate(last=Max("pk"))
    return Watermark(persons["last"] or 0, names["last"] or 0, persons["change"])


def _live(persons):
    return persons.filter(merged_into__isnull=True).prefetch_related("names").order_by("pk")


class _Holder:
    def __init__(self):
        self.lock = threading.Lock()
        self.index = None
        self.mark: Watermark | None = None
        self.builds = 0  # for tests and the benchmark: how often it was built from scratch


_HOLDER = _Holder()


def _build():
    from safepassage.tracing import linkage

    _HOLDER.index = linkage.RegistryIndex.build(
        linkage.person_link_records(_live(Person.objects.all()).iterator(chunk_size=2000))
    )
    _HOLDER.builds += 1


def _patch(since: Watermark) -> None:
    from safepassage.tracing import linkage

    changed = Person.objects.filter(pk__gt=since.last_person) | Person.objects.filter(
        pk__in=PersonName.objects.filter(pk__gt=since.last_name).values("person_id")
    )
    if since.last_change is not None:
        changed = changed | Person.objects.filter(updated_at__gt=since.last_change)
    changed = list(changed.distinct().prefetch_related("names").order_by("pk"))
    index = _HOLDER.index
    for person in changed:
        index.remove_person(str(person.pk))
    index.add_all(linkage.person_link_records(p for p in changed if p.merged_into_id is None))


def registry_index():
    """The index over every live person, current as of now."""
    mark = registry_watermark()
    with _HOLDER.lock:
        stale = _HOLDER.mark
        if _HOLDER.index is None or stale is None or stale.behind(mark):
            _build()
        elif mark != stale:
            _patch(stale)
            if _HOLDER.index.removed_share > REBUILD_SHARE:
                _build()
        _HOLDER.mark = mark
        return _HOLDER.index


def rank_visible(*, actor, query, limit: int, threshold: float, visible):
    """Persons most likely to be `query` among `visible` (a queryset: the persons the actor may
    see), best first. Only the scored persons are looked up in `visible`, in one query."""

    def allowed(person_ids: set[str]) -> set[str]:
        pks = [int(pk) for pk in person_ids]
        return {
            str(pk)
            for pk in visible.filter(pk__in=pks, merged_into__isnull=True).values_list(
                "pk", flat=True
            )
        }

    return registry_index().rank(query, limit=limit, threshold=threshold, allowed=allowed)


def forget() -> None:
    """Drop the cached index (tests; a process that wants its memory back)."""
    with _HOLDER.lock:
        _HOLDER.index = None
        _HOLDER.mark = None
