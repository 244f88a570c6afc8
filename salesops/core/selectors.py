"""Read helpers the apps' selectors share."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from .errors import NotFound

M = TypeVar("M", bound=Model)


def get_in_scope(queryset: QuerySet[M], pk: Any, *, missing: str) -> M:
    """Row ``pk`` of a queryset already scoped to the reader, or ``NotFound(missing)``: a row outside
    the scope is answered exactly like one that does not exist, so its existence is not revealed."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(missing)
    return found
