"""The printed quotation (报价单 / 投标报价书, W2.6) and sales contract (销售合同, W3) through the
generic print view: number, the customer's Chinese name and the total, for people in scope only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # Titles are letter-spaced, so extraction puts blanks between their characters.
    return text.replace(" ", "")


def _url(doc) -> str:
    return reverse("workflow:document-print", args=[doc._meta.label_lower, doc.pk])


def test_the_issued_quotation_prints_its_number_customer_total_and_terms(staff, web_client):
    # given a quotation issued after the manager's review: 2 × ¥1,000.00 + 4 × ¥250.00
    deal = f.deal(staff)
    deal.customer.name = "济南市历城区农业机械合作社"
    deal.customer.save(update_fields=["name"])
    quotation = f.issued_quotation(staff, deal)
    # when its owner prints it
    text = _text(web_client(staff.sales_a).get(_url(quotation)))
    # then it is the document to bind, stamp and submit
    assert "报价单" in text
    assert quotation.number in text
    assert "济南市历城区农业机械合作社" in text
    assert "¥3,000.00" in text
    assert "叁仟元整" in text
    assert "合同签订后15天" in text and "客户仓库" in text and "一年" in text


def test_a_tender_quotation_prints_as_a_tender_offer(staff, web_client):
    deal = f.deal(staff, kind="tender", source="government")
    quotation = f.issued_quotation(staff, deal)
    text = _text(web_client(staff.manager1).get(_url(quotation)))
    assert "投标报价书" in text and quotation.number in text


def test_the_contract_prints_its_parties_lines_and_total(staff, web_client):
    # given a signed contract of 10 × ¥1,000.00 + 10 × ¥500.00
    deal = cf.Deal(staff)
    deal.customer.name = "山东省潍坊市寒亭区农机服务中心"
    deal.customer.save(update_fields=["name"])
    contract = cf.signed_contract(staff, deal)
    # when the manager prints it
    text = _text(web_client(staff.manager1).get(_url(contract)))
    # then
    assert "销售合同" in text
    assert contract.number in text and deal.quotation.number in text
    assert "山东省潍坊市寒亭区农机服务中心" in text
    assert "¥15,000.00" in text and "壹万伍仟元整" in text
    assert "水泵" in text and "阀门" in text


@pytest.mark.parametrize("kind", ["quotation", "contract"])
def test_people_who_do_not_see_the_document_cannot_print_it(staff, web_client, kind):
    # given a document of sales_a's
    doc = f.issued_quotation(staff, f.deal(staff)) if kind == "quotation" else cf.signed_contract(staff, cf.Deal(staff))
    # when another salesperson, or the other branch's manager, asks for its print
    for outsider in (staff.sales_b, staff.sales_c, staff.manager2):
        response = web_client(outsider).get(_url(doc))
        # then it does not exist for them
        assert response.status_code == 404, outsider


def test_the_register_prints_every_number_in_order_with_void_reasons(staff, web_client):
    # given two contracts of the month, the first voided with its reason
    first, second = cf.Deal(staff).draft(), cf.Deal(staff).draft()
    from salesops.deals.services.contracts import contract_void

    contract_void(actor=staff.manager1, contract=first, reason="客户取消订单")
    period = first.number[2:8]
    url = reverse("deals:register-pdf", args=[period])
    # when the sales office prints the register
    text = _text(web_client(staff.back_office).get(url))
    # then both numbers stand in order, the void with its reason (R15)
    assert "销售合同编号登记表" in text
    assert text.index(first.number) < text.index(second.number)
    assert "客户取消订单" in text
    # and a salesperson may not print it
    assert web_client(staff.sales_a).get(url).status_code == 403
