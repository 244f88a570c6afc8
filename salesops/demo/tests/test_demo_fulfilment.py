"""The demo's deliveries (W4, W8, R7): every state of the delivery documents, dated over the last
weeks, and the delivery work waiting in the demo staff's My tasks."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from salesops.fulfilment.models import (
    Confirmation,
    ConfirmationLine,
    ConfirmationState,
    DeliveryNote,
    NoteState,
    Outbound,
    OutboundState,
    RedNoteState,
    Requisition,
    RequisitionState,
    ReturnKind,
    ReturnRequest,
    ReturnState,
    ShipmentDelay,
)
from salesops.fulfilment.selectors import stock_drift
from salesops.org.models import User
from salesops.workflow.inbox import my_tasks
from salesops.workflow.models import ApprovalStep, DocumentEvent, StepStatus

pytestmark = pytest.mark.django_db

DELIVERY_PREFIXES = ("XQ", "FH", "CK", "QS", "TH", "HZ", "YC")


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=io.StringIO())


def _states(model) -> set[str]:
    return set(model.objects.values_list("state", flat=True))


def _pending_at(requisition: Requisition) -> ApprovalStep:
    return ApprovalStep.objects.select_related("approver").get(
        content_type=ContentType.objects.get_for_model(Requisition),
        object_id=requisition.pk,
        status=StepStatus.PENDING,
    )


def test_deliveries_in_every_state_dated_over_the_last_weeks(loaded):
    # requisitions: pending at the branch manager, at a branch's sales manager after the branch
    # manager, at the head office's sales manager; one approved and waiting for its note; archived
    pending = Requisition.objects.filter(state=RequisitionState.PENDING).select_related("owner")
    at = {_pending_at(r).approver.username: r for r in pending}
    assert set(at) == {"branchmgr1", "manager2", "manager1"}
    assert at["branchmgr1"].from_branch and at["manager2"].from_branch and not at["manager1"].from_branch
    assert _states(Requisition) == {RequisitionState.PENDING, RequisitionState.APPROVED, RequisitionState.ARCHIVED}
    assert Requisition.objects.filter(state=RequisitionState.APPROVED, lines__noted=0).exists()  # to issue

    # notes: to ship, partly shipped, shipped, closed short with the reason, voided and reissued
    assert _states(DeliveryNote) == set(NoteState.values)
    partly = DeliveryNote.objects.get(state=NoteState.PARTLY)
    assert partly.outbounds.get().short_reason
    assert DeliveryNote.objects.get(state=NoteState.CLOSED).close_reason
    voided = DeliveryNote.objects.get(state=NoteState.VOIDED)
    assert voided.void_reason and voided.replaced_by.state == NoteState.SHIPPED

    # outbounds waiting for the customer's confirmation and confirmed; confirmations recorded (one with
    # a damaged unit and its follow-up open) and archived, each with the signed scan
    assert _states(Outbound) == set(OutboundState.values)
    assert _states(Confirmation) == set(ConfirmationState.values)
    open_follow_up = Confirmation.objects.get(follow_up_open=True)
    assert open_follow_up.has_discrepancies and ConfirmationLine.objects.filter(confirmation=open_follow_up).exists()
    assert all(c.state == ConfirmationState.ARCHIVED for c in Confirmation.objects.filter(follow_up_open=False))

    # a return back in stock, an exchange (red note and a new delivery note), a failed check, one to verify
    done = ReturnRequest.objects.filter(state=ReturnState.DONE)
    assert {r.kind for r in done} == {ReturnKind.RETURN, ReturnKind.EXCHANGE}
    assert all(r.red_notes.get().state == RedNoteState.RECEIVED for r in done)
    exchange = done.get(kind=ReturnKind.EXCHANGE)
    assert exchange.exchange_notes.get().outbounds.exists()
    failed = ReturnRequest.objects.get(state=ReturnState.FAILED)
    assert failed.verification and failed.verified_by.username == "tech1"
    assert ReturnRequest.objects.filter(state=ReturnState.CHECKED).exists()

    # shipment delays: one waiting for the manager, one accepted
    assert _states(ShipmentDelay) == {"pending", "accepted"}

    # dated over the last weeks: the documents and their audit trails alike; the stock ledger adds up
    today = timezone.localdate()
    created = sorted(timezone.localtime(at).date() for at in Requisition.objects.values_list("created_at", flat=True))
    assert created[0] <= today - datetime.timedelta(days=21) and created[-1] == today
    first = Requisition.objects.order_by("created_at").first()
    event = DocumentEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Requisition), object_id=first.pk, action="create"
    )
    assert timezone.localtime(event.at).date() == timezone.localtime(first.created_at).date()
    assert first.number[2:8] == timezone.localtime(first.created_at).strftime("%Y%m")
    assert stock_drift() == []


# What waits for whom: the warehouse's notes to ship, the office's note to issue and documents to
# archive, the approvals of the branch manager and the sales manager, the technical check.
WAITING = {
    "warehouse1": {"ship"},
    "office1": {"issue_note", "archive"},
    "branchmgr1": {"approval"},
    "manager1": {"approval"},
    "tech1": {"verify"},
}


def test_my_tasks_show_the_delivery_work_waiting_for_each(loaded):
    for username, kinds in WAITING.items():
        tasks = my_tasks(User.objects.get(username=username))

        delivery = [t for t in tasks if t.number.startswith(DELIVERY_PREFIXES)]

        assert kinds <= {t.kind for t in delivery}, (username, [(t.kind, t.number) for t in delivery])
        assert all(t.url.startswith("/fulfilment/") for t in delivery), username
