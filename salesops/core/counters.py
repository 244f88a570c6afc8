"""Taking quantities (and money) from the counters of source rows, and giving them back, in one
statement: every app's counters (the sold lines, the delivery lines, the invoices' and receipts'
balances) move through here.

``take`` adds ``amount`` to a line's ``used`` counter only while it stays within ``within``
(minus any other counters named in ``minus``): one conditional UPDATE, so two documents taking
the last units of one line cannot both succeed, and nothing is read first. ``take_lines`` does
the same for several lines of one model in one UPDATE, each line under its own condition, and
names the lines it refused. The CHECK constraints on the counters are the second guard.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from salesops.core.errors import TransitionNotAllowed

# Quantities carry 3 places. SQLite keeps a decimal column as a floating-point number, where
# 0.1 + 0.2 is not 0.3: every sum is rounded to the column's places before it is compared or stored.
PLACES = 3


def take(model: Any, pk: int, *, used: str, within: str, amount: Decimal, minus: tuple[str, ...] = ()) -> bool:
    excess: Any = F(used) + Value(amount) - F(within)
    for name in minus:
        excess = excess + F(name)
    rows = model.objects.filter(pk=pk).alias(excess=Round(excess, PLACES)).filter(excess__lte=0)
    return rows.update(**{used: Round(F(used) + Value(amount), PLACES)}) == 1


def take_lines(
    model: Any, amounts: Sequence[tuple[int, Decimal]], *, used: str, within: str, minus: tuple[str, ...] = ()
) -> list[int]:
    """``take`` for each ``(pk, amount)``, in one statement; the pks refused, in the given order.

    A refused line is left as it was, but the others are taken: the caller raises, and its
    transaction undoes them. ``UPDATE ... RETURNING`` (PostgreSQL, SQLite 3.35+) says which rows
    the statement changed, so the refusal names the right line without reading the counters."""
    if len({pk for pk, _ in amounts}) < len(amounts) or len(amounts) == 1:
        # One line (or one line twice): the plain statement per line.
        return [
            pk for pk, amount in amounts if not take(model, pk, used=used, within=within, amount=amount, minus=minus)
        ]
    if not amounts:
        return []
    quote = connection.ops.quote_name
    column = {name: quote(model._meta.get_field(name).column) for name in (used, within, *minus)}
    pk_column = quote(model._meta.pk.column)
    # The amount of each row, as the ORM writes a Decimal (SQLite has no decimal type of its own).
    amount_of = "CASE {} END".format(" ".join(f"WHEN {pk_column} = %s THEN CAST(%s AS NUMERIC)" for _ in amounts))
    amount_params = [value for pk, amount in amounts for value in (pk, amount)]
    limit = " - ".join([column[within], *(column[name] for name in minus)])
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {column[used]} = ROUND({column[used]} + {amount_of}, {PLACES}) "
        f"WHERE {pk_column} IN ({', '.join('%s' for _ in amounts)}) "
        f"AND ROUND({column[used]} + {amount_of} - ({limit}), {PLACES}) <= 0 RETURNING {pk_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*amount_params, *(pk for pk, _ in amounts), *amount_params])
        taken = {row[0] for row in cursor.fetchall()}
    return [pk for pk, _ in amounts if pk not in taken]


def must_take(model: Any, pk: int, *, used: str, within: str, amount: Decimal) -> None:
    """``take`` where the quantity is owed by an earlier take (delivered after requested, returned
    after claimed): a refusal means the counters were broken elsewhere, and nothing may post."""
    if not take(model, pk, used=used, within=within, amount=amount):
        raise TransitionNotAllowed(_("The quantities changed meanwhile: reload the document and try again."))


def give_back(model: Any, pk: int, *, used: str, amount: Decimal) -> None:
    model.objects.filter(pk=pk).update(**{used: Round(F(used) - Value(amount), PLACES)})
