"""Taking quantities from a source line, and giving them back, in one statement each.

``take`` adds ``amount`` to a line's ``used`` counter only while it stays within ``within``
(minus any other counters named in ``minus``): one conditional UPDATE, so two documents taking
the last units of one line cannot both succeed, and nothing is read first. The CHECK constraints
on the counters are the second guard.
"""

from decimal import Decimal
from typing import Any

from django.db.models import F


def take(model: Any, pk: int, *, used: str, within: str, amount: Decimal, minus: tuple[str, ...] = ()) -> bool:
    limit: Any = F(within)
    for name in minus:
        limit = limit - F(name)
    return model.objects.filter(pk=pk, **{f"{used}__lte": limit - amount}).update(**{used: F(used) + amount}) == 1


def give_back(model: Any, pk: int, *, used: str, amount: Decimal) -> None:
    model.objects.filter(pk=pk).update(**{used: F(used) - amount})
