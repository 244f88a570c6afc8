"""Which lines of a source document a new document takes, and how much of each.

Input is a list of ``Pick`` (the source line's id, a quantity); ``None`` takes everything still
open. A bad pick names its index and field (``lines.0.quantity``) and nothing is written; the
quantities are then taken by ``counters.take``, which refuses what another document took first.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput

from .stock import checked_quantity


@dataclass(frozen=True)
class Pick:
    line_id: int
    quantity: Any


def open_text(quantity: Decimal) -> str:
    # Fixed-point: 10 reads "10", never "1E+1".
    return _("Only %(open)s still open.") % {"open": f"{quantity.normalize():f}" if quantity else 0}


def picked(
    picks: Sequence[Pick] | None,
    sources: Sequence[Any],
    open_of: Callable[[Any], Decimal],
    *,
    key: Callable[[Any], int] = lambda line: line.pk,
) -> list[tuple[Any, Decimal]]:
    """The (source line, quantity) pairs asked for, checked against what each has open now; a pick
    names its line by ``key`` (the line's id, or the sold line's own id on the contract)."""
    by_id = {key(line): line for line in sources}
    if picks is None:
        chosen = [(line, open_of(line)) for line in sources if open_of(line) > 0]
        if not chosen:
            raise InvalidInput(_("Nothing is left open to take."), fields={"lines": [_("Nothing is left open.")]})
        return chosen
    errors: dict[str, list[str]] = {}
    chosen = []
    seen: set[int] = set()
    if not picks:
        errors["lines"] = [_("Add at least one line.")]
    for index, pick in enumerate(picks):
        where = f"lines.{index}"
        line = by_id.get(pick.line_id) if isinstance(pick.line_id, int) else None
        if line is None or pick.line_id in seen:
            errors[f"{where}.line_id"] = [_("Choose a line of this document, once.")]
            continue
        seen.add(pick.line_id)
        try:
            quantity = checked_quantity(pick.quantity, line.product, field=f"{where}.quantity")
        except InvalidInput as exc:
            errors.update(exc.extra.get("fields", {}))
            continue
        if quantity > open_of(line):
            errors[f"{where}.quantity"] = [open_text(open_of(line))]
            continue
        chosen.append((line, quantity))
    if errors:
        raise InvalidInput(_("Please correct the lines."), fields=errors)
    return chosen


def refuse_taken(index: int, now_open: Decimal) -> InvalidInput:
    """Another document took part of the line between the read and the take."""
    return InvalidInput(_("Please correct the lines."), fields={f"lines.{index}.quantity": [open_text(now_open)]})


def refuse_first(
    chosen: Sequence[tuple[Any, Decimal]], refused: Sequence[int], *, counters: Sequence[str], open_of
) -> InvalidInput:
    """``refuse_taken`` for the first chosen line ``counters.take_lines`` refused, with what it has
    open now (its ``counters`` read again)."""
    index = next(n for n, (line, _quantity) in enumerate(chosen) if line.pk == refused[0])
    line = chosen[index][0]
    line.refresh_from_db(fields=list(counters))
    return refuse_taken(index, open_of(line))
