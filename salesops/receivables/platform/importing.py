"""Importing what the platform issued: read the uploaded files, match each invoice to its request,
record it with the platform's lines, and attach its source (XML, PDF).

Each invoice is recorded in its own transaction: one refused invoice does not undo the others, and
a file uploaded again finds its invoices already recorded (the number is unique) instead of
recording them twice. The answer lists every invoice and file with what became of it.

Accepted: the per-invoice XML files, a zip of them (with their PDFs), the 全量发票查询 workbook,
and PDFs, attached to the invoice whose 20-digit number their name carries (the platform names its
downloads so) or whose XML has the same name.
"""

import enum
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import require
from salesops.workflow.attachments import attachment_add

from .. import services
from ..models import Invoice, InvoiceRequest
from ..permissions import FINANCE
from . import sheetimport, xmlimport
from .issued import FileProblem, IssuedInvoice, Unreadable
from .matching import match_invoice

PDF_MAGIC = b"%PDF-"
MAX_FILES = 100


class Status(enum.StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    UNMATCHED = "unmatched"
    REFUSED = "refused"
    UNREADABLE = "unreadable"
    UNUSED = "unused"


@dataclass(frozen=True)
class SourceFile:
    name: str
    data: bytes


@dataclass
class Outcome:
    """What became of one invoice (or of a file no invoice could be read from)."""

    source: str
    status: Status
    invoice_number: str = ""
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    invoice: Invoice | None = None
    request: InvoiceRequest | None = None


def source_files(uploads: Sequence[Any]) -> list[SourceFile]:
    """The uploaded files' contents, each within the size of an upload (checked before reading)."""
    limit = settings.UPLOAD_MAX_BYTES
    sources = []
    for upload in uploads:
        name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))[:200] or "upload"
        upload.seek(0)
        data = upload.read(limit + 1)
        if len(data) > limit:
            message = _("%(name)s is too large: at most %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)}
            raise InvalidInput(message, fields={"files": [message]})
        sources.append(SourceFile(name, data))
    return sources


def platform_import(*, actor, files: Sequence[SourceFile]) -> list[Outcome]:
    """Read ``files``, then match and record every invoice found, each in its own transaction."""
    require(actor, *FINANCE)
    if not files:
        raise InvalidInput(_("Choose the files to import."), fields={"files": [_("Choose at least one file.")]})
    if len(files) > MAX_FILES:
        message = _("At most %(count)s files at once.") % {"count": MAX_FILES}
        raise InvalidInput(message, fields={"files": [message]})
    invoices, outcomes = read_files(files)
    return outcomes + [record_issued(invoice, actor=actor) for invoice in invoices]


def read_files(files: Sequence[SourceFile]) -> tuple[list[IssuedInvoice], list[Outcome]]:
    """Every invoice in ``files`` (zip archives opened), each XML carrying itself as its source
    and the PDFs named after it; and an outcome for each file or invoice that could not be read."""
    invoices: list[IssuedInvoice] = []
    problems: list[FileProblem] = []
    pdfs: list[SourceFile] = []
    for upload in files:
        _read_one(upload, invoices, problems, pdfs, in_archive=False)
    outcomes = [
        Outcome(
            problem.source,
            Status.UNREADABLE,
            problem.invoice_number,
            problem.message,
            {problem.field: [problem.message]},
        )
        for problem in problems
    ]
    for pdf in pdfs:
        owner = _pdf_owner(pdf.name, invoices)
        if owner is None:
            outcomes.append(
                Outcome(
                    pdf.name, Status.UNUSED, message=_("No invoice in these files has this PDF's number in its name.")
                )
            )
        else:
            owner.attachments.append((pdf.name, pdf.data))
    return invoices, outcomes


def _read_one(
    upload: SourceFile,
    invoices: list[IssuedInvoice],
    problems: list[FileProblem],
    pdfs: list[SourceFile],
    *,
    in_archive: bool,
) -> None:
    name, data = upload.name, upload.data
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        if data.startswith(PDF_MAGIC):
            pdfs.append(upload)
        elif xmlimport.is_zip(data) and extension == "xlsx":
            found, unreadable = sheetimport.parse_query_workbook(data, source=name)
            invoices.extend(found)
            problems.extend(unreadable)
        elif xmlimport.is_zip(data) and not in_archive:
            for member, content in xmlimport.zip_members(data, source=name):
                _read_one(SourceFile(member, content), invoices, problems, pdfs, in_archive=True)
        elif extension == "xml":
            invoice = xmlimport.parse_invoice_xml(data, source=name)
            invoice.attachments.append((name, data))
            invoices.append(invoice)
        elif not in_archive:
            problems.append(FileProblem(name, "file", _("Not a file the platform gives: XML, PDF, ZIP or XLSX.")))
    except Unreadable as exc:
        problems.append(FileProblem(name, exc.field, exc.message))


def _stem(name: str) -> str:
    return os.path.splitext(os.path.basename(name))[0]


def _pdf_owner(name: str, invoices: list[IssuedInvoice]) -> IssuedInvoice | None:
    stem = _stem(name)
    for invoice in invoices:
        if invoice.invoice_number in stem or any(_stem(source) == stem for source, _data in invoice.attachments):
            return invoice
    return None


def record_issued(invoice: IssuedInvoice, *, actor) -> Outcome:
    """Record one issued invoice against its request, with its files, in one transaction of its own."""
    outcome = Outcome(invoice.source, Status.UNMATCHED, invoice.invoice_number)
    match = match_invoice(invoice, actor=actor)
    if match.recorded is not None:
        outcome.status, outcome.invoice, outcome.message = Status.ALREADY, match.recorded, match.reason
        return outcome
    if match.request is None:
        outcome.message = match.reason
        return outcome
    outcome.request = match.request
    try:
        with transaction.atomic():
            recorded = services.invoice_record(
                actor=actor,
                request=match.request,
                invoice_number=invoice.invoice_number,
                issued_on=invoice.issued_on,
                lines=invoice.taxed_lines(),
            )
            for name, data in invoice.attachments:
                attachment_add(recorded, actor=actor, upload=SimpleUploadedFile(os.path.basename(name), data))
    except InvalidInput as exc:
        outcome.status, outcome.message = Status.REFUSED, exc.message
        outcome.errors = dict(exc.extra.get("fields") or {})
    except ApplicationError as exc:
        outcome.status, outcome.message = Status.REFUSED, exc.message
    except IntegrityError:
        # recorded by somebody else between the match and the write (the number is unique)
        outcome.status, outcome.message = Status.REFUSED, _("This invoice number is already recorded.")
    else:
        outcome.status, outcome.invoice = Status.RECORDED, recorded
    return outcome
