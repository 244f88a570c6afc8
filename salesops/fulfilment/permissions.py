"""Who does what with stock."""

from salesops.org.roles import Role

# Book receipts and adjustments (the warehouse keeper; the admin to correct).
STOCK_KEEPERS = (Role.WAREHOUSE, Role.ADMIN)
# Read the stock ledger: the warehouse, the sales office that issues notes against it, leadership.
LEDGER_READERS = (Role.WAREHOUSE, Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
# Raise goods requisitions, return requests and shipment delays: the salesperson, or a manager (a
# branch's staff) for their own customers.
REQUESTERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# Issue delivery notes and red notes, archive requisitions and confirmations, close notes short.
OFFICE = (Role.BACK_OFFICE,)
# Book outbounds and receive returns.
WAREHOUSE = (Role.WAREHOUSE,)
# Record a customer's confirmation: the salesperson who delivered, or the sales office.
CONFIRMERS = (*REQUESTERS, Role.BACK_OFFICE)
