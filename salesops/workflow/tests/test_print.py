"""The kit's printed forms in copies (联) and paper sizes, read back from real WeasyPrint PDFs.

The kit's test type (``kitapp.Memo``) prints as a delivery note would: four copies
(``FOUR_PART_COPIES``: 第一联 存根 · 第二联 仓库联 · 第三联 客户联 · 第四联 回单联) on 241×140 by
default, 241×93 or A4. Each copy is its own run of pages, marked in the right margin.
"""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from salesops.core.pdf import A4, CONTINUOUS_HALF, CONTINUOUS_THIRD, FOUR_PART_COPIES, FormCopy
from salesops.expenses.tests.factories import customer, instructed_special_fee
from salesops.workflow.printing import print_copies_set
from salesops.workflow.tests.kitapp.models import MemoLine
from salesops.workflow.tests.samples import memo

pytestmark = pytest.mark.django_db

POINTS_PER_MM = 72 / 25.4
# Lines as a delivery note of farm machinery carries them: name, model, unit, quantity, unit price.
LINES = [
    ("旋耕机", "1GQN-200", "台", "2", "12800.00"),
    ("深松机", "1S-300", "台", "1", "23500.00"),
    ("播种机配件 排种器", "2BYF-4 配套", "套", "12", "385.50"),
    ("镇压辊", "ZY-180", "件", "4", "960.00"),
    ("旋耕刀", "IT245 国标", "把", "120", "18.60"),
    ("齿轮箱总成", "GQN-200 专用", "台", "1", "4650.00"),
    ("万向节传动轴", "QJ-6 系列", "根", "3", "780.00"),
    ("防尘罩", "通用型", "个", "10", "45.00"),
]
MARKS = [(copy.name, copy.purpose) for copy in FOUR_PART_COPIES]


def memo_with_lines(staff, count: int):
    doc = memo(staff, staff.sales_a).doc
    MemoLine.objects.bulk_create(
        MemoLine(memo=doc, product=p, specification=s, unit=u, quantity=Decimal(q), unit_price=Decimal(price))
        for p, s, u, q, price in (LINES[n % len(LINES)] for n in range(count))
    )
    return doc


def print_url(doc) -> str:
    return reverse("workflow:document-print", args=[doc._meta.label_lower, doc.pk])


def pages_of(response) -> list:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return list(PdfReader(io.BytesIO(response.content)).pages)


def text_of(page) -> str:
    # The mark stands one character per line, and titles are letter-spaced: compare without blanks.
    return "".join(page.extract_text().split())


def assert_size(page, paper) -> None:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width - paper.width_mm * POINTS_PER_MM) < 1, (width, paper)
    assert abs(height - paper.height_mm * POINTS_PER_MM) < 1, (height, paper)


def assert_marked(page, mark: tuple[str, str], others: list[tuple[str, str]]) -> None:
    text = text_of(page)
    assert mark[0] in text and mark[1] in text, (mark, text[-40:])
    for name, purpose in others:
        assert name not in text and purpose not in text, (mark, name, purpose)


def test_a_four_part_form_prints_one_page_per_copy_each_with_its_own_mark(staff, web_client):
    # given a memo of three lines, printed as its type declares: four copies on 241×140
    doc = memo_with_lines(staff, 3)
    # when its owner prints it without choosing
    pages = pages_of(web_client(staff.sales_a).get(print_url(doc)))
    # then each copy is one page of the default paper, marked as that copy and no other
    assert len(pages) == 4
    for n, page in enumerate(pages):
        assert_size(page, CONTINUOUS_HALF)
        assert_marked(page, MARKS[n], MARKS[:n] + MARKS[n + 1 :])
        assert doc.number in text_of(page) and "旋耕机" in text_of(page)


@pytest.mark.parametrize("paper", [CONTINUOUS_HALF, CONTINUOUS_THIRD, A4], ids=lambda paper: paper.key)
def test_the_page_is_the_paper_asked_for(staff, web_client, paper):
    doc = memo_with_lines(staff, 3)
    pages = pages_of(web_client(staff.sales_a).get(print_url(doc), {"size": paper.key, "copies": "3"}))
    assert len(pages) == 1
    assert_size(pages[0], paper)
    assert_marked(pages[0], MARKS[2], [m for m in MARKS if m != MARKS[2]])


def test_eight_lines_fit_one_third_sheet_per_copy(staff, web_client):
    # given a delivery of eight lines
    doc = memo_with_lines(staff, 8)
    # when it is printed on the 1/3 continuous form (241×93)
    pages = pages_of(web_client(staff.sales_a).get(print_url(doc), {"size": "241x93"}))
    # then each copy is one sheet holding the whole document: every line, the total, the seal
    assert len(pages) == 4
    for n, page in enumerate(pages):
        text = text_of(page)
        assert_size(page, CONTINUOUS_THIRD)
        assert_marked(page, MARKS[n], MARKS[:n] + MARKS[n + 1 :])
        assert "防尘罩" in text and "合计" in text
        assert "（盖章）" in text and "1/1" in text


def test_a_long_document_flows_onto_more_pages_per_copy_each_marked(staff, web_client):
    # given forty lines, more than a 1/3 sheet holds
    doc = memo_with_lines(staff, 40)
    # when the warehouse and receipt copies are printed on it
    pages = pages_of(web_client(staff.sales_a).get(print_url(doc), {"size": "241x93", "copies": "2,4"}))
    # then each copy runs over the same number of pages, numbered within the copy, every page marked
    assert len(pages) % 2 == 0 and len(pages) >= 4
    per_copy = len(pages) // 2
    for n, page in enumerate(pages):
        mark = MARKS[1] if n < per_copy else MARKS[3]
        assert_marked(page, mark, [m for m in MARKS if m != mark])
        assert f"{n % per_copy + 1}/{per_copy}" in text_of(page)
    assert "合计" in text_of(pages[per_copy - 1]) and "合计" in text_of(pages[-1])


def test_the_companys_copies_are_what_prints(staff, web_client):
    # given the company prints memos in three copies, renamed
    print_copies_set(
        actor=staff.admin,
        doc_type="workflow_kit.memo",
        copies=[
            FormCopy("第一联", "财务联", "白", "#333333"),
            FormCopy("第二联", "提货联", "粉", "#d81b60"),
            FormCopy("第三联", "签收联", "绿", "#2e7d32"),
        ],
    )
    doc = memo_with_lines(staff, 3)
    # when a memo is printed on A4
    pages = pages_of(web_client(staff.sales_a).get(print_url(doc), {"size": "a4"}))
    # then its three copies print, as the company named them
    marks = [("第一联", "财务联"), ("第二联", "提货联"), ("第三联", "签收联")]
    assert len(pages) == 3
    for n, page in enumerate(pages):
        assert_size(page, A4)
        assert_marked(page, marks[n], marks[:n] + marks[n + 1 :] + [("第四联", "存根")])
        assert "仓库联" not in text_of(page)


def test_a_type_without_copies_prints_one_a4_document_as_before(staff, web_client):
    fee = instructed_special_fee(staff, customer(staff, staff.sales_a), "20000.00")
    pages = pages_of(web_client(staff.finance).get(print_url(fee)))
    assert len(pages) == 1
    assert_size(pages[0], A4)
    assert "客户特殊费用申请单" in text_of(pages[0]) and "第一联" not in text_of(pages[0])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"size": "a5"}, "size"),
        ({"size": "241x94"}, "size"),
        ({"copies": "5"}, "copies"),
        ({"copies": "2,x"}, "copies"),
    ],
)
def test_a_paper_or_copy_the_form_does_not_have_is_refused(staff, web_client, query, field):
    doc = memo_with_lines(staff, 1)
    response = web_client(staff.sales_a).get(print_url(doc), query)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    message = "This document is not printed on that paper size." if field == "size" else "This form has no such copy."
    with translation.override(settings.LANGUAGE_CODE):  # the page speaks the company's language
        assert response.context["message"] == gettext(message)


def test_a_paper_another_type_prints_on_is_refused(staff, web_client):
    # the special fee prints on A4 only
    fee = instructed_special_fee(staff, customer(staff, staff.sales_a), "20000.00")
    response = web_client(staff.finance).get(print_url(fee), {"size": "241x93"})
    assert response.status_code == 422


def test_people_who_do_not_see_the_document_cannot_print_it_in_any_size(staff, web_client):
    # given a memo of sales_a's
    doc = memo_with_lines(staff, 1)
    for outsider in (staff.sales_b, staff.manager2):
        for query in ({}, {"size": "241x93", "copies": "2"}, {"size": "a5"}):
            # then it does not exist for them, whatever they ask (no 422 that would tell it exists)
            assert web_client(outsider).get(print_url(doc), query).status_code == 404, (outsider, query)
