"""The person search, ranked as the tracing engine compares names, each row with its reason.

`registry.selectors.person_list` finds the persons (the words in his names, numbers or places,
or his names in the name index under any romanization or script); here they are ranked by the
engine's own comparison of the query with each of his names (`tracing.linkage`, the weights
and term frequencies the tracing search uses), and each says why he was found:
"Gang Eun-hyeok = 강은혁, Revised Romanization". Need-to-know is the selector's: only persons
the reader may see are ever ranked.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.names.index import (
    INITIAL_SOUND,
    KONTSEVICH,
    SPELLING,
    query_spellings,
    spellings,
)
from safepassage.registry import selectors
from safepassage.registry.models import PersonName, Romanization
from safepassage.tracing.linkage.comparisons import COMPARISONS
from safepassage.tracing.linkage.index import score
from safepassage.tracing.linkage.model import default_parameters
from safepassage.tracing.linkage.records import LinkRecord, features
from safepassage.tracing.search_index import IndexFrequencies

SYSTEMS = {
    **dict(Romanization.choices),
    KONTSEVICH: gettext_lazy("Kontsevich (Korean in Cyrillic)"),
    INITIAL_SOUND: gettext_lazy("the Southern spelling (initial sound law)"),
}
_NAME_COMPARISONS = {
    i for i, c in enumerate(COMPARISONS) if c.field in ("family_name", "given_name")
}


@dataclass(frozen=True)
class Found:
    """Why a person was found: the name that matched best, and the reason in words."""

    name: str
    reason: str
    weight: float


class RankedPaginator(Paginator):
    """Pages over a ranked list of at most `cap` persons; `capped` when more matched."""

    def __init__(self, object_list, per_page: int, *, capped: bool):
        super().__init__(object_list, per_page)
        self.capped = capped


def _systems(rows) -> str:
    labels = []
    for system in rows:
        label = str(SYSTEMS.get(system, system))
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


def _reason(query: str, name, kinds: list[tuple[str, str]], levels) -> str:
    spelled = [system for kind, system in kinds if kind == SPELLING]
    if spelled:
        return _("%(query)s = %(name)s, %(systems)s") % {
            "query": query,
            "name": name.full_name,
            "systems": _systems(spelled),
        }
    words = [
        _(COMPARISONS[index].levels[level].label)
        for index, level, _weight in levels
        if index in _NAME_COMPARISONS and COMPARISONS[index].levels[level].kind != "null"
    ]
    if kinds:
        return _("%(query)s ≈ %(name)s: %(levels)s") % {
            "query": query,
            "name": name.full_name,
            "levels": "; ".join(dict.fromkeys(words)),
        }
    return _("%(query)s: found in his names, numbers or places as written") % {"query": query}


@dataclass(frozen=True)
class _Name:
    """A name as the ranking reads it: plain values, no model instance."""

    pk: int
    family_name: str
    given_name: str
    patronymic: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)


class RankedPersons(Sequence):
    """The ranked persons, read from the database only for the slice a page shows: ranking a
    thousand men needs their names, not a thousand model instances with every field (and
    their encrypted fields opened)."""

    def __init__(self, ranked: list[tuple[int, Found]], persons):
        self._ranked, self._persons = ranked, persons

    def __len__(self) -> int:
        return len(self._ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._read(self._ranked[index])
        return self._read([self._ranked[index]])[0]

    def _read(self, chosen: list[tuple[int, Found]]) -> list:
        by_pk = self._persons.in_bulk([pk for pk, _found in chosen])
        shown = []
        for pk, found in chosen:
            if (person := by_pk.get(pk)) is not None:
                person.found = found
                shown.append(person)
        return shown

    def __iter__(self):
        return iter(self[:])


def person_search(*, actor, query: str, filters=None, cap: int) -> tuple[RankedPersons, bool]:
    """The persons `actor` may see that `query` finds, best first (at most `cap`), each with
    `found` (a `Found`); and whether more than `cap` matched."""
    persons = selectors.person_list(actor=actor, query=query, filters=filters)
    numbers = dict(persons.values_list("pk", "registry_number")[: cap + 1])
    capped = len(numbers) > cap
    numbers = dict(list(numbers.items())[:cap])
    names: dict[int, list[_Name]] = {pk: [] for pk in numbers}
    rows = PersonName.objects.filter(person_id__in=list(numbers)).order_by("pk")
    for person_id, *values in rows.values_list(
        "person_id", "pk", "family_name", "given_name", "patronymic"
    ):
        names[person_id].append(_Name(*values))
    spelled = set(query_spellings(query))
    parameters = default_parameters()
    row = features(LinkRecord("query", full_name=query))
    tf = IndexFrequencies(row, parameters) if numbers else None
    ranked = [(pk, _found(query, row, his, spelled, parameters, tf)) for pk, his in names.items()]
    ranked.sort(key=lambda item: (-item[1].weight, numbers[item[0]]))
    return RankedPersons(ranked, persons), capped


def _found(query, row, names, spelled, parameters, tf) -> Found:
    """Why he was found: his name that matches the query best, and how."""
    best = None
    for name in names:
        record = LinkRecord(
            str(name.pk),
            family_name=name.family_name,
            given_name=" ".join(p for p in (name.given_name, name.patronymic) if p),
        )
        name_row = features(record)
        weight, levels = score(row, name_row, parameters, tf)
        # The name's own index spellings the query is (the rows the index found).
        kinds = [
            (SPELLING, system)
            for system, key in spellings(name.family_name, name.given_name)
            if key in spelled
        ]
        if not kinds and row["tokens"] is not None and row["tokens"] == name_row["tokens"]:
            kinds = [("tokens", "")]
        # A name the index found under the query's spelling comes first, then the weight.
        rank = (any(k == SPELLING for k, _s in kinds), bool(kinds), weight)
        if best is None or rank > best[0]:
            best = (rank, name, kinds, levels, weight)
    if best is None:
        return Found("", _reason(query, None, [], []), 0.0)
    _rank, name, kinds, levels, weight = best
    return Found(name.full_name, _reason(query, name, kinds, levels), weight)
