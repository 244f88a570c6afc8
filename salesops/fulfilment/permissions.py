"""Who does what with stock."""

from salesops.org.roles import Role

# Book receipts and adjustments (the warehouse keeper; the admin to correct).
STOCK_KEEPERS = (Role.WAREHOUSE, Role.ADMIN)
# Read the stock ledger: the warehouse, the sales office that issues notes against it, leadership.
LEDGER_READERS = (Role.WAREHOUSE, Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
