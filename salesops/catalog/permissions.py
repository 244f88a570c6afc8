"""Who may read and write products and warehouses: everyone signed in reads the catalogue;
the sales office (back office) and the admin keep it; warehouses are the admin's."""

from salesops.org.roles import Role

PRODUCT_WRITERS = (Role.ADMIN, Role.BACK_OFFICE)
WAREHOUSE_WRITERS = (Role.ADMIN,)
