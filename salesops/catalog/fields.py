"""The fields a writer may set on products and warehouses, named once for the services,
the forms and the admin (model field names, in the order the forms show them)."""

PRODUCT_FIELDS = (
    "code",
    "name",
    "model",
    "specification",
    "unit",
    "standard_price",
    "floor_price",
    "tax_rate",
    "technical_parameters",
    # 数电 invoicing: whoever keeps the catalogue keeps these.
    "tax_code",
    "tax_short_name",
    "invoice_name",
    "invoice_specification",
    "invoice_unit",
    "is_active",
)
WAREHOUSE_FIELDS = ("code", "name", "branch", "address", "keeper", "is_active")
