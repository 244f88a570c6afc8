"""Demo receivables (W5, W6, R2, R9-R11): the money of the demo's sales, through the receivables
services, by the demo staff, dated over the last months.

Most stories bill the contracts the fulfilment demo delivered (those the customer signed for, with
no damage open), each from the day after its last confirmation or goods back; a few sales of their
own reach further back, for invoices overdue in every ageing bucket (30, 60, 90 days and more, on
payment terms due on delivery, within 30 days, or at a dealer's credit days), a return of invoiced
goods, a prepayment and the dealers' money the salespeople collected. The stories are played like
the fulfilment demo's (``clock.play``): each step as of its working day, so numbers, audit trails,
the invoice dates and the daily checks read as the weeks went.

What the stories leave: invoice requests waiting for the sales manager's review, one returned for
correction, one reviewed and waiting for finance, one invoiced and waiting for the sales office to
archive it, the rest archived; invoices open, partly paid, paid, overdue, one advance invoice
(预开票) and one red invoice; receipts by transfer, a cheque a salesperson collected under the
dealer's permit and cash collected without one (R2), money left unallocated (the customer's
credit), an allocation reversed with its reason, a prepayment; payment requests at the manager, at
finance, confirmed to send and sent; a red-invoice form the buyer raised, to confirm within 72
hours; the daily collection check closed on every working day since the first receipt but one
(R11), with a difference found and resolved.
"""

import datetime
import random
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.catalog.models import Product, Warehouse
from salesops.customers.models import Customer, CustomerKind
from salesops.deals.bench import SCAN_PDF
from salesops.deals.choices import PaymentTerms
from salesops.deals.lines import LineIn
from salesops.deals.models import Contract
from salesops.deals.selectors.register import period_of, previous_period
from salesops.deals.services import contracts, quotations
from salesops.deals.services.register import register_submit
from salesops.fulfilment import services as delivery
from salesops.fulfilment.models import Confirmation, OrderLine, Outbound, RedNote, ReturnKind
from salesops.fulfilment.services import Pick
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.receivables import services
from salesops.receivables.models import Invoice, InvoiceBalance, InvoiceRequest, PaymentRequest, Receipt, SendMethod
from salesops.receivables.services import Asked, RedPick, Target
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on

from .clock import Story, play, working_days_back
from .fulfilment import _delivered
from .orders import SHIPS_FROM, Demo, Order, approve_all

DAYS_BACK = 110  # working days: the oldest sale is signed about four months ago
STOCK_EACH = 10
# Who approves a requisition of a salesperson of each branch (as the fulfilment demo routes them).
REQUISITION_APPROVERS = {"HQ": ("manager1",), "QD": ("branchmgr1", "manager2"), "YT": ("manager1",)}
# Who decides an approval step routed to a role rather than a person.
ROLE_DECIDERS = {Role.FINANCE: "finance1", Role.LEADERSHIP: "boss"}
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
# R11: the working day (counted back) whose check the office missed, and the day a difference was found.
MISSED_CHECK = 5
DIFFERENCE_DAY = 3

# Step of an invoice-request story: (request, invoice) once invoiced.
Billing = Generator[int, None, tuple[InvoiceRequest, Invoice]]


@dataclass
class Books:
    """What every money story reads: the demo (staff, generator, working days back), the customers
    already in a story (so each story's money stays its own), and the platform's invoice numbers."""

    demo: Demo
    today: datetime.date
    serial: int
    used: set[int] = field(default_factory=set)

    def user(self, name: str) -> User:
        return self.demo.users[name]

    @property
    def finance(self) -> User:
        return self.user("finance1")

    @property
    def office(self) -> User:
        return self.user("office1")

    def ago(self, calendar_days: int) -> int:
        """The working day (counted back) on or before ``calendar_days`` ago."""
        target = self.today - datetime.timedelta(days=calendar_days)
        return next(n for n, day in enumerate(self.demo.days) if day <= target)

    def invoice_number(self, issued_on: datetime.date) -> str:
        """The next 20-digit 数电 number: the issue year, Shandong (37), the channel, a sequence the
        platform gives out (other sellers take the numbers between)."""
        self.serial += self.demo.rng.randint(3, 60)
        return f"{issued_on.year % 100:02d}372{self.serial:015d}"

    def customer(self, owner: str, kind: str, *, longest_credit: bool = False) -> Customer:
        """One of the salesperson's customers of ``kind`` in no story yet (the longest credit days
        first, or drawn)."""
        found = [
            c
            for c in Customer.objects.filter(owner__username=owner, kind=kind).order_by("code")
            if c.pk not in self.used
        ]
        chosen = max(found, key=lambda c: c.credit_days) if longest_credit else self.demo.rng.choice(found)
        self.used.add(chosen.pk)
        return chosen

    def permit_dealer(self, owner: str) -> Customer:
        """The dealer the company demo raised the salesperson's collection permit for (the first by code)."""
        dealer = Customer.objects.filter(owner__username=owner, kind=CustomerKind.DEALER).order_by("code").first()
        if dealer is None:
            raise RuntimeError(f"demo salesperson {owner} has no dealer")
        self.used.add(dealer.pk)
        return dealer

    def decider(self, doc) -> User:
        step = current_step(doc)
        if step.approver is not None:
            return step.approver
        name = ROLE_DECIDERS.get(step.role)
        return self.user(name) if name else doc.owner.manager


def load_demo_receivables(*, rng: random.Random, users: dict[str, User], today: datetime.date) -> int:
    """Play every money story; return how many were told."""
    books = Books(
        demo=Demo(
            users=users,
            rng=rng,
            days=working_days_back(today, DAYS_BACK),
            products=[],
            warehouses={w.code: w for w in Warehouse.objects.all()},
        ),
        today=today,
        serial=rng.randint(10**8, 10**9),
    )
    delivered = delivered_contracts(books)
    books.used |= {d.contract.customer_id for d in delivered}
    first_theirs = Contract.objects.filter(signed_on__isnull=False).order_by("signed_on").first()
    registers = contract_registers(books, before=period_of(first_theirs.signed_on if first_theirs else today))
    stories = [
        *(story(books) for story in OWN_STORIES),
        *(story(books, d) for story, d in assign(delivered)),
        *advance_invoiced(books),
    ]
    # The goods first, the daily checks last: each day is checked after its receipts.
    play([stock_up(books), registers, *stories, daily_checks(books)], books.demo.days)
    return len(stories)


# Steps every story takes, one service call each, as the person the regulation names.


def signed(books: Books, owner: str, customer: Customer, lines: Sequence[tuple[str, int]], terms: str = "") -> Order:
    """A contract of the salesperson's for ``lines`` (product code, quantity) at list price on
    ``terms`` (due on delivery by default), signed and archived today (as of the step's day)."""
    demo = books.demo
    seller = demo.user(owner)
    products = {p.code: p for p in Product.objects.filter(code__in=[code for code, _ in lines])}
    today = timezone.localdate()
    terms = terms or PaymentTerms.ON_DELIVERY
    note = f"货到开票后 {customer.credit_days} 天内付清（经销商信用期）" if terms == PaymentTerms.OTHER else ""
    quotation = quotations.quotation_create(
        actor=seller,
        customer_id=customer.pk,
        valid_until=today + datetime.timedelta(days=30),
        lines=[LineIn(products[code].pk, Decimal(q), products[code].standard_price) for code, q in lines],
        payment_terms=terms,
        payment_terms_note=note,
        delivery_time="合同签订后次日发货",
        delivery_place=customer.address or "客户仓库",
        warranty="一年",
    )
    quotation = approve_all(quotations.quotation_submit(quotation=quotation, actor=seller), demo)
    quotation = quotations.quotation_issue(quotation=quotation, actor=seller)
    contract = contracts.contract_draft_from_quotation(actor=seller, quotation=quotation)
    contract = approve_all(contracts.contract_submit(actor=seller, contract=contract), demo)
    scan = SimpleUploadedFile("signed-contract.pdf", SCAN_PDF, content_type="application/pdf")
    contract = contracts.contract_sign(actor=seller, contract=contract, signed_on=today, scan=scan)
    order = Order(demo, seller, customer)
    order.contract = contracts.contract_archive(actor=books.office, contract=contract)
    return order


def delivered_on(books: Books, order: Order, day: int) -> Story:
    """Signed on ``day``, delivered as the fulfilment demo delivers (goods out the next working day,
    confirmed two days later, archived the day after: ``day - 4``)."""
    yield from _delivered(order, day, *REQUISITION_APPROVERS[order.owner.branch.code])


def ask(owner: User, contract: Contract, *, lines: Sequence[Pick] | None = None, **extra) -> InvoiceRequest:
    """The salesperson's invoice request for ``lines`` (None: all delivered and not invoiced), submitted."""
    request = services.invoice_request_create(actor=owner, contract_id=contract.pk, lines=lines, **extra)
    return services.invoice_request_submit(request=request, actor=owner)


def reviewed(books: Books, request: InvoiceRequest) -> InvoiceRequest:
    """Every approval step of the request decided by whoever it waits for (W6.2)."""
    while current_step(request) is not None:
        request = services.invoice_request_approve(request=request, actor=books.decider(request))
    return request


def invoiced(books: Books, request: InvoiceRequest, *, handed_to: str = "") -> Invoice:
    """Finance records the invoice the platform issued today and registers how it went (R9): to the
    buyer's tax account, by e-mail, or a printed copy handed over and signed for."""
    issued_on = timezone.localdate()
    invoice = services.invoice_record(
        actor=books.finance, request=request, invoice_number=books.invoice_number(issued_on), issued_on=issued_on
    )
    if handed_to:
        method, sent_to = SendMethod.HAND, request.customer.name
    elif invoice.buyer_tax_id:
        method, sent_to = SendMethod.TAX_ACCOUNT, f"{invoice.buyer_title}（{invoice.buyer_tax_id}）"
    elif invoice.buyer_email:
        method, sent_to = SendMethod.EMAIL, invoice.buyer_email
    else:
        method, sent_to, handed_to = SendMethod.HAND, request.customer.name, request.customer.decision_maker
    services.invoice_dispatch_record(
        actor=books.finance, invoice=invoice, method=method, sent_to=sent_to, signed_by=handed_to or ""
    )
    return invoice


def archived(books: Books, request: InvoiceRequest) -> InvoiceRequest:
    return services.invoice_request_archive(request=request, actor=books.office)


def billed(books: Books, contract: Contract, day: int, *, handed_to: str = "", **extra) -> Billing:
    """From ``day`` (the story is on it): asked for and reviewed that day, invoiced the next working
    day, archived the day after (R10)."""
    request = reviewed(books, ask(contract.owner, contract, **extra))
    yield day - 1
    invoice = invoiced(books, request, handed_to=handed_to)
    yield day - 2
    archived(books, request)
    return request, invoice


def received(books: Books, customer: Customer, amount: Decimal, *, method: str = "transfer", **extra) -> Receipt:
    """Finance records money that came in today (the bank's reference for a transfer)."""
    extra.setdefault("allocate", "oldest")
    if method == "transfer":
        extra.setdefault("reference", f"网银 {books.demo.rng.randint(10**15, 10**16 - 1)}")
    return services.receipt_record(
        actor=books.finance,
        customer_id=customer.pk,
        received_on=timezone.localdate(),
        method=method,
        amount=amount,
        payer=customer.invoice_buyer_name,
        **extra,
    )


def part(amount: Decimal, percent: int) -> Decimal:
    """``percent`` of ``amount`` as a customer pays it: in whole hundreds of yuan from a thousand
    up, else in whole yuan (at least one)."""
    share = amount * percent / HUNDRED
    step = HUNDRED if share >= 1000 else Decimal("1")
    return max((share / step).quantize(Decimal("1")) * step, Decimal("1")).quantize(CENT)


def open_on(invoice: Invoice) -> Decimal:
    return InvoiceBalance.objects.get(pk=invoice.pk).open_amount


def payment_asked(books: Books, invoice: Invoice, *, note: str) -> PaymentRequest:
    """The salesperson asks the customer for what is open on ``invoice`` (W5.2), submitted: by its
    due date, or within ten days when it is past."""
    owner = invoice.owner
    pay_by = max(invoice.due_on, timezone.localdate() + datetime.timedelta(days=10))
    request = services.payment_request_create(
        actor=owner,
        customer_id=invoice.customer_id,
        pay_by=pay_by,
        lines=[Asked(amount=open_on(invoice), invoice_id=invoice.pk)],
        note=note,
    )
    return services.payment_request_submit(request=request, actor=owner)


def confirmed(books: Books, request: PaymentRequest, steps: int = 2) -> PaymentRequest:
    """``steps`` approvals decided: the sales manager's, then finance's (W5.3)."""
    for _ in range(steps):
        request = services.payment_request_approve(request=request, actor=books.decider(request))
    return request


def stock_up(books: Books) -> Story:
    """The goods of the stories' own sales arrive in both warehouses before the first is signed."""
    yield len(books.demo.days) - 1
    keeper = books.user("warehouse1")
    codes = sorted({code for lines in OWN_LINES.values() for code, _ in lines})
    for warehouse in sorted(set(SHIPS_FROM.values())):
        for product in Product.objects.filter(code__in=codes).order_by("code"):
            delivery.stock_receive(
                actor=keeper,
                warehouse_id=books.demo.warehouses[warehouse].pk,
                product_id=product.pk,
                quantity=STOCK_EACH,
                reason="采购入库",
            )


def contract_registers(books: Books, before: str) -> Story:
    """R15: on the first working day of each month the sales office submits the register of the
    month before, for the months only these stories' own sales drew contract numbers in (``before``
    the other demos' first contract; those months are theirs to show)."""
    days = books.demo.days
    for n in range(len(days) - 2, 0, -1):
        if days[n].month == days[n + 1].month:
            continue
        yield n
        period = previous_period(days[n])
        if period < before and Contract.objects.filter(number__startswith=f"{Contract.NUMBER_PREFIX}{period}").exists():
            register_submit(actor=books.office, period=period)


# Stories of their own sales, reaching back for the ageing buckets.

OWN_LINES = {
    "long_overdue": [("SGJ-002", 1)],
    "overdue_unpaid": [("TLJ-006", 1), ("XGJ-005", 1)],
    "net_30_overdue": [("XGJ-003", 4), ("YMB-003", 2)],
    "cheque_under_permit": [("PWJ-002", 3), ("SSJ-001", 2)],
    "not_yet_due": [("WRJ-002", 2)],
    "returned_after_invoicing": [("WRJ-001", 2), ("PWJ-001", 1)],
    "prepaid": [("TLJ-004", 1)],
    "cash_without_permit": [("PJ-015", 2), ("PJ-013", 4)],
}


def long_overdue(books: Books) -> Story:
    """A harvester invoiced some four months ago (the printed copy handed over for the subsidy
    claim), a first payment, a payment request sent: more than 90 days overdue."""
    day = books.ago(115) + 5
    yield day
    customer = books.customer("sales4", CustomerKind.END_USER)
    order = signed(books, "sales4", customer, OWN_LINES["long_overdue"])
    yield from delivered_on(books, order, day)
    handed = customer.decision_maker or "收货人"
    _, invoice = yield from billed(books, order.contract, day - 4, handed_to=handed, remark="农机购置补贴用票")
    yield books.ago(45)
    received(
        books,
        customer,
        part(invoice.total_amount, 30),
        note="首付款",
        allocate=[Target(amount=part(invoice.total_amount, 30), invoice_id=invoice.pk)],
    )
    yield books.ago(24)
    request = confirmed(books, payment_asked(books, invoice, note="货款已逾期，请尽快安排支付余款"), steps=1)
    yield books.ago(23)
    request = confirmed(books, request, steps=1)
    services.payment_request_send(
        request=request, actor=request.owner, method=SendMethod.POST, sent_to=customer.address or customer.name
    )


def overdue_unpaid(books: Books) -> Story:
    """A tractor invoiced two and a half months ago, nothing paid: the payment request waits for
    the branch's sales manager."""
    day = books.ago(76) + 5
    yield day
    customer = books.customer("sales5", CustomerKind.END_USER)
    order = signed(books, "sales5", customer, OWN_LINES["overdue_unpaid"])
    yield from delivered_on(books, order, day)
    _, invoice = yield from billed(books, order.contract, day - 4)
    yield 1
    payment_asked(books, invoice, note="货款逾期两个多月，请于本月内付清")


def net_30_overdue(books: Books) -> Story:
    """A dealer on 30 days: invoiced, due a month later, unpaid since; the manager confirmed the
    payment request, finance has it."""
    day = books.ago(78) + 5
    yield day
    customer = books.customer("sales2", CustomerKind.DEALER)
    order = signed(books, "sales2", customer, OWN_LINES["net_30_overdue"], PaymentTerms.NET_30)
    yield from delivered_on(books, order, day)
    _, invoice = yield from billed(books, order.contract, day - 4)
    yield 2
    request = payment_asked(books, invoice, note="账期已过，请安排付款")
    yield 1
    confirmed(books, request, steps=1)


def cheque_under_permit(books: Books) -> Story:
    """A dealer on 30 days, past due: today the salesperson collected a cheque under the dealer's
    approved permit (R2) and handed it to finance the same day."""
    day = books.ago(44) + 5
    yield day
    dealer = books.permit_dealer("sales1")
    order = signed(books, "sales1", dealer, OWN_LINES["cheque_under_permit"], PaymentTerms.NET_30)
    yield from delivered_on(books, order, day)
    _, invoice = yield from billed(books, order.contract, day - 4)
    yield 0
    collector = books.user("sales1")
    received(
        books,
        dealer,
        min(part(invoice.total_amount, 50), Decimal("60000.00")),
        method="cheque",
        reference=f"转账支票 {books.demo.rng.randint(10**7, 10**8 - 1)}",
        note="业务员持收款许可上门收取",
        collected_by_id=collector.pk,
        collected_on=timezone.localdate(),
    )


def not_yet_due(books: Books) -> Story:
    """A dealer on its credit days (non-standard terms): invoiced, not due yet; the payment
    request is confirmed and the salesperson is to send it."""
    day = books.ago(38) + 5
    yield day
    dealer = books.customer("sales1", CustomerKind.DEALER, longest_credit=True)
    order = signed(books, "sales1", dealer, OWN_LINES["not_yet_due"], PaymentTerms.OTHER)
    yield from delivered_on(books, order, day)
    _, invoice = yield from billed(books, order.contract, day - 4)
    yield 3
    request = payment_asked(books, invoice, note="请按合同约定的信用期付款")
    yield 2
    request = confirmed(books, request, steps=1)
    yield 1
    confirmed(books, request, steps=1)


def returned_after_invoicing(books: Books) -> Story:
    """Two drones invoiced, the buyer confirmed the invoice's use; one came back: the return, the
    partial red-invoice form the buyer confirmed, the red invoice; the rest paid."""
    day = max(books.ago(48), 25)
    yield day
    customer = books.customer("sales2", CustomerKind.END_USER)
    order = signed(books, "sales2", customer, OWN_LINES["returned_after_invoicing"])
    yield from delivered_on(books, order, day)
    _, blue = yield from billed(books, order.contract, day - 4)
    yield day - 7
    services.invoice_confirm_use(invoice=blue, actor=books.finance)
    yield day - 14
    request = order.returned(ReturnKind.RETURN, "喷洒系统流量不稳，客户要求退回一台")
    yield day - 15
    request = order.check(request)
    yield day - 16
    request = delivery.return_verify(
        request=request, actor=books.user("tech1"), passed=True, notes="机身序列号与出库记录一致"
    )
    request = delivery.return_confirm_red(request=request, actor=books.user("manager1"))
    yield day - 17
    red_note = delivery.red_note_issue(actor=books.office, return_id=request.pk)
    yield day - 18
    act_on(red_note, "receive", actor=books.user("warehouse1"))
    (form,) = services.red_forms_for_return(actor=books.finance, return_request_id=request.pk)
    form = services.red_form_submit(form=form, actor=books.finance)
    form = services.red_form_confirm(form=form, actor=books.finance, comment="购买方已在平台确认")
    yield day - 19
    issued_on = timezone.localdate()
    services.red_invoice_record(
        actor=books.finance, form=form, invoice_number=books.invoice_number(issued_on), issued_on=issued_on
    )
    yield day - 22
    rest = open_on(blue)
    received(books, customer, rest, note="退货后余款", allocate=[Target(amount=rest, invoice_id=blue.pk)])


def prepaid(books: Books) -> Story:
    """Payment before delivery: the customer paid the whole contract the day it was signed, the
    goods went the next day; not invoiced yet, the money stays a prepayment on the contract."""
    day = 5
    yield day
    customer = books.customer("sales3", CustomerKind.END_USER)
    order = signed(books, "sales3", customer, OWN_LINES["prepaid"], PaymentTerms.PREPAID)
    total = order.contract.total_amount
    received(books, customer, total, note="合同预付款", allocate=[Target(amount=total, contract_id=order.contract.pk)])
    yield from delivered_on(books, order, day)


def cash_without_permit(books: Books) -> Story:
    """Spare parts for a remote dealer: the salesperson took cash without an approved permit and
    paid it in the next day (R2); the daily check noted it."""
    day = books.ago(33) + 5
    yield day
    dealer = books.permit_dealer("sales3")
    order = signed(books, "sales3", dealer, OWN_LINES["cash_without_permit"])
    yield from delivered_on(books, order, day)
    _, invoice = yield from billed(books, order.contract, day - 4)
    yield DIFFERENCE_DAY + 1
    collected_on = timezone.localdate()
    yield DIFFERENCE_DAY
    received(
        books,
        dealer,
        min(part(invoice.total_amount, 60), Decimal("10000.00")),
        method="cash",
        note="业务员现场收取现金，次日缴存",
        collected_by_id=books.user("sales3").pk,
        collected_on=collected_on,
    )


OWN_STORIES: tuple[Callable[[Books], Story], ...] = (
    long_overdue,
    overdue_unpaid,
    net_30_overdue,
    cheque_under_permit,
    not_yet_due,
    returned_after_invoicing,
    prepaid,
    cash_without_permit,
)


# Stories on the fulfilment demo's deliveries.


@dataclass(frozen=True)
class Delivered:
    """A contract the fulfilment demo delivered, and the working day (counted back) from which it
    is billed: its last confirmation, or the return's goods back."""

    contract: Contract
    ready: int


def delivered_contracts(books: Books) -> list[Delivered]:
    """Every outbound signed for, no damage open; the longest ready first."""
    index = {day: n for n, day in enumerate(books.demo.days)}
    by_contract = "outbound__note__requisition__contract_id"
    waiting = set(
        Outbound.objects.filter(note__requisition__isnull=False, confirmation__isnull=True).values_list(
            "note__requisition__contract_id", flat=True
        )
    )
    waiting |= set(Confirmation.objects.filter(follow_up_open=True).values_list(by_contract, flat=True))
    last: dict[int, datetime.datetime] = {}
    rows = [
        *Confirmation.objects.filter(outbound__note__requisition__contract__isnull=False).values_list(
            by_contract, "created_at"
        ),
        *RedNote.objects.filter(received_at__isnull=False).values_list(
            f"return_request__confirmation__{by_contract}", "received_at"
        ),
    ]
    for contract_id, at in rows:
        if contract_id is not None:
            last[contract_id] = max(at, last.get(contract_id, at))
    found = Contract.objects.in_bulk([pk for pk in last if pk not in waiting])
    ready = [Delivered(c, index.get(timezone.localtime(last[c.pk]).date(), 0)) for c in found.values()]
    return sorted(ready, key=lambda d: (-d.ready, d.contract.pk))


def paid_by_transfer(books: Books, sale: Delivered) -> Story:
    """Invoiced, archived and paid in full by transfer; later the customer paid ahead for spare
    parts, left unallocated (the customer's credit)."""
    r = sale.ready
    yield r - 1
    _, invoice = yield from billed(books, sale.contract, r - 1)
    yield max(r - 6, 2)
    received(
        books,
        sale.contract.customer,
        invoice.total_amount,
        allocate=[Target(amount=invoice.total_amount, invoice_id=invoice.pk)],
    )
    yield max(r - 8, 1)
    received(books, sale.contract.customer, Decimal("3000.00"), note="客户备注：预付配件款", allocate="none")


def one_invoice_per_product(books: Books, sale: Delivered) -> Story:
    """One invoice per product, as the customer asked (its two workshops book them apart). The
    customer paid the second; finance allocated it to the first, reversed that with the customer's
    remittance note as the reason, and allocated it where it belonged."""
    r = sale.ready
    yield r - 1
    open_of = {line.source_line_id: line.invoiceable for line in OrderLine.objects.filter(contract=sale.contract)}
    ids = [pk for pk in sale.contract.lines.order_by("pk").values_list("pk", flat=True) if open_of.get(pk)]
    requests = [
        reviewed(books, ask(sale.contract.owner, sale.contract, lines=[Pick(pk, open_of[pk])], remark="按产品分开开票"))
        for pk in ids[:2]
    ]
    yield r - 2
    first, second = (invoiced(books, request) for request in requests)
    yield r - 3
    for request in requests:
        archived(books, request)
    yield max(r - 5, 2)
    amount = second.total_amount
    wrong = min(amount, first.total_amount)
    targets = [Target(amount=wrong, invoice_id=first.pk)]
    if amount > wrong:
        targets.append(Target(amount=amount - wrong, invoice_id=second.pk))
    receipt = received(books, sale.contract.customer, amount, allocate=targets)
    yield max(r - 6, 1)
    allocation = receipt.allocations.get(invoice=first)
    services.allocation_reverse(
        actor=books.finance, allocation_id=allocation.pk, reason=f"客户付款备注为发票 {second.invoice_number} 的货款"
    )
    services.receipt_allocate(
        actor=books.finance, receipt=receipt, targets=[Target(amount=wrong, invoice_id=second.pk)]
    )


def partly_paid(books: Books, sale: Delivered) -> Story:
    """Invoiced, archived, 40 % paid by transfer."""
    r = sale.ready
    yield r - 1
    _, invoice = yield from billed(books, sale.contract, r - 1)
    yield max(r - 5, 1)
    amount = part(invoice.total_amount, 40)
    received(
        books, sale.contract.customer, amount, note="首付 40%", allocate=[Target(amount=amount, invoice_id=invoice.pk)]
    )


def discount_raised_by_buyer(books: Books, sale: Delivered) -> Story:
    """Invoiced, the buyer confirmed its use; today the buyer raised a red-invoice form on the
    platform for a discount on a scratched unit: finance confirms it within 72 hours."""
    r = sale.ready
    yield r - 1
    _, invoice = yield from billed(books, sale.contract, r - 1)
    yield max(r - 4, 1)
    invoice = services.invoice_confirm_use(invoice=invoice, actor=books.finance)
    yield 0
    line = invoice.lines.order_by("pk").first()
    discount = min(max(part(line.amount_with_tax, 3), Decimal("10.00")), line.amount_with_tax)
    services.red_form_create(
        actor=books.finance,
        blue_id=invoice.pk,
        reason="discount",
        full=False,
        lines=[RedPick(blue_line_id=line.pk, amount=discount)],
        initiator="buyer",
        raised_at=timezone.now() - datetime.timedelta(hours=3),
        note="外观划伤，双方协商折让",
    )


def invoiced_to_archive(books: Books, sale: Delivered) -> Story:
    """Invoiced yesterday: the sales office is to archive the request (R10)."""
    yield min(sale.ready - 1, 2)
    request = reviewed(books, ask(sale.contract.owner, sale.contract))
    yield 1
    invoiced(books, request)


def approved_to_invoice(books: Books, sale: Delivered) -> Story:
    """Reviewed by the sales manager: finance is to issue it on the platform and record it."""
    yield min(sale.ready - 1, 3)
    request = ask(sale.contract.owner, sale.contract)
    yield 2
    reviewed(books, request)


def returned_for_correction(books: Books, sale: Delivered) -> Story:
    """The manager returned the request: the salesperson is to correct it and submit it again."""
    yield min(sale.ready - 1, 3)
    request = ask(sale.contract.owner, sale.contract)
    yield 2
    act_on(request, "reject", actor=books.decider(request), comment="备注栏请注明合同号和收货地址，修改后重新提交")


def waiting_for_review(books: Books, sale: Delivered) -> Story:
    """Asked for yesterday: the salesperson's sales manager is to review it (W6.2)."""
    yield min(sale.ready - 1, 1)
    ask(sale.contract.owner, sale.contract)


# Each in turn takes the longest-ready contract left (of the owners named, when one is left; only
# theirs when marked): the older a delivery, the further its money has gone. The request left for
# review goes to a Qingdao salesperson's: their sales manager has it.
DELIVERED_STORIES: tuple[tuple[Callable[[Books, Delivered], Story], tuple[str, ...], bool], ...] = (
    (paid_by_transfer, (), False),
    (waiting_for_review, ("sales5", "sales4"), True),
    (returned_for_correction, ("sales1",), False),
    (one_invoice_per_product, (), False),
    (partly_paid, (), False),
    (discount_raised_by_buyer, (), False),
    (invoiced_to_archive, (), False),
    (approved_to_invoice, (), False),
)


def assign(delivered: list[Delivered]) -> list[tuple[Callable[[Books, Delivered], Story], Delivered]]:
    """Each story of ``DELIVERED_STORIES`` with its contract (billed from three working days back at
    the latest; two invoiceable lines for the one invoice per product)."""
    left = list(delivered)
    chosen = []
    for story, owners, only_theirs in DELIVERED_STORIES:
        fitting = [
            d for d in left if d.ready >= 3 and (story is not one_invoice_per_product or d.contract.lines.count() > 1)
        ]
        theirs = [d for d in fitting if d.contract.owner.username in owners]
        candidates = theirs if theirs or only_theirs else fitting
        if candidates:
            left.remove(candidates[0])
            chosen.append((story, candidates[0]))
    return chosen


def advance_invoiced(books: Books) -> list[Story]:
    """An advance invoice (预开票) on the earliest contract not delivered yet: the customer needs it
    before the goods go; the manager approved it, finance invoiced it."""
    delivered = OrderLine.objects.filter(delivered__gt=0, contract__isnull=False).values("contract_id")
    contract = (
        Contract.objects.filter(signed_on__isnull=False)
        .exclude(pk__in=delivered)
        .select_related("owner", "customer")
        .order_by("signed_on", "pk")
        .first()
    )
    if contract is None:
        return []
    signed_day = next(n for n, day in enumerate(books.demo.days) if day <= contract.signed_on)
    books.used.add(contract.customer_id)

    def story() -> Story:
        yield max(signed_day - 1, 0)
        request = ask(contract.owner, contract, advance=True, remark="客户申请农机购置补贴，需先行开票")
        request = reviewed(books, request)
        invoiced(books, request)

    return [story()]


# R11: the sales office and finance check each working day's receipts together.


def daily_checks(books: Books) -> Story:
    """Every working day from the first receipt on, after the day's receipts: the office and finance
    confirm and the day closes; one day missed; one difference found and resolved first."""
    for day in range(len(books.demo.days) - 1, 0, -1):
        yield day
        if day == MISSED_CHECK or not Receipt.objects.exists():
            continue
        today = timezone.localdate()
        if day == DIFFERENCE_DAY:
            cash = Receipt.objects.filter(received_on=today, collected_by__isnull=False).first()
            difference = services.difference_add(
                actor=books.office,
                day=today,
                text="业务员收取经销商现金，未见收款许可",
                amount=cash.amount if cash else None,
                receipt_id=cash.pk if cash else None,
            )
            services.difference_resolve(
                actor=books.finance,
                difference_id=difference.pk,
                resolution="已核实为该经销商货款，已缴存银行；业务员补办收款许可申请",
            )
        services.daily_check_confirm(actor=books.office, day=today)
        services.daily_check_confirm(actor=books.finance, day=today)
