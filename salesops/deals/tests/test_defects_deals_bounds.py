"""Issue 6, defect 8: a huge quantity or amount never breaks a document. Quantities, prices, line
amounts and totals are bounded so that every stored figure fits its column; out of range is a 422
naming the field, and nothing is stored.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.core.errors import InvalidInput
from salesops.deals.lines import LineIn
from salesops.deals.models import Inquiry, PhoneOrder, Quotation
from salesops.deals.services import quotations
from salesops.deals.services.inquiries import InquiryLineIn
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db

HUGE_QUANTITY = Decimal("1000000000000")  # 10^12: more than the quantity column's 11 integer digits


def _fields(caught) -> dict:
    return caught.value.extra["fields"]


def _create_inquiry(staff, cust, **extra):
    return f.inquiry(staff.sales_a, cust, **extra)


def test_an_inquiry_with_a_huge_quantity_is_refused_naming_the_line(staff):
    # given a customer and a product
    cust, seeder = f.customer(staff, staff.sales_a), f.product()
    # when the salesperson asks for 10^12 of it
    with pytest.raises(InvalidInput) as caught:
        _create_inquiry(staff, cust, lines=[InquiryLineIn(seeder.pk, HUGE_QUANTITY)])
    # then the quantity is named and nothing is stored
    assert list(_fields(caught)) == ["lines.0.quantity"]
    assert not Inquiry.objects.exists()
    # the largest quantity that fits is accepted, and the inquiry reads back
    doc = _create_inquiry(staff, cust, lines=[InquiryLineIn(seeder.pk, Decimal("99999999999.999"))])
    assert Inquiry.objects.get(pk=doc.pk).lines.get().quantity == Decimal("99999999999.999")


def test_an_inquiry_with_a_huge_estimated_amount_is_refused(staff):
    cust = f.customer(staff, staff.sales_a)
    with pytest.raises(InvalidInput) as caught:
        _create_inquiry(staff, cust, estimated_amount="1000000000000.00")
    assert list(_fields(caught)) == ["estimated_amount"]
    assert not Inquiry.objects.exists()


def test_the_inquiry_form_refuses_a_huge_quantity_on_its_row(staff, web_client):
    cust, seeder = f.customer(staff, staff.sales_a), f.product()
    data = {
        "customer": cust.pk,
        "kind": "inquiry",
        "source": "visit",
        "title": "巨量询价",
        "product_1": seeder.pk,
        "quantity_1": str(HUGE_QUANTITY),
    }
    response = web_client(staff.sales_a).post(reverse("deals:inquiry-create"), data)
    assert response.status_code == 422
    assert 'data-field-error="quantity_1"' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_quotation_line_whose_amount_overflows_is_refused_naming_its_quantity(staff):
    # given a deal in bidding
    the_deal = f.deal(staff)
    # when a line's quantity and price fit, but their product (10^10 × ¥1,000 = 10^13) does not
    lines = [
        LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("2"), unit_price=Decimal("1000.00")),
        LineIn(product_id=the_deal.meter.pk, quantity=Decimal("10000000000"), unit_price=Decimal("1000.00")),
    ]
    with pytest.raises(InvalidInput) as caught:
        f.quotation(staff.sales_a, the_deal, lines=lines)
    # then the line is named, and nothing is stored
    assert list(_fields(caught)) == ["lines.1.quantity"]
    assert not Quotation.objects.exists()


def test_lines_whose_total_overflows_are_refused(staff):
    the_deal = f.deal(staff)
    # two lines of ¥600,000,000,000 each: each fits, the total does not
    line = {"quantity": Decimal("600000"), "unit_price": Decimal("1000000.00")}
    lines = [LineIn(product_id=the_deal.seeder.pk, **line), LineIn(product_id=the_deal.meter.pk, **line)]
    with pytest.raises(InvalidInput) as caught:
        f.quotation(staff.sales_a, the_deal, lines=lines)
    assert list(_fields(caught)) == ["lines"]
    assert not Quotation.objects.exists()


def test_a_huge_price_is_refused_naming_it(staff):
    the_deal = f.deal(staff)
    lines = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("1"), unit_price=Decimal("1000000000000.00"))]
    with pytest.raises(InvalidInput) as caught:
        f.quotation(staff.sales_a, the_deal, lines=lines)
    assert list(_fields(caught)) == ["lines.0.unit_price"]


def test_editing_a_quotation_to_an_overflowing_line_changes_nothing(staff):
    the_deal = f.deal(staff)
    quote = f.quotation(staff.sales_a, the_deal)
    before = f.snapshot(quote)
    lines = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("10000000000"), unit_price=Decimal("1000.00"))]
    with pytest.raises(InvalidInput):
        quotations.quotation_update(quotation=quote, actor=staff.sales_a, version=quote.version, lines=lines)
    assert f.snapshot(quote) == before


def test_a_phone_order_line_whose_amount_overflows_is_refused(staff):
    cust, pump = cf.customer(staff, staff.sales_a), cf.product()
    with pytest.raises(InvalidInput) as caught:
        cf.phone_order(staff.sales_a, cust, [(pump, "10000000000", "1000.00")])
    assert "lines.0.quantity" in _fields(caught)
    assert not PhoneOrder.objects.exists()


def test_a_huge_winning_price_is_refused(staff):
    quote = f.issued_quotation(staff, f.deal(staff))
    before = f.snapshot(quote)
    with pytest.raises(InvalidInput) as caught:
        quotations.quotation_record_lost(
            quotation=quote, actor=staff.sales_a, note="丢单", winning_price=Decimal("1000000000000.00")
        )
    assert list(_fields(caught)) == ["winning_price"]
    assert f.snapshot(quote) == before


# Through the API: 422 naming the field, nothing stored.


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_api_answers_422_for_an_overflowing_quotation_line(staff, api_client):
    the_deal = f.deal(staff)
    body = {
        "inquiry_id": the_deal.inquiry.pk,
        "valid_until": _in_days(30),
        "lines": [{"product_id": the_deal.seeder.pk, "quantity": "10000000000", "unit_price": "1000.00"}],
        "payment_terms": "on_delivery",
    }
    response = api_client(staff.sales_a).post("/api/deals/quotations", body, content_type="application/json")
    assert response.status_code == 422
    assert "lines.0.quantity" in response.json()["extra"]["fields"]
    assert not Quotation.objects.exists()


def test_the_api_answers_422_for_a_huge_inquiry_quantity(staff, api_client):
    cust, seeder = f.customer(staff, staff.sales_a), f.product()
    body = {
        "customer_id": cust.pk,
        "source": "visit",
        "title": "巨量询价",
        "lines": [{"product_id": seeder.pk, "quantity": str(HUGE_QUANTITY)}],
    }
    response = api_client(staff.sales_a).post("/api/deals/inquiries", body, content_type="application/json")
    assert response.status_code == 422
    assert "lines.0.quantity" in response.json()["extra"]["fields"]
    assert not Inquiry.objects.exists()
