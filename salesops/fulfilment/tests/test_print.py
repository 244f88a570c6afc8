"""The printed delivery documents: the delivery note on the four-part form (each copy names its
copy, no prices, on each paper size), the red note in red with its lines negative and linked to the
original note, and the requisition with its approvals."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from salesops.core.pdf import CONTINUOUS_HALF, CONTINUOUS_THIRD, FOUR_PART_COPIES

from .helpers import Order, verified_return

pytestmark = pytest.mark.django_db

POINTS_PER_MM = 72 / 25.4


def printed(client, doc, **query) -> list:
    url = reverse("workflow:document-print", args=[doc._meta.label_lower, doc.pk])
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def test_each_copy_of_the_delivery_note_names_its_copy_and_carries_no_price(staff, web_client):
    order = Order(staff)
    note = order.note()

    pages = printed(web_client(staff.warehouse), note)

    assert len(pages) == len(FOUR_PART_COPIES) == 4
    for page, copy in zip(pages, FOUR_PART_COPIES, strict=True):
        assert "销售发货单" in page and note.number in page and order.customer.name in page
        assert copy.name in page and copy.purpose in page
        assert all(other.purpose not in page for other in FOUR_PART_COPIES if other != copy)
        assert "单价" not in page and "金额" not in page and "¥" not in page


@pytest.mark.parametrize("paper", [CONTINUOUS_HALF, CONTINUOUS_THIRD])
def test_the_delivery_note_fits_one_page_per_copy_on_the_continuous_forms(staff, web_client, paper):
    order = Order(staff)
    note = order.note()
    url = reverse("workflow:document-print", args=[note._meta.label_lower, note.pk])

    reader = PdfReader(io.BytesIO(web_client(staff.back_office).get(url, {"size": paper.key}).content))

    assert len(reader.pages) == 4
    page = reader.pages[0]
    assert abs(float(page.mediabox.width) - paper.width_mm * POINTS_PER_MM) < 1
    assert abs(float(page.mediabox.height) - paper.height_mm * POINTS_PER_MM) < 1


def test_the_red_note_prints_in_red_with_negative_lines_linked_to_the_original_note(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    request = verified_return(order, outbound, "2")
    from salesops.fulfilment import services

    red = services.red_note_issue(actor=staff.back_office, return_id=request.pk)

    pages = printed(web_client(staff.back_office), red, copies="2")
    assert len(pages) == 1
    page = pages[0]
    assert "红字销售出库单" in page and "红字" in page and "仓库联" in page
    assert "-2" in page and outbound.note.number in page and outbound.number in page
    # the title and the mark are red on paper
    from django.template.loader import render_to_string

    html = render_to_string("fulfilment/print/rednote.html", {"doc": red, "paper": CONTINUOUS_HALF})
    assert 'class="red"' in html and "h1.red { color: #c62828; }" in html


def test_the_requisition_prints_with_its_contract_and_approvals(staff, web_client):
    order = Order(staff)
    requisition = order.approved_requisition()

    pages = printed(web_client(staff.back_office), requisition)
    text = "".join(pages)
    assert "货物需求申请表" in text and order.contract.number in text and "销售经理" in text


def test_the_warehouse_does_not_print_a_requisition(staff, web_client):
    order = Order(staff)
    requisition = order.approved_requisition()
    url = reverse("workflow:document-print", args=[requisition._meta.label_lower, requisition.pk])
    assert web_client(staff.warehouse).get(url).status_code == 404
