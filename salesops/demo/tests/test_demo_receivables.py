"""The demo's money (W5, W6, R2, R9-R11): receivables documents in every state the demo promises,
dated over the last months, numbered without gaps, adding up for every customer, and the money
work waiting for the demo's finance clerk, salesperson and sales office."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from stdnum.cn import uscc

from salesops.compliance.models import Violation
from salesops.expenses.models import CollectionPermit, PermitState
from salesops.fulfilment.models import OrderLine
from salesops.org.calendar import load as load_calendar
from salesops.org.models import Company, User
from salesops.org.roles import Role
from salesops.receivables.models import (
    Allocation,
    CheckDifference,
    DailyCheck,
    DailyCheckState,
    Invoice,
    InvoiceBalance,
    InvoiceDispatch,
    InvoiceLine,
    InvoiceRequest,
    InvoiceRequestLine,
    InvoiceRequestState,
    OrderAccount,
    PaymentRequest,
    PaymentRequestState,
    Receipt,
    ReceiptBalance,
    RedFormState,
    RedInvoiceForm,
    SendMethod,
)
from salesops.receivables.selectors import customer_account
from salesops.workflow.models import ApprovalStep, StepStatus

pytestmark = pytest.mark.django_db

MONEY_DOCUMENTS = (InvoiceRequest, Invoice, Receipt, PaymentRequest, RedInvoiceForm)
ZERO = Decimal("0")


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=io.StringIO())


def _states(model) -> set[str]:
    return set(model.objects.values_list("state", flat=True))


def _pending_roles(doc) -> set[str]:
    return set(
        ApprovalStep.objects.filter(
            content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk, status=StepStatus.PENDING
        ).values_list("role", flat=True)
    )


def _bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "not due"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    return "61-90" if days_past_due <= 90 else "over 90"


def test_money_documents_in_every_state_dated_over_the_last_months(loaded):
    today = timezone.localdate()
    # invoice requests: waiting for review (at a sales manager), returned, reviewed and waiting for
    # finance, invoiced and waiting to be archived, archived
    assert _states(InvoiceRequest) == {"pending", "rejected", "approved", "invoiced", "archived"}
    for request in InvoiceRequest.objects.filter(state=InvoiceRequestState.PENDING):
        assert _pending_roles(request) == {Role.SALES_MANAGER}

    # invoices: open, partly paid and paid; overdue in every ageing bucket and one not due yet
    blue = Invoice.objects.filter(red_of__isnull=True).select_related("balance", "request")
    assert blue.count() >= 12 and {i.state for i in blue} == {"issued"}
    paid = {"open": 0, "partly": 0, "paid": 0}
    buckets = set()
    for invoice in blue:
        balance = invoice.balance
        left = balance.total - balance.reversed
        paid["open" if balance.allocated == 0 else "paid" if balance.open_amount == 0 else "partly"] += 1
        if balance.open_amount > 0:
            buckets.add(_bucket((today - invoice.due_on).days))
        assert InvoiceDispatch.objects.filter(invoice=invoice).exists(), invoice  # R9: each went out
        assert 0 <= balance.allocated <= left
    assert all(paid.values()), paid
    assert buckets == {"not due", "1-30", "31-60", "61-90", "over 90"}
    assert InvoiceDispatch.objects.filter(method=SendMethod.HAND).exclude(signed_by="").exists()

    # an advance invoice (预开票): invoiced before anything of its contract was delivered
    advance = blue.get(request__advance=True)
    assert not OrderLine.objects.filter(contract=advance.contract_id, delivered__gt=0).exists()

    # the red invoice of a returned delivery, from a confirmed partial form; a buyer-raised form to
    # confirm within 72 hours
    red = Invoice.objects.get(red_of__isnull=False)
    form = RedInvoiceForm.objects.get(red_invoice=red)
    assert form.state == RedFormState.ISSUED and form.return_request.state == "done" and not form.full
    assert red.total_amount == -form.total_amount and red.issued_on >= red.red_of.issued_on
    waiting = RedInvoiceForm.objects.get(state=RedFormState.AWAITING_US)
    assert waiting.initiator == "buyer" and waiting.blue.use_confirmed
    assert timezone.now() < waiting.confirm_by <= waiting.raised_at + datetime.timedelta(hours=72)

    # receipts: transfers, a cheque collected under the dealer's approved permit, cash collected
    # without one (R2); money left unallocated; an allocation reversed with its reason; a prepayment
    assert {"transfer", "cheque", "cash"} <= set(Receipt.objects.values_list("method", flat=True))
    cheque = Receipt.objects.get(method="cheque", collected_by__isnull=False)
    assert CollectionPermit.objects.filter(
        owner=cheque.collected_by, customer=cheque.customer, state=PermitState.APPROVED
    ).exists()
    cash = Receipt.objects.get(method="cash", collected_by__isnull=False)
    assert not CollectionPermit.objects.filter(
        owner=cash.collected_by, customer=cash.customer, state=PermitState.APPROVED
    ).exists()
    assert Violation.objects.filter(rule_code="R2", subject_number=cash.number).exists()
    assert not Violation.objects.filter(rule_code="R2", subject_number=cheque.number).exists()
    credit = ReceiptBalance.objects.get(allocated=0)
    assert credit.amount > 0 and not credit.receipt.allocations.exists()
    reversed_ = Allocation.objects.get(reversed_at__isnull=False)
    assert reversed_.reverse_reason and reversed_.reversed_by.username == "finance1"
    moved = reversed_.receipt.allocations.active()
    assert (
        moved.exclude(invoice=reversed_.invoice).exists()
        and ReceiptBalance.objects.get(pk=reversed_.receipt_id).unallocated == 0
    )
    assert OrderAccount.objects.filter(prepaid__gt=0, contract__isnull=False).exists()

    # payment requests: at the sales manager, at finance, confirmed to send, sent
    pending = list(PaymentRequest.objects.filter(state=PaymentRequestState.PENDING))
    assert {frozenset(_pending_roles(p)) for p in pending} == {
        frozenset({Role.SALES_MANAGER}),
        frozenset({Role.FINANCE}),
    }
    assert _states(PaymentRequest) == {"pending", "approved", "sent"}
    sent = PaymentRequest.objects.get(state=PaymentRequestState.SENT)
    assert sent.sent_by and sent.sent_to and sent.sent_at

    # dated over the last months: the oldest invoice is more than 90 days old, the documents' numbers
    # carry the month they were made in, invoices the 20-digit number of their issue year, the
    # company's valid tax number as the seller's
    assert min(blue.values_list("issued_on", flat=True)) < today - datetime.timedelta(days=90)
    for model in MONEY_DOCUMENTS:
        for number, created in model.objects.values_list("number", "created_at"):
            assert number[2:8] == timezone.localtime(created).strftime("%Y%m"), number
    company = Company.current()
    assert uscc.is_valid(company.tax_number)
    for invoice in Invoice.objects.all():
        assert len(invoice.invoice_number) == 20 and invoice.invoice_number.isdigit()
        assert invoice.invoice_number[:2] == f"{invoice.issued_on.year % 100:02d}"
        assert invoice.seller_tax_id == company.tax_number and invoice.issued_on <= today


def test_numbers_are_gapless_and_the_money_adds_up_for_every_customer(loaded):
    for model in MONEY_DOCUMENTS:
        by_period = defaultdict(list)
        for number in model.objects.values_list("number", flat=True):
            by_period[number[:8]].append(int(number[8:]))
        assert by_period, model
        for period, serials in by_period.items():
            assert sorted(serials) == list(range(1, len(serials) + 1)), period

    # each balance row agrees with the rows it counts
    active = Allocation.objects.active()
    for balance in InvoiceBalance.objects.all():
        paid = active.filter(invoice=balance.invoice_id).aggregate(s=Sum("amount"))["s"] or ZERO
        red = Invoice.objects.filter(red_of=balance.invoice_id).aggregate(s=Sum("total_amount"))["s"] or ZERO
        assert (balance.allocated, balance.reversed) == (paid, -red), balance.invoice_id
    for balance in ReceiptBalance.objects.all():
        assert balance.allocated == (active.filter(receipt=balance.receipt_id).aggregate(s=Sum("amount"))["s"] or ZERO)
    for account in OrderAccount.objects.all():
        assert account.prepaid == (active.filter(order=account).aggregate(s=Sum("amount"))["s"] or ZERO)

    # for each customer: invoiced − red − allocated = what is open on its invoices − its prepayments
    finance = User.objects.get(username="finance1")
    customers = set(Invoice.objects.values_list("customer_id", flat=True))
    customers |= set(Receipt.objects.values_list("customer_id", flat=True))
    for customer_id in customers:
        account = customer_account(user=finance, customer_id=customer_id)
        open_ = (
            InvoiceBalance.objects.filter(invoice__customer_id=customer_id).aggregate(
                s=Sum("total") - Sum("reversed") - Sum("allocated")
            )["s"]
            or ZERO
        )
        prepaid = OrderAccount.objects.filter(customer_id=customer_id).aggregate(s=Sum("prepaid"))["s"] or ZERO
        assert account.balance == open_ - prepaid, customer_id
        assert account.unallocated >= 0

    # each sold line's invoiced quantity: what live requests asked, less what red invoices gave back
    live = InvoiceRequestLine.objects.exclude(request__state=InvoiceRequestState.CANCELLED)
    for line in OrderLine.objects.filter(invoiced__gt=0):
        asked = live.filter(order_line=line).aggregate(s=Sum("quantity"))["s"] or ZERO
        back = (
            InvoiceLine.objects.filter(invoice__red_of__isnull=False, order_line=line).aggregate(s=Sum("quantity"))["s"]
            or ZERO
        )
        assert line.invoiced == asked + back, line.pk  # red quantities are negative


def test_the_daily_check_is_closed_on_every_working_day_since_the_first_receipt_but_one(loaded):
    today = timezone.localdate()
    calendar = load_calendar()
    first = min(timezone.localtime(at).date() for at in Receipt.objects.values_list("created_at", flat=True))
    assert first < today - datetime.timedelta(days=28)
    days = []
    day = first
    while day < today:
        if calendar.is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    checks = {check.day: check for check in DailyCheck.objects.all()}
    missed = [day for day in days if day not in checks]
    assert len(missed) == 1
    assert Violation.objects.filter(rule_code="R11", period=missed[0].isoformat()).exists()
    for day in days:
        check = checks.get(day)
        if check is None:
            continue
        assert check.state == DailyCheckState.CLOSED, day
        assert timezone.localtime(check.closed_at).date() == day  # closed the same day (R11)
        assert check.office_confirmed_by.username == "office1" and check.finance_confirmed_by.username == "finance1"
        assert check.receipt_count == Receipt.objects.filter(received_on=day).count()
    assert not DailyCheck.objects.filter(day__lt=first).exists() and today not in checks
    difference = CheckDifference.objects.get()
    assert difference.resolved_at and difference.resolution and difference.receipt.collected_by_id


def _waiting_at(user, model) -> set[str]:
    """Numbers of ``model`` documents whose pending approval step waits for ``user`` (by name or role)."""
    steps = ApprovalStep.objects.filter(
        content_type=ContentType.objects.get_for_model(model), status=StepStatus.PENDING
    )
    ids = [s.object_id for s in steps if s.approver_id == user.pk or (s.approver_id is None and s.role in user.roles)]
    return set(model.objects.visible_to(user).filter(pk__in=ids).values_list("number", flat=True))


def test_the_demo_users_find_their_money_work(loaded):
    # Asserted on the documents and their approval steps (My tasks reads the same rows).
    users = {u.username: u for u in User.objects.filter(username__in=["finance1", "sales1", "office1", "manager2"])}
    finance, sales, office = users["finance1"], users["sales1"], users["office1"]

    def seen(user, model, **where):
        return model.objects.visible_to(user).filter(**where)

    # finance: a reviewed request to invoice, a payment request to confirm, a buyer's form to confirm
    assert seen(finance, InvoiceRequest, state=InvoiceRequestState.APPROVED).exists()
    assert _waiting_at(finance, PaymentRequest)
    assert seen(finance, RedInvoiceForm, state=RedFormState.AWAITING_US).exists()
    assert seen(finance, Receipt).count() == Receipt.objects.count()
    # the salesperson: a request returned to correct, a confirmed payment request to send, invoices
    # of their own customers to chase
    assert seen(sales, InvoiceRequest, state=InvoiceRequestState.REJECTED, owner=sales).exists()
    assert seen(sales, PaymentRequest, state=PaymentRequestState.APPROVED, owner=sales).exists()
    overdue = seen(sales, Invoice, red_of__isnull=True, due_on__lt=timezone.localdate()).select_related("balance")
    assert [i for i in overdue if i.balance.open_amount > 0]
    assert not seen(sales, Invoice).exclude(customer__owner=sales).exists()
    # the sales office: an invoiced request to archive (R10), the days' receipts to check with finance
    assert seen(office, InvoiceRequest, state=InvoiceRequestState.INVOICED).exists()
    assert DailyCheck.objects.visible_to(office).count() == DailyCheck.objects.count() > 0
    # a branch's sales manager: an invoice request to review and a payment request to confirm
    assert _waiting_at(users["manager2"], InvoiceRequest) and _waiting_at(users["manager2"], PaymentRequest)
