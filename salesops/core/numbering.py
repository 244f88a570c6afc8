"""Gapless document numbers: ``<PREFIX><YYYYMM><NNNN>`` per prefix and month.

The counter row is created if missing and then locked (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite runs write transactions as IMMEDIATE, which serialises
writers). Because the increment happens inside the caller's transaction, a
rolled-back creation also rolls back its number: none is burned.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, *, on: datetime.date | None = None) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the creating transaction")
    day = on or timezone.localdate()
    period = day.strftime("%Y%m")
    NumberSequence.objects.bulk_create([NumberSequence(prefix=prefix, period=period, last=0)], ignore_conflicts=True)
    NumberSequence.objects.filter(prefix=prefix, period=period).update(last=F("last") + 1)
    seq = NumberSequence.objects.select_for_update().get(prefix=prefix, period=period)
    return f"{prefix}{period}{seq.last:04d}"
