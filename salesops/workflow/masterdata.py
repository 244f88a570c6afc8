"""Writes of master data (customers, contacts, competitors, products, warehouses) with their audit event.

Master data has no flow, but a create or an edit still validates with the model's own rules and
appends its ``DocumentEvent`` in the caller's transaction, naming what changed, the same way in
every app. The caller checks the actor's role and scope first.
"""

from typing import Any, TypeVar

from django.db.models import Model

from salesops.core.errors import validate
from salesops.org.models import User

from .services import changed_fields, record_event, versioned_write

M = TypeVar("M", bound=Model)


def save_new(obj: M, *, actor: User) -> M:
    """Validate and save a new row, with its ``create`` event."""
    validate(obj)
    obj.save()
    record_event(obj, "create", actor=actor)
    return obj


def save_edit(obj: M, fields: dict[str, Any], *, actor: User) -> M:
    """Set ``fields`` on ``obj``, validate it and save those columns, with an ``edit`` event
    naming what changed (none when nothing did)."""
    changes = _apply(obj, fields)
    obj.save(update_fields=list(fields) or None)
    _record_edit(obj, changes, actor=actor)
    return obj


def save_versioned_edit(obj: M, fields: dict[str, Any], *, actor: User, version: int, stale: str) -> M:
    """As ``save_edit``, for a row with a ``version`` column (``services.versioned_write``, the one
    versioned writer): a stale ``version`` is ``StaleEdit(stale)`` (409), nothing written."""
    return versioned_write(obj, fields, actor=actor, version=version, stale=stale)


def _apply(obj: Model, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = changed_fields(obj, fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    validate(obj)
    return changes


def _record_edit(obj: Model, changes: dict[str, tuple[Any, Any]], *, actor: User) -> None:
    if changes:
        record_event(obj, "edit", actor=actor, changes=changes)
