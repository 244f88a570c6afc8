"""Sample instruments for the kernel's generated tests (``workflow/tests/kit.py``), and the helpers
the instrument tests build with: a customer of the owner's and an instrument registered through the
service. The integrator merges ``SAMPLES`` into ``tests/samples.py``.

An instrument has no approval chain: its sample is a registered bill waiting for finance's
signature (as the delivery notes' samples are issued documents)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from salesops.customers.tests.factories import CustomerFactory
from salesops.receivables.services import instruments as services
from salesops.workflow.tests.kit import Sample

_serial = iter(range(1, 10**8))
TODAY = timezone.localdate


def package_number(first: str = "5") -> str:
    """A fresh 30-digit package number: type digit, a 12-digit bank code, a date, a serial, a check digit."""
    return f"{first}{'103100000019'}{TODAY():%Y%m%d}{next(_serial):08d}1"


def customer_of(staff, owner=None):
    owner = owner or staff.sales_a
    return CustomerFactory(owner=owner, region=staff.region)


def bill(staff, owner=None, *, actor=None, customer=None, worth: str = "1000000.00", **extra: Any):
    """An electronic bank acceptance bill worth ``worth`` yuan (range 1..worth×100) received by ``owner``
    today, due in three months, registered by ``actor`` (the owner themselves by default)."""
    owner = owner or staff.sales_a
    fen = int(Decimal(worth) * 100)
    issued = extra.pop("issued_on", TODAY() - datetime.timedelta(days=10))
    values: dict[str, Any] = {
        "kind": "bank_acceptance",
        "medium": "electronic",
        "customer_id": (customer or customer_of(staff, owner)).pk,
        "issued_on": issued,
        "due_on": issued + datetime.timedelta(days=90),
        "issuer": "潍坊恒达机械有限公司",
        "acceptor": "中国工商银行潍坊分行",
        "payee": "测试机械有限公司",
        "previous_holder": "潍坊恒达机械有限公司",
        "package_number": package_number(),
        "range_start": 1,
        "range_end": fen,
    }
    values.update(extra)
    if actor is not None and actor != owner:
        values.setdefault("received_by_id", owner.pk)
    return services.instrument_register(actor=actor or owner, **values)


def cheque(staff, owner=None, *, actor=None, customer=None, amount: str | None = "5800.00", **extra: Any):
    """A paper cheque of ``amount`` received today."""
    owner = owner or staff.sales_a
    values: dict[str, Any] = {
        "kind": "cheque",
        "medium": "paper",
        "customer_id": (customer or customer_of(staff, owner)).pk,
        "issued_on": TODAY(),
        "issuer": "潍坊恒达机械有限公司",
        "acceptor": "中国建设银行潍坊分行",
        "instrument_number": f"3130{next(_serial):08d}",
        "amount": Decimal(amount) if amount is not None else None,
    }
    values.update(extra)
    if actor is not None and actor != owner:
        values.setdefault("received_by_id", owner.pk)
    return services.instrument_register(actor=actor or owner, **values)


def instrument(staff, owner) -> Sample:
    """A bill ``owner`` received, registered by them (a salesperson) or for them by the sales office."""
    actor = owner if owner.has_role("salesperson") else staff.back_office
    return Sample(bill(staff, owner, actor=actor), "", staff.finance)


SAMPLES = {"receivables.instrument": instrument}


def bulk(staff, count: int, period: str = "209901") -> None:
    """``count`` paper cheques of sales_a's, written in one statement (the generic paging tests),
    numbered in a month no real document reaches."""
    from salesops.receivables.models.instruments import Instrument

    owner = staff.sales_a
    customer = customer_of(staff, owner)
    now = timezone.now()
    Instrument.objects.bulk_create(
        [
            Instrument(
                number=f"PJ{period}{n:04d}",
                state="pending_sign",
                owner=owner,
                branch=owner.branch,
                department=owner.department,
                customer=customer,
                kind="cheque",
                medium="paper",
                instrument_number=f"3130{n:08d}",
                amount=Decimal(n),
                issuer="潍坊恒达机械有限公司",
                acceptor="中国建设银行潍坊分行",
                issued_on=TODAY(),
                received_by=owner,
                received_at=now,
            )
            for n in range(1, count + 1)
        ]
    )
