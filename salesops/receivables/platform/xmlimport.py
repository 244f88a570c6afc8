"""The platform's per-invoice XML file (root ``EInvoice``), and zip archives of such files.

Parsed with defusedxml: a file declaring a DTD or entities (billion laughs, external entities) is
refused, not expanded. Element names are the platform's (third-party descriptions, see the
research notes): ``TaxSupervisionInfo/{InvoiceNumber, IssueTime}``,
``EInvoiceData/{SellerInformation, BuyerInformation, BasicInformation}``, and one
``IssuItemInformation`` per line. A namespace on the elements, if a file has one, is ignored.

The XML carries no 发票流水号: its invoice is matched by buyer and total (``matching``).
"""

import io
import os
import zipfile
from collections.abc import Iterator
from typing import Any

# Types and the parse error only: every parse goes through defusedxml.
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from . import issued
from .issued import IssuedInvoice, IssuedLine, Unreadable

# An invoice's XML is a few kilobytes; a hundred lines stay far below this.
MAX_XML_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 500
ZIP_MAGIC = b"PK\x03\x04"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if _local(child.tag) == name]


def _at(element: Element | None, path: str) -> Element | None:
    for name in path.split("/"):
        element = _child(element, name)
    return element


def _text(element: Element | None, path: str) -> str:
    found = _at(element, path)
    return (found.text or "").strip() if found is not None else ""


def _root(data: bytes) -> Element:
    if len(data) > MAX_XML_BYTES:
        raise Unreadable("file", _("The file is too large for an invoice's XML."))
    try:
        root = SafeTree.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise Unreadable("file", _("The file is not well-formed XML.")) from exc
    if _local(root.tag) != "EInvoice":
        raise Unreadable("file", _("Not an e-invoice XML file (its root is not EInvoice)."))
    return root


def parse_invoice_xml(data: bytes, *, source: str) -> IssuedInvoice:
    """The invoice in one XML file; ``Unreadable`` names the value the file lacks or garbles."""
    root = _root(data)
    tax = _child(root, "TaxSupervisionInfo")
    body = _child(root, "EInvoiceData")
    basic = _child(body, "BasicInformation")
    number = _text(tax, "InvoiceNumber") or _text(root, "Header/EIid")
    if not number:
        raise Unreadable("invoice_number", _("The file has no invoice number."))
    when = _text(tax, "IssueTime") or _text(basic, "RequestTime")
    if not when:
        raise Unreadable("issued_on", _("The file has no issue date."))
    kind_label = _text(root, "Header/InherentLabel/EInvoiceType/LabelName") or _text(
        root, "Header/InherentLabel/GeneralOrSpecialVAT/LabelName"
    )
    lines = [_line(item, index) for index, item in enumerate(_children(body, "IssuItemInformation"))]
    stated = _text(basic, "TotalTax-includedAmount")
    invoice = IssuedInvoice(
        source=source,
        invoice_number=number,
        issued_on=issued.date(when, "issued_on"),
        kind=issued.invoice_kind(kind_label),
        buyer_name=_text(body, "BuyerInformation/BuyerName"),
        buyer_tax_id=_text(body, "BuyerInformation/BuyerIdNum"),
        seller_name=_text(body, "SellerInformation/SellerName"),
        seller_tax_id=_text(body, "SellerInformation/SellerIdNum"),
        lines=lines,
        total_net=issued.money(_text(basic, "TotalAmWithoutTax") or "0", "total_net"),
        total_tax=issued.money(_text(basic, "TotalTaxAm") or "0", "total_tax"),
        remark=_text(body, "AdditionalInformation/Remark"),
    )
    invoice.is_red = _at(body, "SpecificInformation/RedEInvoice") is not None or invoice.total < 0
    problems = issued.file_problems(invoice, issued.money(stated, "total_amount") if stated else None)
    if problems:
        name, messages = next(iter(problems.items()))
        raise Unreadable(name, messages[0])
    return invoice


def _line(item: Element, index: int) -> IssuedLine:
    where = f"lines.{index}"
    return IssuedLine(
        name=_text(item, "ItemName"),
        tax_code=_text(item, "TaxClassificationCode"),
        specification=_text(item, "SpecMod"),
        unit=_text(item, "MeaUnits"),
        quantity=issued.quantity(_text(item, "Quantity"), f"{where}.quantity"),
        unit_price=issued.unit_price(_text(item, "UnPrice"), f"{where}.unit_price"),
        amount=issued.money(_text(item, "Amount"), f"{where}.amount"),
        tax_rate=issued.rate(_text(item, "TaxRate"), f"{where}.tax_rate"),
        tax=issued.tax_amount(_text(item, "ComTaxAm") or "0", f"{where}.tax"),
    )


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def zip_members(data: bytes, *, source: str) -> Iterator[tuple[str, bytes]]:
    """The files of a zip archive (``archive.zip/name``), folders flattened. Refuses an archive
    with too many members or one that inflates past the cap of an upload (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Unreadable("file", _("The archive is damaged.")) from exc
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise Unreadable("file", _("The archive holds too many files."))
        if sum(info.file_size for info in members) > settings.XLSX_MAX_UNCOMPRESSED_BYTES:
            raise Unreadable("file", _("The archive unpacks to too much data."))
        for info in members:
            name = os.path.basename(info.filename.replace("\\", "/"))
            if not name or name.startswith("."):
                continue
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
                raise Unreadable("file", _("The archive is damaged.")) from exc
            yield f"{source}/{name}", content
