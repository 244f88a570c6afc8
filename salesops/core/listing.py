"""List pages: search, filters, sorting and paging from the query string, the same for every list.

Only declared fields can be searched, filtered or sorted on; anything else in
the query string is ignored. A list whose rows have a pinyin search key
(``core.pinyin.SearchKeyField``) names it in ``search_key``: the search then also
finds a row by its Chinese text, full pinyin or initials ("北京", "beijing", "bj"),
in the same single query. Paging uses a fixed number of queries (count +
page), whatever the number of rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from .pinyin import search_condition

MAX_DB_INTEGER = 2**63 - 1


@dataclass(frozen=True)
class Filter:
    param: str
    lookup: str
    label: Any
    choices: list[tuple[str, Any]] = field(default_factory=list)


# Choices of a filter on a boolean column.
YES_NO = [("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))]


@dataclass(frozen=True)
class Listing:
    search_fields: tuple[str, ...]
    orderings: dict[str, str]
    default_ordering: str
    filters: tuple[Filter, ...] = ()
    per_page: int = 25
    search_key: str = ""  # the rows' SearchKeyField, e.g. "search_key" or "customer__search_key"

    def search(self, queryset: QuerySet, query: str) -> QuerySet:
        """The rows matching a search box's text (all rows for an empty one)."""
        if not query or not (self.search_fields or self.search_key):
            return queryset
        return queryset.filter(search_condition(query, self.search_fields, self.search_key))

    def _narrowed(self, queryset: QuerySet, params) -> tuple[QuerySet, str, str, dict[str, str]]:
        """The rows searched, filtered and sorted; with the search text, the sort and the filters applied."""
        query = (params.get("q") or "").strip()[:100]
        queryset = self.search(queryset, query)
        active_filters = {}
        for flt in self.filters:
            value = (params.get(flt.param) or "").strip()
            if not value:
                continue
            if flt.choices and value not in {str(c[0]) for c in flt.choices}:
                continue
            if value.lstrip("-").isdigit() and abs(int(value)) > MAX_DB_INTEGER:
                continue  # no row can match, and SQLite would overflow on it
            try:
                queryset = queryset.filter(**{flt.lookup: value})
            except (ValueError, ValidationError):
                continue  # a value the column cannot hold (e.g. ?owner=abc) is ignored, not a 500
            active_filters[flt.param] = value
        sort = params.get("sort") or self.default_ordering
        key = sort.lstrip("-")
        if key not in self.orderings:
            sort, key = self.default_ordering, self.default_ordering.lstrip("-")
        expression = self.orderings[key]
        descending = sort.startswith("-")
        queryset = queryset.order_by(f"-{expression}" if descending else expression, "-pk")
        return queryset, query, sort, active_filters

    def apply(self, queryset: QuerySet, params) -> dict[str, Any]:
        queryset, query, sort, active_filters = self._narrowed(queryset, params)
        try:
            per_page = min(max(int(params.get("per_page", self.per_page)), 5), 200)
        except (TypeError, ValueError):
            per_page = self.per_page
        page = Paginator(queryset, per_page).get_page(params.get("page"))
        keep = {k: v for k, v in {"q": query, "sort": sort, **active_filters}.items() if v}
        return {
            "page_obj": page,
            "rows": page.object_list,
            "q": query,
            "sort": sort,
            "filters": [(flt, active_filters.get(flt.param, "")) for flt in self.filters],
            "keep": keep,
        }

    def filtered(self, queryset: QuerySet, params) -> QuerySet:
        """Every row the list shows for these parameters, all pages, in order: what an export writes
        (unevaluated; no query runs here)."""
        return self._narrowed(queryset, params)[0]
