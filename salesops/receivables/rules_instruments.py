"""R12 as the compliance engine checks it (registered in ``ReceivablesConfig.ready``): a cheque,
bill or draft received is handed to finance and signed for (签收) the same working day.

The deadline is the end of the working day it was received on (org calendar, with 调休); one
received on a day off is due by the end of the next working day (``working_day_deadline(day, 0)``):
received on a Friday and signed on Monday is late. Days in a year without the official holiday
arrangement are counted on the provisional calendar and the violation says so. The breach is the
receiving salesperson's (who held it). Parts split off a bill are not checked (the bill received
is); a registration voided as an error is not an instrument.

One query over the window, plus the calendar when something was found.
"""

import datetime

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity

from .models.instruments import Instrument, InstrumentState

DAY = datetime.timedelta(days=1)
# How far before the window an instrument may have been received and still fall due inside it.
SLACK = datetime.timedelta(days=14)


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _received(window: CheckWindow, *, first: datetime.date, last: datetime.date):
    rows = Instrument.objects.filter(
        parent__isnull=True, received_at__date__gte=first, received_at__date__lte=last
    ).exclude(state=InstrumentState.VOIDED)
    rows = rows.filter(pk__in=window.ids) if window.ids is not None else rows
    return rows.values("pk", "number", "received_by_id", "received_at", "signed_at", "kind", "amount")


def instruments_signed_late(window: CheckWindow):
    """Signed after the end of the working day they were received on, or not signed once it has
    passed: one breach per instrument, the receiver's, on the first day it was late."""
    rows = _received(window, first=window.since - SLACK, last=window.today).filter(
        Q(signed_at=None) | Q(signed_at__date__gt=TruncDate("received_at"))
    )
    for row in rows:
        received = _local_day(row["received_at"])
        if received is None:
            continue
        due, provisional = window.deadline(received, 0)
        signed = _local_day(row["signed_at"])
        if (signed if signed is not None else window.today) <= due or not window.since <= due + DAY <= window.today:
            continue
        yield Breach(
            person_id=row["received_by_id"],
            occurred_on=due + DAY,
            subject_model=Instrument,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=(
                _("Received %(received)s, to sign by %(due)s, signed %(signed)s")
                if signed
                else _("Received %(received)s, to sign by %(due)s, not signed")
            )
            % {"received": received, "due": due, "signed": signed},
            provisional=provisional,
        )


def instruments_to_sign(window: CheckWindow):
    """Not signed yet and due by the horizon: the salesperson's to do today."""
    rows = _received(window, first=window.today - SLACK, last=window.horizon).filter(state=InstrumentState.PENDING_SIGN)
    for row in rows:
        received = _local_day(row["received_at"])
        if received is None:
            continue
        due, provisional = window.deadline(received, 0)
        if not window.today <= due <= window.horizon:
            continue
        yield Breach(
            person_id=row["received_by_id"],
            occurred_on=due,
            subject_model=Instrument,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("Received %(received)s: have finance sign for it by %(due)s") % {"received": received, "due": due},
            provisional=provisional,
        )


def _may_be_late(instrument: Instrument) -> bool:
    """After the usual registration or signature, the same day, no query runs."""
    if instrument.parent_id is not None:
        return False
    received = _local_day(instrument.received_at)
    done = _local_day(instrument.signed_at) or timezone.localdate()
    return received is not None and done > received


R12 = RuleCheck(
    code="R12",
    title=gettext_lazy("Cheques, acceptance bills and drafts received are signed for by finance the same day"),
    text_zh="对于收到的支票、承兑汇票和银行汇票,营业部应于当日将相关票据提交财务部签字",
    severity=Severity.MODERATE,
    find=instruments_signed_late,
    at_risk=instruments_to_sign,
    watches={"receivables.instrument": ("create", "sign")},
    suspect=_may_be_late,
)

RULES = (R12,)
