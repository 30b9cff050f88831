"""Page numbers over lists that may hold a million rows, without counting them all.

Django's `Paginator` counts every matching row (`SELECT COUNT(*)`) to print "Page 1 of N": on a
registry of a million persons that is the slowest query of the page, for a number nobody pages
through. `CappedPaginator` counts at most `cap` rows: below that it is exact; above it the list
says "more than …" and offers the first `cap` rows, page by page (ask to narrow the search).
"""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # No ORDER BY: the database stops at the first cap + 1 rows, in any order.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        """The number of rows, or `cap` when there are more."""
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than `count` says (and than the pages reach)."""
        return self._counted > self.cap
