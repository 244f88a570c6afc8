"""REST API of fulfilment under ``/api/fulfilment/``: stock and its ledger, and each delivery
document (requisitions and the sold lines they take from, delivery notes, outbounds, customer
confirmations, return requests, red notes, shipment delays).

Answers: 401 without credentials, 403 for a role that may not call or act, 404 for a document
outside the caller's scope, 409 for a step the document's state does not allow, 422 with
``extra.fields`` for bad input (``lines.0.quantity``). Every write goes through the fulfilment
services, so the pages, the API and My tasks behave the same. No answer carries a price: the
warehouse reads them.
"""

from salesops.core.api import Router

from . import confirmations, delays, notes, outbounds, requisitions, returns, stock

router = Router(tags=["fulfilment"])
for family in (stock, requisitions, notes, outbounds, confirmations, returns, delays):
    router.add_router("", family.router)

__all__ = ["router"]
