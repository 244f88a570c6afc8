"""The printed forms (销售费用申请单, 客户特殊费用申请单) through the generic print view."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from salesops.expenses import services
from salesops.expenses.templatetags.expense_print import rmb_upper
from salesops.expenses.tests.factories import instructed_special_fee, submitted_expense

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # The title is letter-spaced, so extraction puts blanks between its characters.
    return text.replace(" ", "")


def test_the_printed_expense_carries_its_number_amount_and_approvals(staff, web_client, cust_a):
    # given an approved expense
    doc = submitted_expense(staff.sales_a, "1234.50", customer_id=cust_a.pk)
    doc = services.expense_transition(expense=doc, action="approve", actor=staff.manager1, comment="同意")
    # when it is printed
    url = reverse("workflow:document-print", args=["expenses.expenserequest", doc.pk])
    text = _text(web_client(staff.sales_a).get(url))
    # then
    assert doc.number in text
    assert "¥1,234.50" in text
    assert "销售费用申请单" in text
    assert "壹仟贰佰叁拾肆元伍角整" in text
    assert "manager1" in text  # the approver's name in the approval chain


def test_the_printed_special_fee(staff, web_client, cust_a):
    fee = instructed_special_fee(staff, cust_a, "20000.00")
    url = reverse("workflow:document-print", args=["expenses.specialfee", fee.pk])
    text = _text(web_client(staff.finance).get(url))
    assert fee.number in text and "20,000.00" in text and "客户特殊费用申请单" in text
    assert "boss" in text  # leadership's instruction in the chain


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("10", "壹拾元整"),
        ("100.05", "壹佰元零伍分"),
        ("1001.50", "壹仟零壹元伍角整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1000000", "壹佰万元整"),
        ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("100000001", "壹亿零壹元整"),
    ],
)
def test_amount_in_capital_numerals(amount, words):
    assert rmb_upper(Decimal(amount)) == words
