"""Who may do what in deals: the only home of the deals role sets (W2, W3, R15).

Pages, API operations, selectors and services import them from here; a user is tested with
``user.has_role(*ROLES)``. The rows each role sees still come from ``visible_to``, and the flows
(``workflows.py``) decide who may act on a document in a given state.
"""

from salesops.org.roles import Role

from .choices import SupportKind

# Raise inquiries, quotations, contracts and phone orders (the sales roles).
RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# The managers of a salesperson: decide bids, waive support requests, act on a colleague's deal.
MANAGERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# Filter lists by owner (the salespeople's names): managers, leadership and admin.
OWNER_FILTERERS = (*MANAGERS, Role.LEADERSHIP, Role.ADMIN)

# Pages: inquiries, quotations and the pipeline.
SALES_READERS = (*RAISERS, Role.LEADERSHIP, Role.ADMIN)
# Pages: contracts and phone orders (the sales office archives and executes them).
CONTRACT_READERS = (*SALES_READERS, Role.BACK_OFFICE)
# Technical and purchasing answer the support requests addressed to them (W2.3, W2.4).
ANSWERERS = (Role.TECHNICAL, Role.PURCHASING)
SUPPORT_READERS = (*SALES_READERS, *ANSWERERS)

# The API: every deals read is open to the sales office as well.
API_READERS = (*RAISERS, Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
API_SUPPORT_READERS = (*API_READERS, *ANSWERERS)
SUPPORT_WAIVERS = (*MANAGERS, Role.LEADERSHIP, Role.ADMIN)

# The department each answering role speaks for, and back.
DEPARTMENT_KINDS = {Role.TECHNICAL: SupportKind.TECHNICAL, Role.PURCHASING: SupportKind.PURCHASING}
ANSWERER = {kind: role for role, kind in DEPARTMENT_KINDS.items()}
# Decide the bid on a reported inquiry (My tasks).
BID_DECIDERS = MANAGERS

# Who sees other people's contracts and orders, so a salesperson filter means something to them.
OVERSEERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
# The sales office sees every contract and phone order (it archives and executes them): the models'
# ``SEE_ALL_ROLES``.
SEE_ALL_CONTRACTS = (Role.BACK_OFFICE,)
# Archive signed contracts (W3.5): the sales office.
ARCHIVERS = (Role.BACK_OFFICE,)
# Re-confirm a contract's deviations from its quotation; confirm a phone order (W3.3, W3.6).
DEVIATION_CONFIRMERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP)
ORDER_CONFIRMERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP)

# The monthly contract register (R15): read by those who see every contract; compiled and submitted
# by the sales office (售楼处 = 销售办公室).
REGISTER_READERS = (Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
REGISTER_KEEPERS = (Role.BACK_OFFICE,)
