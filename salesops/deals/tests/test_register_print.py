"""The month's contract register (R15) at a real month's size (defect 12 of issue 6): the page shows
the month's summary (counts, gaps, voids) on top and its contracts a hundred a page, in a fixed
number of queries; the PDF prints every number in order as a light text grid, a header on every
page, the states in Chinese. (Its speed is measured by a script, not asserted: see the closing note.)
"""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from salesops.core.models import NumberSequence
from salesops.customers.tests.factories import CustomerFactory
from salesops.deals.models import Contract, Quotation
from salesops.deals.selectors.register import ROWS_PER_PAGE, display_width, register_get_for, register_print

pytestmark = pytest.mark.django_db

PERIOD = "202401"
MISSING = 7  # the number no contract holds: a gap the register must name


def _number(n: int, period: str = PERIOD) -> str:
    return f"HT{period}{n:04d}"


def _month(staff, count: int, *, period: str = PERIOD, customer_name: str = "济南农机客户有限公司") -> list[str]:
    """``count`` numbers drawn in the month, every tenth contract voided with its reason, number 7
    missing (a gap). Bulk-created: the register reads what is stored, whatever made it."""
    owner = staff.sales_a
    customer = CustomerFactory(owner=owner, region=staff.region, name=customer_name)
    common = {"owner": owner, "branch": owner.branch, "department": owner.department, "customer": customer}
    quotation = Quotation.objects.create(number=f"BJ{period}0001", state="issued", valid_until="2024-02-01", **common)
    Contract.objects.bulk_create(
        Contract(
            number=_number(n, period),
            state="voided" if n % 10 == 0 else "draft",
            void_reason=f"客户取消订单 {n}" if n % 10 == 0 else "",
            quotation=quotation,
            total_amount=Decimal("1000.00") * n,
            **common,
        )
        for n in range(1, count + 1)
        if n != MISSING
    )
    NumberSequence.objects.create(prefix="HT", period=period, last=count)
    return [_number(n, period) for n in range(1, count + 1) if n != MISSING]


def _pdf_pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def _numbers_in(html: str) -> list[str]:
    return re.findall(r'data-testid="row" data-number="([^"]+)"', html)


# --- the page ---------------------------------------------------------------------------------


def test_the_months_page_shows_the_summary_on_every_page_and_a_hundred_contracts_a_page(staff, web_client):
    # given a month of 250 numbers: 25 voided, number 7 missing
    numbers = _month(staff, 250)
    office = web_client(staff.back_office)
    url = reverse("deals:register-detail", args=[PERIOD])
    # when the sales office opens the month, then its third page
    first = office.get(url).content.decode()
    third = office.get(url, {"page": 3}).content.decode()
    # then each page lists its hundred contracts in number order
    assert _numbers_in(first) == numbers[:ROWS_PER_PAGE]
    assert _numbers_in(third) == numbers[2 * ROWS_PER_PAGE :]
    # and the month's summary stands on top of both: counts, the gap, every void with its reason
    for html in (first, third):
        summary = html[: html.index('data-testid="row"')]
        assert re.search(r'data-testid="contract-count">249<', summary)
        assert re.search(r'data-testid="voided-count">25<', summary)
        assert _number(MISSING) in summary[summary.index('data-testid="gaps"') :]
        assert summary.count('data-testid="void"') == 25
        assert "客户取消订单 250" in summary


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_months_page_reads_a_fixed_number_of_queries(staff, web_client, django_assert_max_num_queries):
    # given a month of 120 numbers and one of 360
    _month(staff, 120)
    _month(staff, 360, period="202402", customer_name="青岛农机客户有限公司")
    office = web_client(staff.back_office)
    # then the larger month costs not one query more, on its first page or its last
    small = _queries(office, reverse("deals:register-detail", args=[PERIOD]))
    assert _queries(office, reverse("deals:register-detail", args=["202402"])) == small
    # (12 before the due day became the company's and the calendar's: three queries more)
    with django_assert_max_num_queries(15):
        assert office.get(reverse("deals:register-detail", args=["202402"]), {"page": 4}).status_code == 200


def test_the_register_list_pages_back_through_the_months(staff, web_client):
    # given contract numbers drawn in January 2024, long before the last twelve months
    _month(staff, 3)
    office = web_client(staff.back_office)
    url = reverse("deals:register-list")
    pages = [office.get(url, {"page": n}).content.decode() for n in range(1, 10)]
    periods = [re.findall(r'data-period="(\d{6})"', page) for page in pages]
    # then the first page is this month and the twelve before it, and a later page reaches 2024-01
    assert len(periods[0]) == 13
    assert any(PERIOD in found for found in periods[1:])
    assert PERIOD not in periods[0]


# --- the print --------------------------------------------------------------------------------


def test_the_printed_register_lists_every_number_with_a_header_on_every_page(staff, web_client):
    # given a month of 150 numbers (15 voided, number 7 missing)
    numbers = _month(staff, 150)
    office = web_client(staff.back_office)
    # the sales office reads the site in English
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when it prints the month's register
    pages = _pdf_pages(office.get(reverse("deals:register-pdf", args=[PERIOD])))
    text = "".join(pages)
    # then the summary on top names the counts and the gap
    top = pages[0].replace(" ", "")  # the title is letter-spaced
    assert "销售合同编号登记表" in top and "状态：已逾期" in top
    assert "本月合同编号149个，其中作废15个" in top
    assert f"缺号：{_number(MISSING)}" in top
    # and every number stands in order, each void with its reason, the states in Chinese
    positions = [text.index(number) for number in numbers]
    assert positions == sorted(positions)
    assert "客户取消订单 150" in text and "已作废" in text and "草稿" in text
    assert "Voided" not in text and "Draft" not in text
    # and every page that holds contracts starts under the column header
    for page in pages:
        if "HT" in page:
            assert "合同编号" in page and page.index("合同编号") < page.index(f"HT{PERIOD}")
    assert "1,000.00" in text and "150,000.00" in text


def test_a_long_customer_name_wraps_in_its_column_and_stays_on_its_row(staff):
    name = "山东省济南市历城区现代农业机械专业合作社联合社有限公司第二分公司"
    _month(staff, 2, customer_name=name)
    grid = register_print(register_get_for(user=staff.back_office, period=PERIOD))
    row = grid["pages"][0][0]
    first, second = row.text.split("\n")
    # the name takes two lines of the same row, both starting in the customer column
    assert row.lines == 2
    column = display_width(grid["header"][: grid["header"].index("客户")])
    assert display_width(first[: first.index("山东省")]) == column
    assert display_width(second) - display_width(second.lstrip()) == column
    assert first[first.index("山东省") :].split("  ")[0] + second.strip().split("  ")[0] == name


def test_only_those_who_see_every_contract_open_or_print_the_register(staff, web_client):
    _month(staff, 3)
    for name in ("sales_a", "manager1", "finance"):
        client = web_client(getattr(staff, name))
        assert client.get(reverse("deals:register-detail", args=[PERIOD])).status_code == 403
        assert client.get(reverse("deals:register-pdf", args=[PERIOD])).status_code == 403
    assert web_client(staff.boss).get(reverse("deals:register-detail", args=[PERIOD])).status_code == 200
