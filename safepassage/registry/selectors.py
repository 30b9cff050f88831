"""Reads from the registry. Every read starts from what the actor may see (`persons_visible_to`)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from safepassage.accounts.policy import persons_visible_to
from safepassage.lib.text import search_tokens
from safepassage.registry.models import Person


def person_list(
    *, actor, query: str = "", filters: Mapping[str, Any] | None = None
) -> QuerySet[Person]:
    """The persons `actor` may see that match `query` in any spelling, and the filters.

    Every word of the query must occur in the person's folded names, numbers or places, so
    "KIM chol-su", "김철수" and "Kovalëv" / "kovalev" all match. Filters: `status` (case state),
    `nationality` (ISO 3166 alpha-2 code), `internment_place` (part of the place name).
    """
    # Records merged into another (duplicates) are not listed; their numbers lead to the survivor.
    persons = persons_visible_to(actor).filter(merged_into__isnull=True)
    for token in search_tokens(query or ""):
        persons = persons.filter(search_text__contains=token)
    filters = filters or {}
    if status := filters.get("status"):
        persons = persons.filter(case__state=status)
    if nationality := (filters.get("nationality") or "").strip().upper():
        # Codes are two letters joined by commas, so a substring match is an exact code match.
        persons = persons.filter(nationalities__contains=nationality)
    if place := (filters.get("internment_place") or "").strip():
        persons = persons.filter(internment_place__icontains=place)
    return persons.select_related("case").prefetch_related("names").order_by("registry_number")
