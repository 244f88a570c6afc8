"""Import of the platform's 全量发票查询 workbook (sheet 信息汇总表, one row per line)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.receivables.models import Invoice, InvoiceRequestState
from salesops.receivables.platform.importing import SourceFile, Status, platform_import
from salesops.receivables.platform.sheetimport import parse_query_workbook

from .helpers import Sale, invoice_number
from .platform_files import make_special, query_workbook, upload

pytestmark = pytest.mark.django_db


def _import(staff, data: bytes, name: str = "全量发票查询导出.xlsx"):
    return platform_import(actor=staff.finance, files=[SourceFile(name, data)])


def test_the_workbooks_rows_group_into_invoices_by_number(staff):
    one, two = Sale(staff).approved_invoice_request(), Sale(staff).approved_invoice_request(lines=[(1, "3")])
    numbers = [invoice_number(), invoice_number()]

    invoices, problems = parse_query_workbook(
        query_workbook([(one, numbers[0], {}), (two, numbers[1], {})]), source="q.xlsx"
    )

    assert problems == []
    assert [(invoice.invoice_number, len(invoice.lines)) for invoice in invoices] == [(numbers[0], 2), (numbers[1], 1)]
    assert [invoice.total for invoice in invoices] == [one.total_amount, two.total_amount]
    assert invoices[0].buyer_name == one.buyer_title and invoices[0].kind == "ordinary"
    assert invoices[0].issued_on == timezone.localdate()
    assert invoices[1].lines[0].tax_rate == Decimal("0.13")


def test_a_workbook_with_a_good_and_a_bad_invoice_records_the_good_one(staff):
    # given two approved requests, and the export of their invoices: the second one's number does
    # not start with its issue year
    good, bad = Sale(staff).approved_invoice_request(), Sale(staff).approved_invoice_request()
    number = invoice_number()
    wrong = f"{(timezone.localdate().year - 1) % 100:02d}" + invoice_number()[2:]
    data = query_workbook([(good, number, {}), (bad, wrong, {})])

    # when finance imports the workbook
    outcomes = _import(staff, data)

    # then the good invoice is recorded with its lines; the bad one is refused naming the field
    by_number = {outcome.invoice_number: outcome for outcome in outcomes}
    assert by_number[number].status == Status.RECORDED
    assert by_number[wrong].status == Status.REFUSED and list(by_number[wrong].errors) == ["invoice_number"]
    invoice = Invoice.objects.get()
    assert (invoice.invoice_number, invoice.request) == (number, good)
    assert invoice.lines.count() == 2 and invoice.total_amount == good.total_amount
    bad.refresh_from_db()
    assert bad.state == InvoiceRequestState.APPROVED


def test_a_line_outside_the_bureaus_tolerance_is_refused_with_the_services_field(staff):
    request = Sale(staff).approved_invoice_request(lines=[(0, "2")])
    [line] = request.lines.all()
    # 0.10 moved from tax to amount: the line still adds up, its tax is 0.113 off amount × rate
    from salesops.receivables.taxmath import line_from_gross

    taxed = line_from_gross(line.quantity, line.unit_price, line.tax_rate)
    overrides = {"金额": str(taxed.amount + Decimal("0.10")), "税额": str(taxed.tax - Decimal("0.10"))}

    [outcome] = _import(staff, query_workbook([(request, invoice_number(), overrides)]))

    assert outcome.status == Status.REFUSED and "lines.0.tax" in outcome.errors
    assert not Invoice.objects.exists()


def test_a_serial_column_matches_by_the_request_number(staff):
    # given two approved requests for the same buyer and total: only the serial tells them apart
    sale = Sale(staff)
    first = sale.approved_invoice_request(lines=[(0, "1")])
    second = sale.approved_invoice_request(lines=[(0, "1")])

    [outcome] = _import(staff, query_workbook([(second, invoice_number(), {})], serial=True))

    assert outcome.status == Status.RECORDED and Invoice.objects.get().request == second
    first.refresh_from_db()
    assert first.state == InvoiceRequestState.APPROVED


def test_a_special_invoice_is_matched_by_the_buyers_tax_id(staff):
    sale = Sale(staff)
    request = sale.invoice_request()
    make_special(request)
    from salesops.fulfilment.tests.helpers import decide_all
    from salesops.workflow.registry import act_on

    request = decide_all(act_on(request, "submit", actor=request.owner), InvoiceRequestState.APPROVED)
    # the platform prints the registered name in full-width brackets; the tax ID is the same
    data = query_workbook([(request, invoice_number(), {"购买方名称": "济南示例化工（集团）有限公司"})])

    [outcome] = _import(staff, data)

    assert outcome.status == Status.RECORDED
    assert Invoice.objects.get().kind == "special"


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"数电发票号码": 2.6372e19}, Status.UNREADABLE, "invoice_number"),
        ({"金额": "abc"}, Status.UNREADABLE, "lines.0.amount"),
        ({"价税合计": "1.00"}, Status.UNREADABLE, "total_amount"),
        ({"发票状态": "已作废"}, Status.UNMATCHED, None),
        ({"是否正数发票": "否"}, Status.UNMATCHED, None),
    ],
)
def test_what_cannot_be_recorded_from_a_workbook_is_reported_and_nothing_written(staff, overrides, status, field):
    request = Sale(staff).approved_invoice_request(lines=[(0, "2")])

    [outcome] = _import(staff, query_workbook([(request, invoice_number(), overrides)]))

    assert outcome.status == status
    if field:
        assert field in outcome.errors
    assert not Invoice.objects.exists()


def test_a_workbook_without_the_export_layout_is_unreadable(staff):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["客户", "金额"])
    buffer = BytesIO()
    book.save(buffer)
    [outcome] = _import(staff, buffer.getvalue())
    assert outcome.status == Status.UNREADABLE and list(outcome.errors) == ["file"]
    [outcome] = _import(staff, b"PK\x03\x04 not really a workbook")
    assert outcome.status == Status.UNREADABLE


def test_the_import_page_takes_a_workbook(staff, client):
    request = Sale(staff).approved_invoice_request()
    number = invoice_number()
    client.force_login(staff.finance)

    answer = client.post(
        "/receivables/platform/import/", {"files": [upload("全量发票.xlsx", query_workbook([(request, number, {})]))]}
    )

    assert answer.status_code == 200 and 'data-status="recorded"' in answer.content.decode()
    assert Invoice.objects.get().invoice_number == number
