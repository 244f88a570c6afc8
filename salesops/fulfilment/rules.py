"""Fulfilment's rules, checked by the compliance engine (registered in ``FulfilmentConfig.ready``):
R7 ship within one working day of signing, R8 accurate delivery notes, R10 requisitions archived.

Each check reads its documents in one query over the window (plus the settings row for R10),
whatever their number; working-day deadlines come from the window's calendar. The breach of a
duty of the sales office is the office clerk's who did it late (the archiver, the issuer), else
the office's first active member (as W3.5 and R15).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.deals.models import Contract
from salesops.org.models import active_holders
from salesops.org.roles import Role
from salesops.workflow.models import DocumentEvent
from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity

from .models import DeliveryNote, FulfilmentSettings, NoteState, Outbound, Requisition, RequisitionState
from .selectors.due import DELIVERABLE, due_on, with_shipping

DAY = datetime.timedelta(days=1)
# How far before the window a document may start and still fall due inside it (a long holiday).
SLACK = datetime.timedelta(days=14)


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _office_person() -> int | None:
    """The sales office's first active member: whose a missed duty of the office is, when no clerk
    acted on the document."""
    return active_holders(Role.BACK_OFFICE).order_by("pk").values_list("pk", flat=True).first()


class _Office:
    """The office's first member, read once per check and only when needed."""

    def __init__(self) -> None:
        self._read = False
        self._pk: int | None = None

    def person(self, clerk: int | None = None) -> int | None:
        if clerk is not None:
            return clerk
        if not self._read:
            self._pk, self._read = _office_person(), True
        return self._pk


# -- R7: the goods ship within one working day of signing -----------------------------------------


def _contracts(window: CheckWindow):
    """Deliverable contracts; an on-event check (after an outbound was booked) its contract only."""
    rows = with_shipping(Contract.objects.filter(state__in=DELIVERABLE))
    if window.ids is not None:
        rows = rows.filter(pk__in=Outbound.objects.filter(pk__in=window.ids).values("note__requisition__contract"))
    return rows.values("pk", "number", "signed_on", "archived_by_id", "first_shipped_on", "accepted_until")


def contracts_shipped_late(window: CheckWindow):
    """Not shipped by the ship-by date (the first working day after signing), or by an accepted
    delay's later date. A delay accepted to a date and missed again is a second breach: each is
    keyed by the day it missed (``period``)."""
    since = window.since - SLACK
    rows = _contracts(window).filter(
        Q(signed_on__gte=since, signed_on__lt=window.today)
        | Q(accepted_until__gte=since, accepted_until__lt=window.today)
    )
    office = _Office()
    for row in rows:
        due, provisional = due_on(row["signed_on"], row["accepted_until"], window.calendar)
        shipped = row["first_shipped_on"]
        if (shipped is not None and shipped <= due) or not window.since <= due + DAY <= window.today:
            continue
        person = office.person(row["archived_by_id"])
        if person is None:
            continue
        yield Breach(
            person_id=person,
            occurred_on=due + DAY,
            subject_model=Contract,
            subject_id=row["pk"],
            subject_number=row["number"],
            period=due.isoformat(),
            detail=(
                _("Signed %(signed)s, due %(due)s, shipped %(shipped)s")
                if shipped
                else _("Signed %(signed)s, due %(due)s, not shipped")
            )
            % {"signed": row["signed_on"], "due": due, "shipped": shipped},
            provisional=provisional,
        )


def contracts_to_ship(window: CheckWindow):
    """Nothing shipped yet and due by the horizon (the sales office's to do)."""
    rows = (
        _contracts(window)
        .filter(first_shipped_on=None)
        .filter(
            Q(signed_on__gte=window.today - SLACK, signed_on__lt=window.horizon)
            | Q(accepted_until__gte=window.today, accepted_until__lte=window.horizon)
        )
    )
    office = _Office()
    for row in rows:
        due, provisional = due_on(row["signed_on"], row["accepted_until"], window.calendar)
        person = office.person(row["archived_by_id"])
        if person is None or not window.today <= due <= window.horizon:
            continue
        yield Breach(
            person_id=person,
            occurred_on=due,
            subject_model=Contract,
            subject_id=row["pk"],
            subject_number=row["number"],
            period=due.isoformat(),
            detail=_("Signed %(signed)s: ship it by %(due)s") % {"signed": row["signed_on"], "due": due},
            provisional=provisional,
        )


def _outbound_may_be_late(outbound: Any) -> bool:
    """After the usual outbound, booked by its note's ship-by date, no query runs."""
    note = outbound.note
    return note.ship_by is not None and outbound.shipped_on > note.ship_by


R7 = RuleCheck(
    code="R7",
    title=gettext_lazy("A signed contract ships within one working day"),
    text_zh="正式《销售合同》签订后,如无正当理由,售楼处应在一个工作日内组织发货",
    severity=Severity.MODERATE,
    find=contracts_shipped_late,
    at_risk=contracts_to_ship,
    watches={"fulfilment.outbound": ("create",)},
    suspect=_outbound_may_be_late,
)


# -- R8: delivery notes are accurate ---------------------------------------------------------------

VOID_ACTIONS = ("void", "reissue")


def _voided_notes(window: CheckWindow):
    """Notes voided (or corrected and reissued) in the window, with the day and time of the void."""
    voids = DocumentEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(DeliveryNote), object_id=OuterRef("pk"), action__in=VOID_ACTIONS
    )
    rows = (
        DeliveryNote.objects.filter(state=NoteState.VOIDED)
        .annotate(voided_at=Subquery(voids.order_by("at").values("at")[:1]))
        .filter(voided_at__date__gte=window.since, voided_at__date__lte=window.today)
    )
    return rows.filter(pk__in=window.ids) if window.ids is not None else rows


def notes_voided_from_the_warehouse(window: CheckWindow):
    """A void is always counted (``note_corrections``); it is also a violation for the manager to
    review when the wrong note had sat in the warehouse's queue past the working day it was issued.

    Why not every void: the regulation makes the sales office answer for a *loss* from a wrong
    note, and a note is voided only while nothing has shipped on it (the service refuses it after),
    so a correction the same working day, before the warehouse worked from it, costs nothing; it
    is the figure the manager watches. A wrong note the warehouse held on to for a day or more
    held up the picking and the shipment: that is the office's breach, the manager confirms or
    waives it (a customer's own change of address is waived with its reason)."""
    rows = _voided_notes(window).values("pk", "number", "issued_by_id", "created_at", "voided_at", "void_reason")
    for row in rows:
        issued = _local_day(row["created_at"])
        voided = _local_day(row["voided_at"])
        if issued is None or voided is None:
            continue
        due, provisional = window.deadline(issued, 0)
        if voided <= due:
            continue
        yield Breach(
            person_id=row["issued_by_id"],
            occurred_on=voided,
            subject_model=DeliveryNote,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("Issued %(issued)s, voided %(voided)s: %(reason)s")
            % {"issued": issued, "voided": voided, "reason": row["void_reason"]},
            provisional=provisional,
        )


def note_corrections(window: CheckWindow) -> dict[int, int]:
    """R8's figure per office clerk: the notes they issued that were voided or corrected and
    reissued in the window (one query; a month's figure is this over a month's window)."""
    rows = _voided_notes(window).values("issued_by_id").annotate(n=Count("pk"))
    return {row["issued_by_id"]: row["n"] for row in rows}


R8 = RuleCheck(
    code="R8",
    title=gettext_lazy("Sales delivery notes are detailed and accurate"),
    text_zh="销售后台出具的销售出库单内容要详细、准确。因开票内容不正确或错误造成损失的,由售楼处承担责任",
    severity=Severity.MINOR,
    find=notes_voided_from_the_warehouse,
    watches={"fulfilment.deliverynote": VOID_ACTIONS},
    # A note corrected on the day it was issued is counted, never a violation: no query.
    suspect=lambda note: timezone.localdate() > (_local_day(note.created_at) or timezone.localdate()),
    tally=note_corrections,
    tally_label=gettext_lazy("delivery notes voided or corrected"),
)


# -- R10: an approved requisition is archived within the configured working days -------------------


def _archive_days() -> int:
    days = FulfilmentSettings.objects.order_by("pk").values_list("archive_working_days", flat=True).first()
    return 1 if days is None else days


@dataclass(frozen=True)
class ArchiveDuty:
    """R10 for one document type: the sales office archives it within the configured working days
    of ``stamp`` (a requisition's approval, an invoice request's invoicing). ``archived_late`` and
    ``due`` are the rule's ``find`` and ``at_risk``; each reads the documents in one query. Archived
    late is the archiver's breach, not archived the office's first member's."""

    model: Any
    stamp: str
    waiting: str  # the state in which it waits to be archived
    late_text: Callable[[datetime.date, datetime.date, datetime.date | None], str]
    due_text: Callable[[datetime.date, datetime.date], str]
    exclude_states: tuple[str, ...] = ()

    def _rows(self, window: CheckWindow, *, first: datetime.date, last: datetime.date):
        rows = self.model.objects.filter(
            **{f"{self.stamp}__date__gte": first, f"{self.stamp}__date__lte": last}
        ).exclude(state__in=self.exclude_states)
        rows = rows.filter(pk__in=window.ids) if window.ids is not None else rows
        return rows.values("pk", "number", self.stamp, "archived_at", "archived_by_id")

    def archived_late(self, window: CheckWindow):
        days = _archive_days()
        rows = self._rows(window, first=window.since - SLACK - DAY * days * 2, last=window.today).filter(
            Q(archived_at=None) | Q(archived_at__date__gt=TruncDate(self.stamp))
        )
        office = _Office()
        for row in rows:
            start = _local_day(row[self.stamp])
            if start is None:
                continue
            due, provisional = window.deadline(start, days)
            archived = _local_day(row["archived_at"])
            if (archived if archived is not None else window.today) <= due or due + DAY < window.since:
                continue
            person = office.person(row["archived_by_id"] if archived is not None else None)
            if person is None:
                continue
            yield Breach(
                person_id=person,
                occurred_on=due + DAY,
                subject_model=self.model,
                subject_id=row["pk"],
                subject_number=row["number"],
                detail=self.late_text(start, due, archived),
                provisional=provisional,
            )

    def due(self, window: CheckWindow):
        days = _archive_days()
        rows = self._rows(window, first=window.today - SLACK - DAY * days * 2, last=window.horizon).filter(
            state=self.waiting
        )
        office = _Office()
        for row in rows:
            start = _local_day(row[self.stamp])
            if start is None:
                continue
            due, provisional = window.deadline(start, days)
            person = office.person()
            if person is None or not window.today <= due <= window.horizon:
                continue
            yield Breach(
                person_id=person,
                occurred_on=due,
                subject_model=self.model,
                subject_id=row["pk"],
                subject_number=row["number"],
                detail=self.due_text(start, due),
                provisional=provisional,
            )


REQUISITIONS_ARCHIVED = ArchiveDuty(
    Requisition,
    stamp="approved_at",
    waiting=RequisitionState.APPROVED,
    exclude_states=(RequisitionState.CANCELLED,),
    late_text=lambda approved, due, archived: (
        (
            _("Approved %(approved)s, due %(due)s, archived %(archived)s")
            if archived
            else _("Approved %(approved)s, due %(due)s, not archived")
        )
        % {"approved": approved, "due": due, "archived": archived}
    ),
    due_text=lambda approved, due: (
        _("Approved %(approved)s: archive it by %(due)s") % {"approved": approved, "due": due}
    ),
)
requisitions_archived_late = REQUISITIONS_ARCHIVED.archived_late
requisitions_to_archive = REQUISITIONS_ARCHIVED.due


R10 = RuleCheck(
    code="R10",
    title=gettext_lazy("Goods requisitions are archived promptly"),
    text_zh="所有出站申请和发票申请应及时归档",
    severity=Severity.MINOR,
    find=requisitions_archived_late,
    at_risk=requisitions_to_archive,
    watches={"fulfilment.requisition": ("archive",)},
    # Archived on the approval day is never late (a later day may still be in time).
    suspect=lambda requisition: _local_day(requisition.archived_at) != _local_day(requisition.approved_at),
)

RULES = (R7, R8, R10)
