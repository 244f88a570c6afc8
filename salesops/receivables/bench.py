"""The whole order-to-cash benchmark (``salesops bench o2c``): each order runs the fulfilment bench's
inquiry-to-confirmation (``salesops.fulfilment.bench``), then the money: the salesperson asks for the
invoice of everything delivered and submits it, the sales manager reviews it, finance records the
数电 invoice the platform issued and then the customer's transfer, allocated oldest first — every
step through the service the UI and the API call, as the user the regulation names.

Finance is the bench's own user ``bench_finance`` (branch BENCH). Invoice numbers are this year's
with the bench's channel digits ``99``, continuing from the last one a previous run recorded.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesops.deals.bench import PREFIX, BenchFailed, StatementCounter, StepRecorder, decider
from salesops.deals.models import Contract
from salesops.fulfilment.bench import O2CResult, O2CSetup, o2c_report, run_o2c
from salesops.fulfilment.models import Confirmation
from salesops.org.models import Branch, User, UserRole
from salesops.org.roles import Role

from . import services
from .models import Invoice, InvoiceBalance, InvoiceRequestState

CASH_STEPS: tuple[tuple[str, str], ...] = (
    ("inv. request", "invoice_request_create by the salesperson (everything delivered)"),
    ("inv. submit", "invoice_request_submit"),
    ("inv. review", "invoice_request_approve by the sales manager (W6.2)"),
    ("invoice", "invoice_record by finance (the 数电 invoice's number and date)"),
    ("receipt", "receipt_record by finance, allocated oldest first"),
)
CASH_STEP_NAMES = tuple(name for name, _ in CASH_STEPS)
GOAL = 150  # SQL statements for one whole order (issue 10)


class InvoiceNumbers:
    """This year's 20-digit numbers on the bench's channel (``YY99`` + 16 digits), after the last used."""

    def __init__(self) -> None:
        self.prefix = f"{timezone.localdate().year % 100:02d}99"
        last = (
            Invoice.objects.filter(invoice_number__startswith=self.prefix)
            .order_by("-invoice_number")
            .values_list("invoice_number", flat=True)
            .first()
        )
        self.next = int(last[4:]) + 1 if last else 1

    def take(self) -> str:
        number = f"{self.prefix}{self.next:016d}"
        self.next += 1
        return number


@transaction.atomic
def ensure_finance() -> User:
    branch = Branch.objects.get(code="BENCH")
    finance = User.objects.filter(username=f"{PREFIX}finance").first()
    if finance is None:
        finance = User(username=f"{PREFIX}finance", display_name="压测 财务", branch=branch)
        finance.set_unusable_password()
        finance.save()
    UserRole.objects.get_or_create(user=finance, role=Role.FINANCE)
    # As a request loads its user (org.lockout.AccountLockBackend.get_user).
    return User.objects.select_related("branch", "department").prefetch_related("role_links").get(pk=finance.pk)


def collect(
    numbers: InvoiceNumbers,
) -> Callable[[Contract, Confirmation, O2CSetup, StepRecorder, StatementCounter], None]:
    finance: list[User] = []

    def money(
        contract: Contract, confirmation: Confirmation, setup: O2CSetup, steps: StepRecorder, counter: StatementCounter
    ) -> None:
        if not finance:
            with counter.pause():
                finance.append(ensure_finance())
        cashier = finance[0]
        sales = next(s for s in setup.deals.salespeople if s.pk == contract.owner_id)
        request = steps.step(
            "inv. request",
            lambda: services.invoice_request_create(actor=sales, contract_id=contract.pk, kind="ordinary"),
        )
        request = steps.step("inv. submit", lambda: services.invoice_request_submit(request=request, actor=sales))

        def review():
            doc = request
            while doc.state == InvoiceRequestState.PENDING:
                with counter.pause():
                    approver = decider(doc, setup.deals)
                doc = services.invoice_request_approve(request=doc, actor=approver)
            return doc

        request = steps.step("inv. review", review)
        if request.state != InvoiceRequestState.APPROVED:
            raise BenchFailed(f"invoice request {request.number} ended {request.state}, not approved")
        invoice = steps.step(
            "invoice",
            lambda: services.invoice_record(
                actor=cashier, request=request, invoice_number=numbers.take(), issued_on=timezone.localdate()
            ),
        )
        steps.step(
            "receipt",
            lambda: services.receipt_record(
                actor=cashier,
                customer_id=contract.customer_id,
                received_on=timezone.localdate(),
                method="transfer",
                amount=invoice.total_amount,
                payer=contract.customer.name,
            ),
        )
        with counter.pause():
            if InvoiceBalance.objects.get(pk=invoice.pk).open_amount != Decimal("0"):
                raise BenchFailed(f"invoice {invoice.invoice_number} is not paid in full")

    return money


def run_full_o2c(orders_wanted: int, *, progress: Callable[[int], None] | None = None) -> O2CResult:
    """``orders_wanted`` whole orders, inquiry to cash allocated."""
    return run_o2c(orders_wanted, progress=progress, after=collect(InvoiceNumbers()), more_steps=CASH_STEP_NAMES)


def full_o2c_report(result: O2CResult) -> str:
    money = result.per_order(sum(result.step_statements[step] for step in CASH_STEP_NAMES))
    whole = result.per_order(sum(result.step_statements.values()))
    return (
        o2c_report(result, span="inquiry to the customer's payment allocated")
        + f"SQL / order, money steps      {money:10.1f}\n"
        + f"SQL / order, whole order      {whole:10.1f}   (goal: at most {GOAL})\n"
    )
