"""Export of approved invoice requests as the platform's batch-issue workbook (批量开票)."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from salesops.core.errors import Forbidden, InvalidInput
from salesops.receivables.platform import export
from salesops.receivables.platform.export import platform_export, split_trailing
from salesops.workflow.models import DocumentEvent

from .helpers import Sale
from .platform_files import BUYER_TAX_ID, PUMP_CODE, VALVE_CODE, give_tax_codes, make_special

pytestmark = pytest.mark.django_db

EXPORT_URL = "/receivables/platform/export/"
API_EXPORT = "/api/receivables/platform/export"


def _exports() -> int:
    return DocumentEvent.objects.filter(action="export").count()


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def sale(staff, monkeypatch):
    sale = Sale(staff)
    give_tax_codes(monkeypatch, {sale.pump: PUMP_CODE, sale.valve: VALVE_CODE})
    return sale


def _special_request(sale):
    """An approved special VAT invoice request for the buyer with their taxpayer ID and bank."""
    from salesops.receivables.models import InvoiceRequest

    request = sale.invoice_request(lines=[(0, "4")], remark="合同号 HT-2025-017")
    make_special(request)
    InvoiceRequest.objects.filter(pk=request.pk).update(
        buyer_address_phone="山东省济南市历城区工业北路100号 0531-88776655",
        buyer_bank_account="中国建设银行济南历城支行 3705 0161 6801 0000 1234",
        buyer_email="caiwu@example.cn",
    )
    from salesops.fulfilment.tests.helpers import decide_all
    from salesops.workflow.registry import act_on

    request = act_on(request, "submit", actor=request.owner)
    return decide_all(request, "approved")


def test_workbook_has_the_templates_sheets_rows_and_one_row_per_request_and_line(staff, sale):
    # given two approved requests: a special invoice of 4 pumps, an ordinary one of the rest
    special = _special_request(sale)
    ordinary = sale.approved_invoice_request()

    # when finance exports them
    workbook = platform_export(actor=staff.finance, request_ids=[ordinary.pk, special.pk])

    # then the workbook reads back as the template: its sheets, note, hints, headers, data from row 4
    book = load_workbook(BytesIO(workbook.content))
    assert book.sheetnames == ["1-发票基本信息", "2-发票明细信息", "3-特定业务信息", "4-附加要素信息", "excelVersion"]
    assert book["excelVersion"].sheet_state == "hidden" and book["excelVersion"]["A4"].value == "pt:20260401"
    basic, lines = _rows(book["1-发票基本信息"]), _rows(book["2-发票明细信息"])
    assert basic[0][0].startswith("填表说明")
    assert basic[1][0] == "必填\n(限20字符)" and basic[1][6] == "专票必填\n(限20字符)"
    assert basic[2] == [header for header, _hint in export.BASIC_COLUMNS] and len(basic[2]) == 39
    assert basic[2][22] == "备注" and basic[2][30] == "购买方邮箱"
    assert lines[2] == [
        "发票流水号", "项目名称", "商品和服务税收编码", "规格型号", "单位", "数量", "单价", "金额", "税率",
        "折扣金额", "是否使用优惠政策", "优惠政策类型", "即征即退类型", "煤炭种类",
    ]  # fmt: skip
    # a row per request, oldest first, its number as 发票流水号
    assert [row[0] for row in basic[3:]] == [special.number, ordinary.number]
    first = basic[3]
    assert first[1:7] == ["增值税专用发票", None, "是", None, special.buyer_title, BUYER_TAX_ID]
    assert (first[10], first[16]) == ("山东省济南市历城区工业北路100号", "0531-88776655")
    assert (first[17], first[18]) == ("中国建设银行济南历城支行", "37050161680100001234")
    assert first[19] == "展示地址、电话、开户银行及银行账号"
    assert (first[22], first[30]) == ("合同号 HT-2025-017", "caiwu@example.cn")
    assert basic[4][1] == "普通发票" and basic[4][3] == "是" and basic[4][6] is None
    # a row per line, joined by the request's number, amounts including tax as text to the fen
    expected = [
        (request.number, line)
        for request in (special, ordinary)
        for line in request.lines.select_related("product").order_by("pk")
    ]
    assert len(lines[3:]) == len(expected) == 3
    for row, (number, line) in zip(lines[3:], expected, strict=True):
        assert row[0] == number
        assert row[1] == line.product.name
        assert row[2] == (PUMP_CODE if line.product == sale.pump else VALVE_CODE)
        assert (row[3], row[4]) == (line.product.invoice_line_specification(), line.product.invoice_line_unit())
        assert Decimal(row[5]) == line.quantity and Decimal(row[6]) == line.unit_price
        assert row[7] == f"{line.amount:.2f}" and row[8] == "0.13"
    assert sum(Decimal(row[7]) for row in lines[3:]) == special.total_amount + ordinary.total_amount
    # and each request's history records the export
    assert _exports() == 2
    assert set(DocumentEvent.objects.filter(action="export").values_list("number", flat=True)) == {
        special.number,
        ordinary.number,
    }


def test_a_product_without_tax_code_refuses_the_whole_export_naming_request_and_field(staff, monkeypatch):
    # given two approved requests, the second's valve without a tax classification code
    sale = Sale(staff)
    give_tax_codes(monkeypatch, {sale.pump: PUMP_CODE})
    pumps = sale.approved_invoice_request(lines=[(0, "10")])
    both = Sale(staff)
    give_tax_codes(monkeypatch, {sale.pump: PUMP_CODE, both.pump: PUMP_CODE})
    mixed = both.approved_invoice_request()

    # when finance exports both
    with pytest.raises(InvalidInput) as refused:
        platform_export(actor=staff.finance, request_ids=[pumps.pk, mixed.pk])

    # then nothing is exported: the valve line of the second request is named
    fields = refused.value.extra["fields"]
    assert list(fields) == [f"{mixed.number}.lines.1.tax_code"]
    assert mixed.number in fields[f"{mixed.number}.lines.1.tax_code"][0]
    assert _exports() == 0


def test_a_special_invoice_without_the_buyers_tax_id_is_refused_and_nothing_exported(staff, sale):
    # given a special-invoice request whose buyer lost the taxpayer ID, beside a good one
    from salesops.receivables.models import InvoiceRequest

    good = sale.approved_invoice_request(lines=[(0, "2")])
    bad = _special_request(sale)
    InvoiceRequest.objects.filter(pk=bad.pk).update(buyer_tax_id="")

    # when finance exports them, then the bad one is named by its field, and nothing is exported
    with pytest.raises(InvalidInput) as refused:
        platform_export(actor=staff.finance, request_ids=[good.pk, bad.pk])
    assert list(refused.value.extra["fields"]) == [f"{bad.number}.buyer_tax_id"]
    assert _exports() == 0


def test_only_approved_requests_finance_sees_are_exported(staff, sale):
    draft = sale.invoice_request(lines=[(0, "1")])
    with pytest.raises(InvalidInput) as refused:
        platform_export(actor=staff.finance, request_ids=[draft.pk])
    assert list(refused.value.extra["fields"]) == ["requests"]
    with pytest.raises(Forbidden):
        platform_export(actor=sale.owner, request_ids=[draft.pk])
    assert _exports() == 0


def test_export_page_lists_the_approved_requests_and_downloads_the_chosen(
    staff, sale, client, django_assert_max_num_queries
):
    # given three approved requests
    requests = [sale.approved_invoice_request(lines=[(0, "1")]) for _ in range(3)]
    client.force_login(staff.finance)

    # when finance opens the page: each with a check box, in a bounded number of queries
    with django_assert_max_num_queries(20):
        page = client.get(EXPORT_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-testid="request-row"') == 3
    assert all(f'value="{request.pk}"' in body for request in requests)
    more = [sale.approved_invoice_request(lines=[(0, "1")]) for _ in range(2)]
    with django_assert_max_num_queries(20):
        assert client.get(EXPORT_URL).content.decode().count('data-testid="request-row"') == 5

    # and downloads two of them
    answer = client.post(EXPORT_URL, {"request": [requests[0].pk, more[1].pk]})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(answer.content))
    assert [row[0] for row in _rows(book["1-发票基本信息"])[3:]] == [requests[0].number, more[1].number]
    assert _exports() == 2


def test_export_page_shows_a_refusal_on_the_page_and_exports_nothing(staff, client, monkeypatch):
    sale = Sale(staff)
    request = sale.approved_invoice_request()  # no tax codes at all
    client.force_login(staff.finance)
    assert 'data-testid="problem"' in client.get(EXPORT_URL).content.decode()

    answer = client.post(EXPORT_URL, {"request": [request.pk]})

    assert answer.status_code == 422
    assert f'data-field-error="{request.number}.lines.0.tax_code"' in answer.content.decode()
    assert _exports() == 0


def test_only_finance_may_export(staff, sale, client, api_client):
    request = sale.approved_invoice_request()
    for user in (staff.sales_a, staff.manager1, staff.back_office):
        client.force_login(user)
        assert client.get(EXPORT_URL).status_code == 403
        assert client.post(EXPORT_URL, {"request": [request.pk]}).status_code == 403
        assert (
            api_client(user)
            .post(API_EXPORT, {"request_ids": [request.pk]}, content_type="application/json")
            .status_code
            == 403
        )
    client.logout()
    assert client.post(API_EXPORT, {"request_ids": [request.pk]}, content_type="application/json").status_code == 401
    assert _exports() == 0
    answer = api_client(staff.finance).post(API_EXPORT, {"request_ids": [request.pk]}, content_type="application/json")
    assert answer.status_code == 200 and answer.content.startswith(b"PK")
    assert _exports() == 1


def test_api_export_refusal_names_the_fields(staff, api_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    answer = api_client(staff.finance).post(API_EXPORT, {"request_ids": [request.pk]}, content_type="application/json")
    assert answer.status_code == 422
    assert set(answer.json()["extra"]["fields"]) == {
        f"{request.number}.lines.0.tax_code",
        f"{request.number}.lines.1.tax_code",
    }
    assert _exports() == 0


SPLITS = {"phone": export._TRAILING_PHONE, "account": export._TRAILING_ACCOUNT}


@pytest.mark.parametrize(
    ("value", "group", "expected"),
    [
        ("山东省潍坊市奎文区胜利东街88号 0536-8888888", "phone", ("山东省潍坊市奎文区胜利东街88号", "0536-8888888")),
        ("北京市海淀区中关村大街1号，13912345678", "phone", ("北京市海淀区中关村大街1号", "13912345678")),
        ("山东省潍坊市奎文区胜利东街88号", "phone", ("山东省潍坊市奎文区胜利东街88号", "")),
        ("中国工商银行潍坊分行 1607000109200012345", "account", ("中国工商银行潍坊分行", "1607000109200012345")),
        ("中国工商银行潍坊分行", "account", ("中国工商银行潍坊分行", "")),
        ("", "account", ("", "")),
    ],
)
def test_address_and_phone_bank_and_account_are_split_for_their_columns(value, group, expected):
    assert split_trailing(value, SPLITS[group], group) == expected


def test_a_buyer_name_longer_than_the_platform_takes_is_refused_naming_the_field(staff, sale):
    from salesops.receivables.models import InvoiceRequest

    request = sale.approved_invoice_request()
    InvoiceRequest.objects.filter(pk=request.pk).update(buyer_title="长" * 101)

    with pytest.raises(InvalidInput) as refused:
        platform_export(actor=staff.finance, request_ids=[request.pk])

    assert list(refused.value.extra["fields"]) == [f"{request.number}.buyer_title"]
    assert _exports() == 0
