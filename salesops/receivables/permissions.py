"""Who does what with money."""

from salesops.org.roles import Role

# Raise invoice requests and payment requests: the salesperson, or a manager for their own customers.
REQUESTERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# Record invoices and receipts, allocate, reverse allocations.
FINANCE = (Role.FINANCE,)
# Archive invoice requests (R10); keep the invoice dispatch register with finance (R9).
OFFICE = (Role.BACK_OFFICE,)
DISPATCHERS = (Role.FINANCE, Role.BACK_OFFICE)
# Confirm the day's receipts together (R11).
CHECKERS = (Role.BACK_OFFICE, Role.FINANCE)
# Send statements of account and record the customer's reply (besides the customer's salesperson).
STATEMENT_SENDERS = (Role.BACK_OFFICE, Role.FINANCE)
# Open the money pages and API (the warehouse, technical and purchasing see none).
READERS = (*REQUESTERS, *DISPATCHERS, Role.LEADERSHIP, Role.ADMIN)
