"""The fields a writer may set on customers, contacts and competitors, named once for the
services, the forms and the admin (model field names, in the order the forms show them).

Owner, branch, department and version are not among them: the services set those.
"""

CUSTOMER_FIELDS = (
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
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_decision_maker")
COMPETITOR_FIELDS = ("name", "products", "strengths", "notes")
