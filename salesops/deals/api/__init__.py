"""REST API of deals (W2, W3, R4, R15) under ``/api/deals/``: inquiries and tenders, support
requests, quotations and their negotiation notes, contracts, phone and fax orders, the monthly
contract register and the pipeline.

Answers: 401 without credentials, 403 for a role that may not call or act, 404 for a document
outside the caller's scope, 409 for a disallowed transition or a stale edit (with the reason),
422 with ``extra.fields`` for bad input (``lines.0.quantity``, ``lines.1.unit_price``...).
Every write goes through the deals services, so the pages, the API and My tasks behave the same.
"""

from salesops.core.api import Router

from . import contracts, inquiries, orders, pipeline, quotations, register, support_requests

router = Router(tags=["deals"])
# In this order: the OpenAPI document lists them so, and a literal path comes before a ``{action}`` one.
for family in (inquiries, support_requests, quotations, contracts, orders, register, pipeline):
    router.add_router("", family.router)

__all__ = ["router"]
