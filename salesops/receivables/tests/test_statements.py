"""Statements of account (R13): prepared on two bases, frozen, sent, replied agreed or disagreed."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.core.errors import InvalidInput
from salesops.fulfilment.tests.helpers import scan
from salesops.receivables import services
from salesops.receivables.models import Statement, StatementState
from salesops.workflow.models import Attachment, Notification

from .helpers import Sale

pytestmark = pytest.mark.django_db


def _campaign(staff):
    run = services.statement_run_create(actor=staff.finance, period_end=timezone.localdate())
    services.statements_prepare(actor=staff.finance, run=run)
    return run


def test_a_statement_shows_both_bases_and_what_was_delivered_not_invoiced(staff):
    sale = Sale(staff)
    invoice = sale.invoice(sale.approved_invoice_request(lines=[(0, "10")]))  # the pumps only
    sale.receipt("1000.00")
    voided = sale.receipt("50.00", allocate="none")
    services.receipt_void(receipt=voided, actor=staff.finance, reason="重复录入")
    run = _campaign(staff)
    statement = Statement.objects.get(run=run, customer=sale.customer)
    delivered = sum(line.quantity * line.unit_price for line in sale.order_lines())
    assert (statement.opening_by_delivery, statement.opening_by_invoice) == (0, 0)
    assert statement.closing_by_delivery == delivered - Decimal("1000.00")
    assert statement.closing_by_invoice == invoice.total_amount - Decimal("1000.00")
    valve = sale.order_lines()[1]
    assert statement.delivered_not_invoiced == valve.quantity * valve.unit_price
    kinds = [entry["kind"] for entry in statement.entries]
    assert kinds.count("outbound") == 1 and kinds.count("invoice") == 1 and kinds.count("receipt") == 1
    assert voided.number not in {entry["number"] for entry in statement.entries}
    # a second run of the campaign prepares nothing twice
    assert services.statements_prepare(actor=staff.finance, run=run) == 0


def test_an_agreed_reply_needs_the_stamped_scan_and_is_reported(staff):
    sale = Sale(staff)
    sale.invoice()
    statement = Statement.objects.get(run=_campaign(staff), customer=sale.customer)
    statement = services.statement_send(statement=statement, actor=sale.owner, method="email", sent_to="cw@example.cn")
    assert statement.state == StatementState.SENT and statement.reply_due > timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        services.statement_reply(
            statement=statement, actor=sale.owner, agreed=True, replied_on=timezone.localdate(), signatory="李会计"
        )
    assert set(refused.value.extra["fields"]) == {"scan"}
    assert Statement.objects.get(pk=statement.pk).state == StatementState.SENT
    done = services.statement_reply(
        statement=statement,
        actor=sale.owner,
        agreed=True,
        replied_on=timezone.localdate(),
        signatory="李会计",
        scan=scan(),
    )
    assert done.state == StatementState.AGREED
    kind = ContentType.objects.get_for_model(Statement)
    assert Attachment.objects.filter(content_type=kind, object_id=done.pk).count() == 1
    told = set(Notification.objects.filter(text__contains=done.number).values_list("user_id", flat=True))
    assert {staff.finance.pk, sale.owner.manager_id} <= told


def test_a_disagreed_reply_records_the_differences(staff):
    sale = Sale(staff)
    sale.invoice()
    statement = Statement.objects.get(run=_campaign(staff), customer=sale.customer)
    statement = services.statement_send(
        statement=statement, actor=staff.back_office, method="post", sent_to="客户财务部"
    )
    with pytest.raises(InvalidInput):
        services.statement_reply(
            statement=statement, actor=sale.owner, agreed=False, replied_on=timezone.localdate(), signatory="李会计"
        )
    done = services.statement_reply(
        statement=statement,
        actor=sale.owner,
        agreed=False,
        replied_on=timezone.localdate(),
        signatory="李会计",
        differences=[{"item": "发票 2637…", "ours": "11,300.00", "theirs": "10,300.00", "note": "少记一笔"}],
    )
    assert done.state == StatementState.DISAGREED and done.differences[0]["theirs"] == "10,300.00"
