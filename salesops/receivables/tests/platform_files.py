"""Test data for the platform files: tax codes on the sale's products, and the files the platform
would give back for a request (its XML, its 全量发票查询 workbook), made the way the platform
makes them: each line split from its amount including tax."""

import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.catalog.models import Product
from salesops.org.models import Company
from salesops.receivables.models import InvoiceRequest
from salesops.receivables.taxmath import line_from_gross

FIXTURES = Path(__file__).parent / "fixtures" / "platform"
PUMP_CODE = "1090118010000000000"
VALVE_CODE = "1090122020000000000"
BUYER_TAX_ID = "91370100MA3BUYER01"


def give_tax_codes(monkeypatch, codes: dict[Product, str]) -> None:
    """Set the products' tax classification codes (and the short name a code needs)."""
    for product, code in codes.items():
        Product.objects.filter(pk=product.pk).update(tax_code=code, tax_short_name="农业机械" if code else "")


def make_special(request: InvoiceRequest, tax_id: str = BUYER_TAX_ID) -> InvoiceRequest:
    """Turn a draft request into a special VAT invoice for a buyer with a taxpayer ID (setup only:
    the customer record of this branch has no tax ID field yet)."""
    InvoiceRequest.objects.filter(pk=request.pk).update(kind="special", buyer_tax_id=tax_id)
    request.refresh_from_db()
    return request


def platform_lines(request: InvoiceRequest) -> list[dict[str, Any]]:
    lines = []
    for line in request.lines.select_related("product").order_by("pk"):
        taxed = line_from_gross(line.quantity, line.unit_price, line.tax_rate)
        lines.append(
            {
                "name": line.product.name,
                "code": getattr(line.product, "tax_code", "") or PUMP_CODE,
                "spec": line.product.specification,
                "unit": line.product.unit,
                "quantity": f"{line.quantity.normalize():f}",
                "price": f"{taxed.unit_price}",
                "amount": taxed.amount,
                "rate": line.tax_rate,
                "tax": taxed.tax,
            }
        )
    return lines


def issued_xml(
    request: InvoiceRequest,
    number: str,
    issued_on: datetime.date | None = None,
    *,
    percent_rates: bool = False,
    buyer_name: str | None = None,
    seller_tax_id: str | None = None,
    with_time: bool = True,
) -> bytes:
    """The XML the platform gives for the invoice it issued from ``request``."""
    issued_on = issued_on or timezone.localdate()
    lines = platform_lines(request)
    net = sum((line["amount"] for line in lines), Decimal("0"))
    tax = sum((line["tax"] for line in lines), Decimal("0"))
    kind = "增值税专用发票" if request.kind == "special" else "普通发票"
    company = Company.current()
    items = "".join(
        f"""
    <IssuItemInformation>
      <ItemName>{escape(line["name"])}</ItemName><SpecMod>{escape(line["spec"])}</SpecMod>
      <MeaUnits>{escape(line["unit"])}</MeaUnits><Quantity>{line["quantity"]}</Quantity>
      <UnPrice>{line["price"]}</UnPrice><Amount>{line["amount"]}</Amount>
      <TaxRate>{f"{line['rate'] * 100:.0f}%" if percent_rates else f"{line['rate'].normalize():f}"}</TaxRate>
      <ComTaxAm>{line["tax"]}</ComTaxAm><TotaltaxIncludedAmount>{line["amount"] + line["tax"]}</TotaltaxIncludedAmount>
      <TaxClassificationCode>{line["code"]}</TaxClassificationCode>
    </IssuItemInformation>"""
        for line in lines
    )
    when = f"{issued_on:%Y-%m-%d}" + (" 09:41:07" if with_time else "")
    seller = f"<SellerIdNum>{company.tax_number if seller_tax_id is None else seller_tax_id}</SellerIdNum>"
    seller += f"<SellerName>{escape(company.name)}</SellerName>"
    buyer = f"<BuyerIdNum>{request.buyer_tax_id}</BuyerIdNum>"
    buyer += f"<BuyerName>{escape(request.buyer_title if buyer_name is None else buyer_name)}</BuyerName>"
    basic = f"<TotalAmWithoutTax>{net}</TotalAmWithoutTax><TotalTaxAm>{tax}</TotalTaxAm>"
    basic += f"<TotalTax-includedAmount>{net + tax}</TotalTax-includedAmount><RequestTime>{when}</RequestTime>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<EInvoice>
  <Header><EIid>{number}</EIid><InherentLabel><EInvoiceType><LabelName>{kind}</LabelName></EInvoiceType></InherentLabel>
  </Header>
  <EInvoiceData>
    <SellerInformation>{seller}</SellerInformation>
    <BuyerInformation>{buyer}</BuyerInformation>
    <BasicInformation>{basic}</BasicInformation>{items}
    <AdditionalInformation><Remark>{escape(request.remark)}</Remark></AdditionalInformation>
  </EInvoiceData>
  <TaxSupervisionInfo>
    <InvoiceNumber>{number}</InvoiceNumber><IssueTime>{when}</IssueTime>
    <TaxBureauCode>13700000000</TaxBureauCode><TaxBureauName>国家税务总局山东省税务局</TaxBureauName>
  </TaxSupervisionInfo>
</EInvoice>
""".encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


QUERY_HEADER = [
    "序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称", "购方识别号", "购买方名称", "开票日期",
    "税收分类编码", "特定业务类型", "货物或应税劳务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额",
    "价税合计", "发票来源", "发票票种", "发票状态", "是否正数发票", "发票风险等级", "开票人", "备注",
]  # fmt: skip


def query_workbook(invoices: list[tuple[InvoiceRequest, str, dict[str, Any]]], *, serial: bool = False) -> bytes:
    """The 全量发票查询 export of ``invoices`` (request, number, overrides of a line's cells by
    header, e.g. ``{"金额": "1.00"}`` on every line): a title row, the header, a row per line."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "信息汇总表"
    sheet.append(["全量发票查询导出结果"])
    header = QUERY_HEADER + (["发票流水号"] if serial else [])
    sheet.append(header)
    company = Company.current()
    row_number = 0
    for request, number, overrides in invoices:
        for line in platform_lines(request):
            row_number += 1
            values = {
                "序号": str(row_number),
                "数电发票号码": number,
                "销方识别号": company.tax_number,
                "销方名称": company.name,
                "购方识别号": request.buyer_tax_id,
                "购买方名称": request.buyer_title,
                "开票日期": f"{timezone.localdate():%Y-%m-%d} 14:03:12",
                "税收分类编码": line["code"],
                "货物或应税劳务名称": f"*泵*{line['name']}",
                "规格型号": line["spec"],
                "单位": line["unit"],
                "数量": line["quantity"],
                "单价": line["price"],
                "金额": str(line["amount"]),
                "税率": f"{line['rate'] * 100:.0f}%",
                "税额": str(line["tax"]),
                "价税合计": str(line["amount"] + line["tax"]),
                "发票来源": "电子发票服务平台",
                "发票票种": "数电发票（增值税专用发票）" if request.kind == "special" else "数电发票（普通发票）",
                "发票状态": "正常",
                "是否正数发票": "是",
                "发票风险等级": "正常",
                "开票人": "李会计",
                "发票流水号": request.number,
                **overrides,
            }
            sheet.append([values.get(name, "") for name in header])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
