"""Defect 4 of the document kit: a document prints with the company stamp only in the states its
type declares printable for the customer (quotation: issued; contract: confirmed and later). In
any other state the PDF has no stamp and a diagonal 草稿·未经审批·不得外发 watermark, and internal
marks such as （非常规） never reach the customer's copy."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from salesops.deals.services import quotations
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f
from salesops.org.models import Company

pytestmark = pytest.mark.django_db

WATERMARK = "草稿·未经审批·不得外发"
# A 2 × 2 red PNG: the stamp image.
RED_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001049444154789c63f8cfc000440c"
    "100a001fee03fd8b5f14d40000000049454e44ae426082"
)


@pytest.fixture
def stamp(staff):
    company = Company.current()
    company.stamp.save("stamp.png", ContentFile(RED_PNG), save=True)
    return company


def _pdf(client, doc) -> tuple[str, int]:
    response = client.get(reverse("workflow:document-print", args=[doc._meta.label_lower, doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    images = sum(len(page.images) for page in reader.pages)
    return text, images


def test_a_draft_quotation_prints_without_the_stamp_under_the_watermark(staff, stamp, web_client):
    quotation = f.quotation(staff.sales_a, f.deal(staff))
    text, images = _pdf(web_client(staff.sales_a), quotation)
    assert images == 0
    assert WATERMARK in text


def test_a_pending_non_standard_quotation_prints_without_the_stamp(staff, stamp, web_client):
    deal = f.deal(staff)
    quotation = f.submitted_quotation(
        staff.sales_a, deal, deal.lines(seeder_price="700.00"), payment_terms="other", payment_terms_note="货到三月付款"
    )
    assert quotation.is_non_standard
    text, images = _pdf(web_client(staff.manager1), quotation)
    assert images == 0 and WATERMARK in text
    assert "非常规" not in text


def test_an_issued_quotation_prints_with_the_stamp_and_no_internal_mark(staff, stamp, web_client):
    deal = f.deal(staff)
    quotation = f.issued_quotation(staff, deal, payment_terms="other", payment_terms_note="货到三月付款")
    text, images = _pdf(web_client(staff.sales_a), quotation)
    assert images >= 1
    assert WATERMARK not in text
    assert "货到三月付款" in text and "非常规" not in text


def test_a_contract_with_unconfirmed_deviations_prints_without_the_stamp(staff, stamp, web_client):
    deal = cf.Deal(staff)
    contract = cf.submitted(cf.deviating(deal.draft(), deal))
    assert contract.state == "pending"
    text, images = _pdf(web_client(staff.sales_a), contract)
    assert images == 0 and WATERMARK in text


def test_a_confirmed_contract_prints_with_the_stamp(staff, stamp, web_client):
    contract = cf.confirmed_contract(staff, cf.Deal(staff))
    text, images = _pdf(web_client(staff.sales_a), contract)
    assert images >= 1 and WATERMARK not in text


def test_approving_the_quotation_does_not_yet_stamp_it_issuing_does(staff, stamp, web_client):
    deal = f.deal(staff)
    quotation = f.approved_quotation(staff, deal)
    assert _pdf(web_client(staff.sales_a), quotation)[1] == 0
    quotation = quotations.quotation_issue(quotation=quotation, actor=staff.sales_a)
    assert _pdf(web_client(staff.sales_a), quotation)[1] >= 1
