"""Approved invoice requests as the platform's batch-issue workbook (批量开票 template, V260401).

Sheets ``1-发票基本信息`` (one row per invoice) and ``2-发票明细信息`` (one row per line, joined by
发票流水号), the empty ``3-特定业务信息`` and ``4-附加要素信息``, and the hidden ``excelVersion``.
Each data sheet has the template's note row, its required/length hint row and its header row, with
the data from row 4. Column order and headers follow the template (research notes, section 1).

**Tax-inclusive (是否含税 = 是).** A sale's price includes tax, and the request holds each line's
amount including tax to the fen: the customer pays exactly that. The workbook hands the platform
those amounts, so every line the platform issues adds up to its request line to the fen (which
``invoice_record`` demands of an imported invoice); the platform splits amount and tax itself, as
``taxmath.split_gross`` does. Sending amounts excluding tax instead (否) would have the platform
compute the tax from our net amount, and its net + tax could miss the request by a fen.

Every value is written as text: a taxpayer ID, bank account or classification code typed as a
number would lose digits in Excel, and nothing written here is ever a formula.

Nothing is exported unless every chosen request can be issued as it stands: a line whose product
has no tax classification code, or a special VAT invoice without the buyer's taxpayer ID, refuses
the whole export, naming the request and the field; the platform would refuse it anyway.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.core.textguard import CONTROL
from salesops.workflow.services import record_event

from ..models import InvoiceKind, InvoiceRequest, InvoiceRequestLine, InvoiceRequestState
from ..permissions import FINANCE
from ..services.buyers import item_name

TEMPLATE_VERSION = "pt:20260401"
BASIC_SHEET = "1-发票基本信息"
LINES_SHEET = "2-发票明细信息"
SPECIFIC_SHEET = "3-特定业务信息"
EXTRA_SHEET = "4-附加要素信息"
VERSION_SHEET = "excelVersion"
FIRST_DATA_ROW = 4
# One workbook is one upload on the platform; its drop-downs cover rows 4-1001.
MAX_REQUESTS = 200

SPECIAL = "增值税专用发票"
ORDINARY = "普通发票"
YES = "是"
# The option of 是否展示购买方地址电话银行账号 that prints all four on the invoice.
SHOW_BUYER_DETAILS = "展示地址、电话、开户银行及银行账号"

# (header, hint of row 2), in the template's order: 39 columns, A-AM.
BASIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("发票流水号", "必填\n(限20字符)"),
    ("发票类型", "必填\n(限10字符)"),
    ("特定业务类型", ""),
    ("是否含税", "必填(是/否)\n(限2字符)"),
    ("受票方自然人标识", "非必填(是/否)\n(限2字符)"),
    ("购买方名称", "必填\n(限100字符)"),
    ("购买方纳税人识别号", "专票必填\n(限20字符)"),
    ("购买方证件类型", ""),
    ("购买方证件号码", ""),
    ("购买方国籍（或地区）", ""),
    ("购买方地址", ""),
    ("购买方所在地区", ""),
    ("购买方所在地区", ""),
    ("购买方所在地区", ""),
    ("购买方所在地区", ""),
    ("购买方详细地址", ""),
    ("购买方电话", ""),
    ("购买方开户银行", ""),
    ("购买方银行账号", ""),
    ("是否展示购买方地址电话银行账号", ""),
    ("是否开具涉税专业服务发票品目", ""),
    ("涉税专业服务协议编号", ""),
    ("备注", "非必填\n(限230字符)"),
    ("报废产品销售类型", ""),
    ("每千克煤炭发热量", ""),
    ("干基全硫", ""),
    ("干燥无灰基挥发分", ""),
    ("销售方开户行", ""),
    ("销售方银行账号", ""),
    ("是否展示销售方地址电话银行账号", ""),
    ("购买方邮箱", "非必填\n(限72字符)"),
    ("购买方经办人姓名", ""),
    ("购买方经办人证件类型", ""),
    ("购买方经办人证件号码", ""),
    ("经办人国籍(地区)", ""),
    ("经办人自然人纳税人识别号", ""),
    ("放弃享受减按1%征收率原因", ""),
    ("收款人", ""),
    ("复核人", ""),
)
# 14 columns, A-N.
LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("发票流水号", "必填\n(限20字符)"),
    ("项目名称", "必填\n(限100字符)"),
    ("商品和服务税收编码", "必填\n(限20字符)"),
    ("规格型号", ""),
    ("单位", ""),
    ("数量", ""),
    ("单价", ""),
    ("金额", "必填\n(限16字符)\n保留两位小数"),
    ("税率", "必填\n(限8字符)"),
    ("折扣金额", ""),
    ("是否使用优惠政策", ""),
    ("优惠政策类型", ""),
    ("即征即退类型", ""),
    ("煤炭种类", ""),
)
EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (("发票流水号", ""), ("附加要素名称", ""), ("附加要素内容", ""))
SPECIFIC_COLUMNS: tuple[tuple[str, str], ...] = (("发票流水号", ""),)

BASIC_NOTE = "填表说明：每行一张发票，发票流水号为销售系统的发票申请编号；金额含税。"
LINES_NOTE = "填表说明：明细按发票流水号与发票基本信息关联；金额、单价均含税，保留两位小数。"
EMPTY_NOTE = "本批发票无需填写此表。"

# The template's length limits (row 2 hints), checked before anything is written.
LIMITS = {"buyer_title": 100, "buyer_tax_id": 20, "remark": 230, "buyer_email": 72, "name": 100, "tax_code": 20}
TAX_CODE = re.compile(r"\d{19}")
_TRAILING_PHONE = re.compile(
    r"^(?P<rest>.*?)[\s,，;；]*(?P<phone>(?:\(?0\d{2,3}\)?[-\s]?)?\d{7,8}(?:-\d{1,6})?|1[3-9]\d{9})$"
)
_TRAILING_ACCOUNT = re.compile(r"^(?P<rest>.*?)[\s,，;；:：]*(?P<account>\d[\d\s-]{5,}\d)$")


@dataclass(frozen=True)
class Workbook:
    content: bytes
    filename: str
    requests: list[InvoiceRequest]


def exportable_requests(*, user) -> QuerySet[InvoiceRequest]:
    """The approved requests waiting for their invoice that ``user`` sees, oldest first, with their
    lines and products (two queries more, whatever the count)."""
    lines = InvoiceRequestLine.objects.select_related("product").order_by("pk")
    return (
        InvoiceRequest.objects.visible_to(user)
        .filter(state=InvoiceRequestState.APPROVED)
        .select_related("customer")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("created_at", "pk")
    )


def tax_code_of(product: Any) -> str:
    return product.tax_code.strip()


@transaction.atomic
def platform_export(*, actor, request_ids: Sequence[int]) -> Workbook:
    """The workbook of the chosen approved requests; each request's audit trail records the export."""
    require(actor, *FINANCE)
    try:
        wanted = sorted({int(pk) for pk in request_ids})
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose the requests to export."), fields={"requests": [_("Not a request.")]}) from None
    if not wanted:
        raise InvalidInput(
            _("Choose the requests to export."), fields={"requests": [_("Choose at least one request.")]}
        )
    if not all(0 < pk < 2**63 for pk in wanted):
        raise InvalidInput(_("Choose the requests to export."), fields={"requests": [_("Not a request.")]})
    if len(wanted) > MAX_REQUESTS:
        message = _("At most %(count)s requests in one workbook.") % {"count": MAX_REQUESTS}
        raise InvalidInput(message, fields={"requests": [message]})
    requests = list(exportable_requests(user=actor).filter(pk__in=wanted))
    if len(requests) != len(wanted):
        message = _("Some chosen requests are no longer waiting for their invoice; reload the page.")
        raise InvalidInput(message, fields={"requests": [message]})
    errors: dict[str, list[str]] = {}
    for request in requests:
        errors.update(request_problems(request))
    if errors:
        raise InvalidInput(_("Nothing was exported: correct the requests below first."), fields=errors)
    content = build_workbook(requests)
    filename = f"批量开票-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    for request in requests:
        record_event(request, "export", actor=actor, from_state=request.state, to_state=request.state, comment=filename)
    return Workbook(content=content, filename=filename, requests=requests)


def request_problems(request: InvoiceRequest) -> dict[str, list[str]]:
    """Why the platform would refuse the request, keyed ``<number>.<field>`` (and
    ``<number>.lines.<i>.<field>``), each message naming the request."""
    errors: dict[str, list[str]] = {}
    named = {"number": request.number}

    def add(key: str, message: str) -> None:
        errors.setdefault(f"{request.number}.{key}", []).append(message)

    if request.kind == InvoiceKind.SPECIAL and not request.buyer_tax_id.strip():
        add("buyer_tax_id", _("%(number)s: a special VAT invoice needs the buyer's taxpayer ID.") % named)
    for key in ("buyer_title", "buyer_tax_id", "remark", "buyer_email"):
        if len(getattr(request, key)) > LIMITS[key]:
            label = InvoiceRequest._meta.get_field(key).verbose_name
            message = _("%(number)s: the %(field)s is longer than the platform takes (%(limit)s characters).")
            add(key, message % {**named, "field": label, "limit": LIMITS[key]})
    for index, line in enumerate(request.lines.all()):
        product = {**named, "product": line.product.name}
        code = tax_code_of(line.product)
        if not code:
            add(f"lines.{index}.tax_code", _("%(number)s: %(product)s has no tax classification code.") % product)
        elif not TAX_CODE.fullmatch(code):
            add(
                f"lines.{index}.tax_code",
                _("%(number)s: %(product)s's tax classification code is not 19 digits.") % product,
            )
        if len(item_name(line.product)) > LIMITS["name"]:
            add(
                f"lines.{index}.name",
                _("%(number)s: %(product)s's name is longer than the platform takes (100 characters).") % product,
            )
    return errors


def build_workbook(requests: Sequence[InvoiceRequest]) -> bytes:
    from openpyxl import Workbook as OpenWorkbook

    book = OpenWorkbook()
    basic = book.active
    basic.title = BASIC_SHEET
    _lay_out(basic, BASIC_NOTE, BASIC_COLUMNS, [basic_row(request) for request in requests])
    lines = book.create_sheet(LINES_SHEET)
    _lay_out(lines, LINES_NOTE, LINE_COLUMNS, [row for request in requests for row in line_rows(request)])
    _lay_out(book.create_sheet(SPECIFIC_SHEET), EMPTY_NOTE, SPECIFIC_COLUMNS, [])
    _lay_out(book.create_sheet(EXTRA_SHEET), EMPTY_NOTE, EXTRA_COLUMNS, [])
    version = book.create_sheet(VERSION_SHEET)
    _put(version.cell(row=FIRST_DATA_ROW, column=1), TEMPLATE_VERSION)
    version.sheet_state = "hidden"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lay_out(sheet: Any, note: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    _put(sheet.cell(row=1, column=1), note)
    for index, (header, hint) in enumerate(columns, start=1):
        if hint:
            cell = sheet.cell(row=2, column=index)
            _put(cell, hint)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        head = sheet.cell(row=3, column=index)
        _put(head, header)
        head.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(2 * len(header) + 4, 40))
    for offset, values in enumerate(rows):
        for index, value in enumerate(values, start=1):
            if value:
                _put(sheet.cell(row=FIRST_DATA_ROW + offset, column=index), value)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _put(cell: Any, value: str) -> None:
    """Text, typed as text: never a number that loses digits, never a formula."""
    cell.value = CONTROL.sub("\ufffd", value)
    cell.data_type = "s"
    cell.number_format = "@"


def basic_row(request: InvoiceRequest) -> list[str]:
    """Sheet 1's row of one request (39 cells; blank where salesops has nothing to say)."""
    address, phone = split_trailing(request.buyer_address_phone, _TRAILING_PHONE, "phone")
    bank, account = split_trailing(request.buyer_bank_account, _TRAILING_ACCOUNT, "account")
    phone = phone or request.buyer_phone.strip()
    row = [""] * len(BASIC_COLUMNS)
    row[0] = request.number
    row[1] = SPECIAL if request.kind == InvoiceKind.SPECIAL else ORDINARY
    row[3] = YES
    row[5] = request.buyer_title.strip()
    row[6] = request.buyer_tax_id.strip()
    row[10] = address
    row[16] = phone
    row[17] = bank
    row[18] = account.replace(" ", "").replace("-", "")
    row[19] = SHOW_BUYER_DETAILS if any((address, phone, bank, account)) else ""
    row[22] = request.remark.strip()
    row[30] = request.buyer_email.strip()
    return row


def line_rows(request: InvoiceRequest) -> list[list[str]]:
    """Sheet 2's rows of one request: each line as sold, with tax (14 cells each)."""
    rows = []
    for line in request.lines.all():
        product = line.product
        row = [""] * len(LINE_COLUMNS)
        row[0] = request.number
        row[1] = item_name(product)
        row[2] = tax_code_of(product)
        row[3] = product.invoice_line_specification()[:100]
        row[4] = product.invoice_line_unit()
        row[5] = plain(line.quantity)
        row[6] = f"{line.unit_price:.2f}"
        row[7] = f"{line.amount:.2f}"
        row[8] = plain(line.tax_rate)
        rows.append(row)
    return rows


def plain(value: Decimal) -> str:
    """``10.000`` as ``10``, ``0.1300`` as ``0.13``: the digits that count, never an exponent."""
    return f"{value.normalize():f}"


def split_trailing(value: str, pattern: re.Pattern[str], group: str) -> tuple[str, str]:
    """``"山东省潍坊市胜利东街88号 0536-8888888"`` → address and phone; a bank and account the same
    way. The whole value stays in the first part when its end is not a phone number or account."""
    value = (value or "").strip()
    found = pattern.match(value)
    if not found or not found.group("rest").strip():
        return value, ""
    return found.group("rest").strip(), found.group(group).strip()
