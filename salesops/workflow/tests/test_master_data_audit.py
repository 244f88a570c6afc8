"""Master data changes leave audit events too (who, when, what changed), like documents."""

from decimal import Decimal

import pytest

from salesops.catalog.services import product_create, product_update
from salesops.customers.services import customer_create, customer_reassign, customer_update
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def test_customer_create_edit_and_reassign_are_audited(staff):
    customer = customer_create(
        actor=staff.sales_a, code="C-AUD-1", name="德州农机站", kind="end_user", region_id=staff.region.pk
    )
    customer = customer_update(customer=customer, actor=staff.sales_a, version=customer.version, phone="0534-1234567")
    customer_reassign(customer=customer, actor=staff.manager1, owner_id=staff.sales_b.pk)
    events = DocumentEvent.objects.filter(number="C-AUD-1").order_by("pk")
    assert [(e.action, e.actor.username) for e in events] == [
        ("create", "sales_a"),
        ("edit", "sales_a"),
        ("reassign", "manager1"),
    ]
    assert events[1].changes == {"phone": ["", "0534-1234567"]}
    assert events[2].changes == {"owner": [staff.sales_a.pk, staff.sales_b.pk]}


def test_product_price_change_is_audited(staff):
    product = product_create(
        actor=staff.back_office,
        code="P-AUD-1",
        name="旋耕机",
        unit="台",
        standard_price=Decimal("12000.00"),
        floor_price=Decimal("10000.00"),
    )
    product_update(product=product, actor=staff.admin, version=product.version, floor_price=Decimal("9500.00"))
    edit = DocumentEvent.objects.get(number="P-AUD-1", action="edit")
    assert edit.actor == staff.admin
    assert edit.changes == {"floor_price": ["10000.00", "9500.00"]}
