"""REST API of receivables under ``/api/receivables/``: invoice requests and the sold lines they
bill, the 数电 invoices recorded from them, receipts with their allocations and a customer's open
invoices, payment requests; the customer accounts, ageing and collection rate (``api_overview``), the
instruments register (``api_instruments``) and the platform's files (``/platform``, ``api_platform``).

Answers: 401 without credentials, 403 for a role that may not call or act (the warehouse, technical
and purchasing call nothing here), 404 for a document outside the caller's scope, 409 for a step
the document's state does not allow, 422 with ``extra.fields`` for bad input (``lines.0.amount``).
Every write goes through the receivables services, so the pages, the API and My tasks behave the
same.
"""

from salesops.core.api import Router

from .. import api_instruments, api_overview, api_platform
from . import invoicing, payments, receipts

router = Router(tags=["receivables"])
for family in (invoicing, receipts, payments, api_overview, api_instruments):
    router.add_router("", family.router)
router.add_router("/platform", api_platform.router)

__all__ = ["router"]
