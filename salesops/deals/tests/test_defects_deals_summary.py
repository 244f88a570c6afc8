"""Issue 6, defect 13 (deals): each deals document type gives approvers a one-line summary —
customer, amount, and why it needs approval (R4 reasons, deviations, major) — in at most one query.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.deals.models import Contract, Inquiry, PhoneOrder, Quotation
from salesops.deals.services import inquiries
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db


def _summary_of(model, pk) -> tuple[str, int, str]:
    """The summary read fresh (one query allowed: the customer), and read with the customer selected."""
    doc = model.objects.get(pk=pk)
    with CaptureQueriesContext(connection) as queries:
        text = doc.task_summary()
    selected = model.objects.select_related("customer").get(pk=pk)
    with CaptureQueriesContext(connection) as none:
        again = selected.task_summary()
    assert len(none) == 0 and again == text
    return text, len(queries), doc.customer.name


def test_a_major_inquiry_says_customer_amount_subject_and_major(staff):
    doc = f.deal(staff, bid=False, is_flagged_major=True, estimated_amount="800000.00").inquiry
    doc = inquiries.inquiry_decide_bid(inquiry=doc, actor=staff.manager1)
    text, queries, customer = _summary_of(Inquiry, doc.pk)
    assert queries <= 1
    assert customer in text and "¥800,000.00" in text and "春播播种机采购" in text
    assert "major" in text or "重大" in text


def test_a_non_standard_quotation_names_how_many_reasons_and_the_first(staff):
    the_deal = f.deal(staff)
    # both lines under the floor: two R4 reasons
    quote = f.submitted_quotation(staff.sales_a, the_deal, lines=the_deal.lines("700.00", "150.00"))
    quote.refresh_from_db()
    assert len(quote.non_standard_reasons) >= 2
    text, queries, customer = _summary_of(Quotation, quote.pk)
    assert queries <= 1
    assert customer in text and "¥2,000.00" in text
    # how many reasons ("(4)", or "（4 项）" in Chinese), and the first
    assert re.search(rf"[(（]{len(quote.non_standard_reasons)}\b", text) and quote.non_standard_reasons[0] in text


def test_a_standard_quotation_says_only_customer_and_amount(staff):
    quote = f.submitted_quotation(staff.sales_a, f.deal(staff))
    text, _queries, customer = _summary_of(Quotation, quote.pk)
    assert text == f"{customer} · ¥3,000.00"


def test_a_deviating_contract_names_its_deviations(staff):
    deal = cf.Deal(staff)
    contract = cf.submitted(cf.deviating(deal.draft(), deal))
    text, queries, customer = _summary_of(Contract, contract.pk)
    assert queries <= 1
    assert customer in text and "¥14,000.00" in text
    assert re.search(r"[(（]1\b", text) and "1000.00 → 900.00" in text


def test_a_phone_order_says_customer_amount_channel_and_why_no_contract(staff):
    cust, pump = cf.customer(staff, staff.sales_a), cf.product()
    order = cf.phone_order(staff.sales_a, cust, [(pump, "2", "1500.00")])
    text, queries, customer = _summary_of(PhoneOrder, order.pk)
    assert queries <= 1
    assert customer in text and "¥3,000.00" in text and "老客户补货" in text
    assert Decimal("3000.00") == PhoneOrder.objects.get(pk=order.pk).total_amount
