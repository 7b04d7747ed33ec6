"""Pagination that does not count a million rows to show twenty-five."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMIT-ed subquery): beyond that, "1,000+".

    A full COUNT(*) over a filtered million-row table costs a second on SQLite; a person never
    pages that far, and the filters are how to narrow a list that long.
    """

    @cached_property
    def count(self) -> int:
        # The lists page QuerySets, which the stub's object_list type does not say.
        return self.object_list[: self.cap + 1].count()  # type: ignore[attr-defined]

    cap = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: int | str) -> Page:
        """The page's rows found by a narrow query (ids only, sorted and limited), then loaded
        with their joins: sorting a large selection with every joined column is what costs."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().page(number)
        ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        loaded = {row.pk: row for row in queryset.filter(pk__in=ids)}
        # Paginator's own way to make a page, which its stub leaves out.
        return self._get_page(  # type: ignore[attr-defined]
            [loaded[pk] for pk in ids if pk in loaded], number, self
        )
