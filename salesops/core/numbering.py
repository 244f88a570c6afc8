"""Gapless document numbers: ``<PREFIX><YYYYMM><NNNN>`` per prefix and month.

One statement in the usual case: ``UPDATE ... SET last = last + 1 ... RETURNING last``
increments the counter and locks its row until the creating transaction ends (PostgreSQL's row
lock; SQLite runs write transactions as IMMEDIATE, which serialises writers). The month's first
number creates the row first (``INSERT ... ON CONFLICT DO NOTHING``, so two first creators
cannot both insert). Because the increment happens inside the caller's transaction, a rolled-back
creation also rolls back its number: none is burned.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, *, on: datetime.date | None = None) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the creating transaction")
    day = on or timezone.localdate()
    period = day.strftime("%Y%m")
    last = _increment(prefix, period)
    if last is None:
        NumberSequence.objects.bulk_create(
            [NumberSequence(prefix=prefix, period=period, last=0)], ignore_conflicts=True
        )
        last = _increment(prefix, period)
    return f"{prefix}{period}{last:04d}"


def _increment(prefix: str, period: str) -> int | None:
    """The counter one up, or None when the month has no counter row yet."""
    quote = connection.ops.quote_name
    table, last = quote(NumberSequence._meta.db_table), quote("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {quote('prefix')} = %s AND {quote('period')} = %s "
            f"RETURNING {last}",
            [prefix, period],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]
