"""Who may read and write products and warehouses, and who sees prices.

Everyone signed in reads the catalogue; the sales office (back office) and the admin
keep it; warehouses are the admin's. Standard and floor prices (标准价, 最低价) are
for the roles that price, approve or invoice a sale: warehouse, technical and
purchasing staff never see them, by any door (API, pages, exports).
"""

from salesops.core.fieldvisibility import FieldRule
from salesops.org.roles import Role

PRODUCT_WRITERS = (Role.ADMIN, Role.BACK_OFFICE)
WAREHOUSE_WRITERS = (Role.ADMIN,)
# Who may be named a warehouse's keeper (库管).
WAREHOUSE_KEEPERS = (Role.WAREHOUSE,)

# Everyone whose step needs the price list; any role not named (today warehouse, technical,
# purchasing) sees products without prices.
PRICE_READERS = frozenset(
    {
        Role.SALESPERSON,
        Role.SALES_MANAGER,
        Role.BRANCH_MANAGER,
        Role.BACK_OFFICE,
        Role.FINANCE,
        Role.LEADERSHIP,
        Role.ADMIN,
    }
)
PRODUCT_FIELDS = FieldRule.of(standard_price=PRICE_READERS, floor_price=PRICE_READERS)
