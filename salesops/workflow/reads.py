"""One declaration of a document type's reads: its list scoped by ``visible_to(user)``, one
document with its lines (or NotFound outside the reader's scope), and its listing (search, filters,
sort) — the same for the page, the export and the API of every type that declares one."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing
from salesops.core.selectors import get_in_scope

BASE_SEARCH = ("number", "customer__name", "owner__username", "owner__display_name")


@dataclass(frozen=True)
class DocumentReads:
    model: type[Model]
    missing: Any
    related: tuple[str, ...] = ("owner", "branch", "customer")
    lines: str = "lines"
    line_related: tuple[str, ...] = ("product",)
    search_fields: tuple[str, ...] = BASE_SEARCH
    states: list[tuple[str, Any]] = field(default_factory=list)
    filters: tuple[Filter, ...] = ()
    customer_name: str = "customer__name"  # the sort key "customer" (a delay's customer is its contract's)

    def list(self, *, user) -> QuerySet:
        model: Any = self.model
        return model.objects.visible_to(user).select_related(*self.related)

    def get_for(self, *, user, pk: Any) -> Any:
        """The document with its lines and their products, or NotFound outside the user's scope."""
        rows = self.list(user=user)
        if self.lines:
            line_model: Any = self.model._meta.get_field(self.lines).related_model
            rows = rows.prefetch_related(
                Prefetch(self.lines, queryset=line_model.objects.select_related(*self.line_related).order_by("pk"))
            )
        return get_in_scope(rows, pk, missing=self.missing)

    def listing(self, *, user=None) -> Listing:
        return Listing(
            search_fields=self.search_fields,
            orderings={"number": "number", "created": "created_at", "state": "state", "customer": self.customer_name},
            default_ordering="-created",
            filters=(Filter("state", "state", gettext_lazy("State"), self.states), *self.filters),
        )
