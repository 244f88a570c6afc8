"""The platform's 全量发票查询 export workbook: sheet ``信息汇总表``, one row per invoice line, the
lines of one invoice sharing its 数电发票号码.

The file is checked as every upload is (size, type by its first bytes, zip bomb: ``core.excel``)
and read with openpyxl, values only. The header row is found by its 数电发票号码 cell (the export
puts a title above it). A row that cannot be read makes its whole invoice unreadable; the other
invoices of the file are still read.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from salesops.core import excel
from salesops.core.errors import InvalidInput

from . import issued
from .issued import FileProblem, IssuedInvoice, IssuedLine, Unreadable

SHEET_NAME = "信息汇总表"
NUMBER = "数电发票号码"
OLD_NUMBER = "发票号码"
HEADER_SCAN_ROWS = 10
DIGITAL_NUMBER = re.compile(r"\d{20}")
# What the export says of an invoice in force (anything else: 已作废, 已红冲, 部分红冲...).
IN_FORCE = frozenset({"", "正常"})
REQUIRED = ("开票日期", "金额", "税率", "税额")


@dataclass
class _Group:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problem: FileProblem | None = None


def parse_query_workbook(data: bytes, *, source: str) -> tuple[list[IssuedInvoice], list[FileProblem]]:
    """The invoices of a 全量发票查询 workbook, and what could not be read (per invoice or row)."""
    try:
        excel.check_upload(data)
    except InvalidInput as exc:
        messages = exc.extra.get("fields", {}).get("file") or [exc.message]
        return [], [FileProblem(source, "file", str(messages[0]))]
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        return [], [FileProblem(source, "file", _("The file could not be read as an Excel workbook."))]
    try:
        groups, problems = _groups(workbook, source)
    finally:
        workbook.close()
    invoices: list[IssuedInvoice] = []
    for number, group in groups.items():
        if group.problem is not None:
            problems.append(group.problem)
            continue
        try:
            invoices.append(_invoice(number, group.rows, source))
        except Unreadable as exc:
            problems.append(FileProblem(source, exc.field, exc.message, number))
    return invoices, problems


def _sheet(workbook: Any) -> Any:
    if SHEET_NAME in workbook.sheetnames:
        return workbook[SHEET_NAME]
    return workbook.worksheets[0] if workbook.worksheets else None


def _groups(workbook: Any, source: str) -> tuple[dict[str, _Group], list[FileProblem]]:
    sheet = _sheet(workbook)
    if sheet is None:
        return {}, [FileProblem(source, "file", _("The workbook has no sheet."))]
    rows = sheet.iter_rows(values_only=True)
    header: dict[str, int] = {}
    offset = 0
    for offset, values in enumerate(rows, start=1):
        names = [issued.text(value).replace(" ", "").lstrip("*") for value in values or ()]
        if NUMBER in names:
            header = {name: index for index, name in reversed(list(enumerate(names))) if name}
            break
        if offset >= HEADER_SCAN_ROWS:
            break
    if not header:
        message = _("No %(column)s column: is this the platform's 全量发票查询 export (sheet %(sheet)s)?")
        return {}, [FileProblem(source, "file", message % {"column": NUMBER, "sheet": SHEET_NAME})]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return {}, [FileProblem(source, "file", _("Columns missing: %(names)s.") % {"names": "、".join(missing)})]
    groups: dict[str, _Group] = {}
    for row_number, values in enumerate(rows, start=offset + 1):
        if values is None or all(issued.text(value) == "" for value in values):
            continue
        if row_number > excel.MAX_ROWS + offset:
            return groups, [FileProblem(source, "file", _("The file has too many rows."))]
        row = {name: values[index] if index < len(values) else None for name, index in header.items()}
        number, problem = _number(row, source, row_number)
        group = groups.setdefault(number, _Group())
        if problem is not None:
            group.problem = group.problem or problem
        group.rows.append((row_number, row))
    return groups, []


def _number(row: dict[str, Any], source: str, row_number: int) -> tuple[str, FileProblem | None]:
    """The row's 20-digit number. A number typed as a number in Excel has lost its last digits
    (a double holds 15), so only text is taken."""
    where = _("row %(row)s") % {"row": row_number}
    for column in (NUMBER, OLD_NUMBER):
        value = row.get(column)
        if isinstance(value, int | float):
            message = _("The invoice number in %(where)s is stored as a number and has lost digits.")
            return f"{where}", FileProblem(source, "invoice_number", message % {"where": where})
        if DIGITAL_NUMBER.fullmatch(issued.text(value)):
            return issued.text(value), None
    number = issued.text(row.get(NUMBER)) or where
    message = _("The invoice number in %(where)s is not 20 digits.") % {"where": where}
    return number, FileProblem(source, "invoice_number", message, number)


def _invoice(number: str, rows: list[tuple[int, dict[str, Any]]], source: str) -> IssuedInvoice:
    first = rows[0][1]
    lines = [_line(row, index) for index, (_row_number, row) in enumerate(rows)]
    invoice = IssuedInvoice(
        source=source,
        invoice_number=number,
        issued_on=issued.date(first.get("开票日期"), "issued_on"),
        kind=issued.invoice_kind(first.get("发票票种")),
        buyer_name=issued.text(first.get("购买方名称")),
        buyer_tax_id=issued.text(first.get("购方识别号")),
        seller_name=issued.text(first.get("销方名称")),
        seller_tax_id=issued.text(first.get("销方识别号")),
        lines=lines,
        total_net=sum((line.amount for line in lines), Decimal("0")),
        total_tax=sum((line.tax for line in lines), Decimal("0")),
        remark=issued.text(first.get("备注")),
        serial=issued.text(first.get("发票流水号")),
        platform_status=issued.text(first.get("发票状态")),
    )
    invoice.is_red = issued.text(first.get("是否正数发票")) == "否" or invoice.total < 0
    if invoice.platform_status in IN_FORCE:
        invoice.platform_status = ""
    problems = issued.file_problems(invoice, _stated_total(rows, invoice.total))
    if problems:
        name, messages = next(iter(problems.items()))
        raise Unreadable(name, messages[0])
    return invoice


def _stated_total(rows: list[tuple[int, dict[str, Any]]], computed: Decimal) -> Decimal | None:
    """The 价税合计 the rows state: per line (their sum), or the invoice's repeated on each row."""
    values = [row.get("价税合计") for _row_number, row in rows]
    if any(issued.text(value) == "" for value in values):
        return None
    amounts = [issued.money(value, "total_amount") for value in values]
    if len(set(amounts)) == 1 and amounts[0] == computed:
        return computed
    return sum(amounts, Decimal("0"))


def _line(row: dict[str, Any], index: int) -> IssuedLine:
    where = f"lines.{index}"
    return IssuedLine(
        name=issued.text(row.get("货物或应税劳务名称")),
        tax_code=issued.text(row.get("税收分类编码")),
        specification=issued.text(row.get("规格型号")),
        unit=issued.text(row.get("单位")),
        quantity=issued.quantity(row.get("数量"), f"{where}.quantity"),
        unit_price=issued.unit_price(row.get("单价"), f"{where}.unit_price"),
        amount=issued.money(row.get("金额"), f"{where}.amount"),
        tax_rate=issued.rate(row.get("税率"), f"{where}.tax_rate"),
        tax=issued.tax_amount(row.get("税额"), f"{where}.tax"),
    )
