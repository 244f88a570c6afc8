"""Test data of the statement campaigns (R13): customers with money received (quick: no delivery),
a campaign at today's cut-off, prepared through the services; and the overdue reply's day."""

import datetime
from decimal import Decimal

from django.utils import timezone

from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory
from salesops.receivables import services
from salesops.receivables.models import Statement, StatementRun


def paying_customer(staff, owner=None, *, amount: str = "800.00", email: str = "") -> Customer:
    """A customer of ``owner``'s (sales_a) who paid ``amount`` today, nothing delivered or invoiced:
    their statement shows money paid ahead."""
    customer = CustomerFactory(owner=owner or staff.sales_a, region=staff.region, invoice_email=email)
    services.receipt_record(
        actor=staff.finance,
        customer_id=customer.pk,
        amount=Decimal(amount),
        method="transfer",
        received_on=timezone.localdate(),
        allocate="none",
    )
    return customer


def campaign(staff, *, prepare: bool = True) -> StatementRun:
    run = services.statement_run_create(actor=staff.finance, period_end=timezone.localdate())
    if prepare:
        services.statements_prepare(actor=staff.finance, run=run)
    return run


def statement_of(run: StatementRun, customer: Customer) -> Statement:
    return Statement.objects.get(run=run, customer=customer)


def sent(statement: Statement, actor, *, to: str = "客户财务部 李会计") -> Statement:
    return services.statement_send(statement=statement, actor=actor, method="post", sent_to=to)


def after_reply_due(statement: Statement) -> datetime.date:
    """The first day the statement's reply is overdue."""
    statement.refresh_from_db()
    return statement.reply_due + datetime.timedelta(days=1)
