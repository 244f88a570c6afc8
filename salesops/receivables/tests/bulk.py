"""Many receivables rows at once for the generic paging tests, written in one statement each and
numbered in a month no real document reaches."""

import datetime
from decimal import Decimal

from django.utils import timezone

from salesops.customers.tests.factories import CustomerFactory


def statements(staff, count: int, period: str = "209901") -> None:
    from salesops.receivables.models import Statement, StatementRun

    owner = staff.sales_a
    customers = CustomerFactory.create_batch(count, owner=owner, region=staff.region)
    end = timezone.localdate() - datetime.timedelta(days=400)
    run = StatementRun.objects.create(period_start=end.replace(day=1), period_end=end, created_by=staff.finance)
    Statement.objects.bulk_create(
        [
            Statement(
                number=f"DZ{period}{n:04d}",
                state="issued",
                owner=owner,
                branch=owner.branch,
                department=owner.department,
                run=run,
                customer=customer,
                period_start=run.period_start,
                period_end=run.period_end,
                closing_by_invoice=Decimal(n),
            )
            for n, customer in enumerate(customers, start=1)
        ]
    )


def red_forms(staff, count: int, period: str = "209901") -> None:
    """``count`` draft forms against one recorded invoice (rows only: the paging tests read them)."""
    from salesops.receivables.models import RedInvoiceForm

    from .helpers import Sale

    blue = Sale(staff).invoice()
    RedInvoiceForm.objects.bulk_create(
        [
            RedInvoiceForm(
                number=f"HQ{period}{n:04d}",
                state="draft",
                owner=blue.owner,
                branch=blue.branch,
                department=blue.department,
                blue=blue,
                customer=blue.customer,
                reason="mistake",
                initiator="seller",
                total_amount=Decimal(n),
                recorded_by=staff.finance,
            )
            for n in range(1, count + 1)
        ]
    )


def dispatches(staff, count: int, period: str = "209901") -> None:
    """``count`` dispatches of one recorded invoice."""
    from salesops.receivables.models import InvoiceDispatch

    from .helpers import Sale

    invoice = Sale(staff).invoice()
    now = timezone.now()
    InvoiceDispatch.objects.bulk_create(
        [
            InvoiceDispatch(
                invoice=invoice,
                method="email",
                sent_to=f"cw{n}@example.cn",
                sent_at=now - datetime.timedelta(minutes=n),
                recorded_by=staff.finance,
            )
            for n in range(1, count + 1)
        ]
    )
