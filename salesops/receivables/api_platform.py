"""REST API of the e-invoice platform files, under ``/api/receivables/platform/``: the batch-issue
workbook of chosen approved requests, and the import of what the platform issued.

Finance only: 401 without credentials, 403 for any other role; 422 with ``extra.fields`` naming
each request and field that keeps an export from being written.
"""

from ninja import Field, Schema
from ninja.files import UploadedFile
from ninja.params import File

from salesops.core.api import Router
from salesops.core.excel import XLSX_MIME, xlsx_response
from salesops.core.policy import policy

from .permissions import FINANCE
from .platform import export, importing

router = Router(tags=["receivables"])


class PlatformExportIn(Schema):
    request_ids: list[int] = Field(..., min_length=1, max_length=export.MAX_REQUESTS)


class OutcomeOut(Schema):
    source: str
    status: importing.Status
    invoice_number: str
    message: str
    errors: dict[str, list[str]]
    invoice_id: int | None
    request_id: int | None


class PlatformImportOut(Schema):
    outcomes: list[OutcomeOut]


@router.post(
    "/export",
    operation_id="platform_export",
    openapi_extra={"responses": {"200": {"description": "The batch-issue workbook", "content": {XLSX_MIME: {}}}}},
)
@policy(*FINANCE)
def platform_export(request, payload: PlatformExportIn):
    """The chosen approved invoice requests as the platform's batch-issue workbook (批量开票);
    each request's history records the export. Nothing is written when one of them cannot be
    issued as it stands (no tax classification code, a special VAT invoice without the buyer's
    taxpayer ID): 422 naming each."""
    workbook = export.platform_export(actor=request.auth, request_ids=payload.request_ids)
    return xlsx_response(workbook.content, workbook.filename)


@router.post("/import", response=PlatformImportOut, operation_id="platform_import")
@policy(*FINANCE)
def platform_import(request, files: File[list[UploadedFile]]):
    """Import the platform's invoice XML files, zips of them (with PDFs), or its 全量发票查询 workbook
    (multipart field ``files``, repeated). Each invoice is matched to its approved request and
    recorded in its own transaction: ``recorded``, ``already`` (recorded before), ``unmatched``
    (why), ``refused`` (the service's field errors), ``unreadable``; an unpaired PDF is ``unused``."""
    outcomes = importing.platform_import(actor=request.auth, files=importing.source_files(files))
    return {
        "outcomes": [
            {
                "source": outcome.source,
                "status": outcome.status,
                "invoice_number": outcome.invoice_number,
                "message": outcome.message,
                "errors": outcome.errors,
                "invoice_id": outcome.invoice.pk if outcome.invoice else None,
                "request_id": outcome.request.pk if outcome.request else None,
            }
            for outcome in outcomes
        ]
    }
