"""Customers and expense documents for the expenses tests, made through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from salesops.customers.models import Customer
from salesops.expenses import services
from salesops.expenses.models import CollectionPermit, ExpenseRequest, SpecialFee


def planned_on() -> datetime.date:
    """A planned date ahead of today: one already past makes a submitted request an R3 breach."""
    return timezone.localdate() + datetime.timedelta(days=30)


_codes = iter(range(1, 10**6))


def customer(staff, owner, **extra) -> Customer:
    code = extra.pop("code", f"EXP-C{next(_codes):05d}")
    return Customer.objects.create(
        code=code,
        name=extra.pop("name", f"客户{code}"),
        kind=extra.pop("kind", "end_user"),
        region=staff.region,
        owner=owner,
        branch=owner.branch,
        department=owner.department,
        **extra,
    )


def expense(actor, amount: str = "800.00", **extra) -> ExpenseRequest:
    return services.expense_create(
        actor=actor,
        category=extra.pop("category", "travel"),
        amount=Decimal(amount),
        planned_on=extra.pop("planned_on", None) or planned_on(),
        purpose=extra.pop("purpose", "拜访客户"),
        **extra,
    )


def submitted_expense(actor, amount: str = "800.00", **extra) -> ExpenseRequest:
    doc = expense(actor, amount, **extra)
    return services.expense_transition(expense=doc, action="submit", actor=actor)


def special_fee(actor, cust: Customer, amount: str = "3000.00", **extra) -> SpecialFee:
    return services.special_fee_create(
        actor=actor,
        customer_id=cust.pk,
        kind=extra.pop("kind", "marketing"),
        amount=Decimal(amount),
        reason=extra.pop("reason", "展会推广费"),
    )


def submitted_special_fee(actor, cust: Customer, amount: str = "3000.00", **extra) -> SpecialFee:
    fee = special_fee(actor, cust, amount, **extra)
    return services.special_fee_transition(fee=fee, action="submit", actor=actor)


def instructed_special_fee(staff, cust: Customer, amount: str = "3000.00") -> SpecialFee:
    """Submitted by sales_a, consented by manager1 (R5), instructed by leadership (R6): ready to pay."""
    fee = submitted_special_fee(staff.sales_a, cust, amount)
    fee = services.special_fee_transition(fee=fee, action="approve", actor=staff.manager1)
    return services.special_fee_transition(fee=fee, action="approve", actor=staff.boss)


def dealer(staff, owner, **extra) -> Customer:
    return customer(staff, owner, kind="dealer", **extra)


def permit(actor, cust: Customer, limit: str = "50000.00", **extra) -> CollectionPermit:
    """A draft dealer collection permit of ``actor``'s, valid from today for 30 days unless told."""
    valid_from = extra.pop("valid_from", None) or timezone.localdate()
    return services.permit_create(
        actor=actor,
        customer_id=cust.pk,
        limit_amount=Decimal(limit),
        method=extra.pop("method", "cheque"),
        reason=extra.pop("reason", "经销商财务人员休假，货款支票需业务员当面收取"),
        valid_from=valid_from,
        valid_until=extra.pop("valid_until", None) or valid_from + datetime.timedelta(days=29),
    )


def submitted_permit(actor, cust: Customer, limit: str = "50000.00", **extra) -> CollectionPermit:
    doc = permit(actor, cust, limit, **extra)
    return services.permit_transition(permit=doc, action="submit", actor=actor)


def approved_permit(staff, cust: Customer, limit: str = "50000.00", **extra) -> CollectionPermit:
    """sales_a's permit for ``cust``, approved by manager1 (his sales manager)."""
    doc = submitted_permit(staff.sales_a, cust, limit, **extra)
    return services.permit_transition(permit=doc, action="approve", actor=staff.manager1, comment="同意")


def snapshot(doc) -> tuple:
    """What a refused action must leave unchanged: state, version, audit events, approval steps."""
    from django.contrib.contenttypes.models import ContentType

    from salesops.workflow.models import ApprovalStep, DocumentEvent

    row = type(doc).objects.get(pk=doc.pk)
    content_type = ContentType.objects.get_for_model(doc)
    steps = tuple(
        ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk)
        .order_by("pk")
        .values_list("status", "decided_by_id")
    )
    events = DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).count()
    names = ("paid_on", "payment_reference", "paid_by_id", "approved_at", "closed_at", "remit_working_days")
    extra = tuple(getattr(row, name) for name in names if hasattr(row, name))
    return (row.state, row.version, events, steps, extra)


def events_of(doc) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    from salesops.workflow.models import DocumentEvent

    return list(
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
