"""Pages of the deals (W2, W3, R4, R15): thin interfaces over the deals services and selectors, one
module per family as in ``services/`` and ``api/``.

Every document page shows the kernel's panel (its buttons call the same services through the
registry: bid, decline, instruct, submit, approve, issue, confirm, archive); the steps that need
more than a comment (support answers, outcomes, negotiation notes, signing) have their own forms.
"""

from . import contracts, inquiries, orders, pipeline, quotations, register, support_requests

__all__ = ["contracts", "inquiries", "orders", "pipeline", "quotations", "register", "support_requests"]
