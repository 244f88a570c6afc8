"""The printed statement of account (客户对账单, R13), through the kit's print button: read back from
the PDF as the customer reads it."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from salesops.core.templatetags.amounts import rmb_upper
from salesops.org.models import Company
from salesops.receivables import services
from salesops.receivables.models import Statement

from .helpers import Sale
from .statement_data import campaign, paying_customer, sent, statement_of

pytestmark = pytest.mark.django_db

# A 2 × 2 red PNG: the company's stamp.
RED_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001049444154789c63f8cfc000440c"
    "100a001fee03fd8b5f14d40000000049454e44ae426082"
)


def _pdf(client, statement) -> tuple[str, int]:
    response = client.get(reverse("workflow:document-print", args=["receivables.statement", statement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    return text, sum(len(page.images) for page in reader.pages)


def test_the_statement_prints_the_customer_both_bases_the_closing_balance_in_capitals_and_the_reply(staff, web_client):
    sale = Sale(staff)
    sale.invoice(sale.approved_invoice_request(lines=[(0, "10")]))  # the pumps only
    sale.receipt("1000.00")
    statement = statement_of(campaign(staff), sale.customer)
    assert statement.closing_by_invoice > 0 and statement.delivered_not_invoiced > 0
    text, _images = _pdf(web_client(staff.sales_a), statement)
    assert "客户对账单" in text and statement.number in text and sale.customer.name in text
    assert f"¥{statement.closing_by_invoice:,.2f}" in text
    assert (
        f"贵单位尚欠我公司¥{statement.closing_by_invoice:,.2f}，大写：人民币{rmb_upper(statement.closing_by_invoice)}"
        in text
    )
    assert f"¥{statement.closing_by_delivery:,.2f}" in text
    assert f"已发货未开票¥{statement.delivered_not_invoiced:,.2f}" in text
    assert "按发货口径" in text and "按发票口径" in text
    assert "相符" in text and "不符" in text and "客户（盖章）" in text and "经办人（签字）" in text
    for entry in statement.entries:
        assert entry["number"] in text


def test_money_paid_ahead_is_printed_as_such_not_as_a_negative_capital_amount(staff, web_client):
    customer = paying_customer(staff, amount="1234.50")
    statement = statement_of(campaign(staff), customer)
    assert statement.closing_by_invoice == Decimal("-1234.50")
    text, _images = _pdf(web_client(staff.finance), statement)
    assert "贵单位预付/多付¥1,234.50，大写：人民币壹仟贰佰叁拾肆元伍角整" in text
    assert "负" not in text


def test_the_statement_prints_with_the_company_stamp_in_every_state(staff, web_client):
    company = Company.current()
    company.stamp.save("stamp.png", ContentFile(RED_PNG), save=True)
    customer = paying_customer(staff)
    statement = statement_of(campaign(staff), customer)
    text, images = _pdf(web_client(staff.finance), statement)
    # (pypdf counts an image once per page whose resources name it)
    assert images >= 1 and "草稿" not in text
    assert text.count(f"{company.name}（盖章）") == 1  # above the reply, not again at the foot
    sent(statement, staff.finance)
    assert _pdf(web_client(staff.finance), Statement.objects.get(pk=statement.pk))[1] >= 1


def test_a_replied_statement_prints_the_reply_as_recorded(staff, web_client):
    customer = paying_customer(staff)
    statement = sent(statement_of(campaign(staff), customer), staff.finance)
    services.statement_reply(
        statement=statement,
        actor=staff.finance,
        agreed=False,
        replied_on=timezone.localdate(),
        signatory="王会计",
        differences=[{"item": "运费", "ours": "", "theirs": "50.00", "note": "未记"}],
    )
    text, _images = _pdf(web_client(staff.finance), Statement.objects.get(pk=statement.pk))
    assert "运费" in text and "50.00" in text and "王会计" in text


def test_the_salesperson_prints_their_customers_statement_only(staff, web_client):
    mine = paying_customer(staff)
    theirs = paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    client = web_client(staff.sales_a)
    assert _pdf(client, statement_of(run, mine))[0]
    url = reverse("workflow:document-print", args=["receivables.statement", statement_of(run, theirs).pk])
    assert client.get(url).status_code == 404
