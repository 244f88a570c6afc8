"""The fields a writer may set on customers, contacts and competitors, named once for the
services, the forms and the admin (model field names, in the order the forms show them).

Owner, branch, department and version are not among them: the services set those.
"""

# The customer and its RP12 profile.
CUSTOMER_PROFILE_FIELDS = (
    "code",
    "name",
    "kind",
    "region",
    "address",
    "phone",
    "credit_days",
    "credit_limit_amount",
    "potential_grade",
    "industry",
    "scale",
    "decision_maker",
    "demanded_products",
    "yearly_volume",
    "current_supplier",
    "competitor_products",
    "last_visit_on",
    "is_active",
)
# Invoicing (开票信息): who may change a customer may change these too.
CUSTOMER_INVOICE_FIELDS = (
    "invoice_title",
    "tax_number",
    "default_invoice_kind",
    "invoice_email",
    "invoice_phone",
    "invoice_address_phone",
    "invoice_bank_account",
)
CUSTOMER_FIELDS = (*CUSTOMER_PROFILE_FIELDS, *CUSTOMER_INVOICE_FIELDS)
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_decision_maker")
COMPETITOR_FIELDS = ("name", "products", "strengths", "notes")
