"""The customer sheet (客户表) for Excel export and import: columns, headers, codes of other rows."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesops.core.excel import Column, Kind
from salesops.org.models import Region

from .models import CustomerKind, InvoiceKind, PotentialGrade


def _regions() -> Mapping[str, Any]:
    return {region.code: region for region in Region.objects.all()}


def customer_columns(*, owners: Callable[[], Mapping[str, Any]] | None = None) -> list[Column]:
    """Columns a customer import reads; ``owners`` maps the usernames the importer may assign."""
    return [
        Column("code", _("customer code"), required=True, max_length=30, unique=True),
        Column("name", _("customer name"), required=True, max_length=200),
        Column("kind", _("customer kind"), Kind.CHOICE, required=True, choices=CustomerKind.choices),
        Column(
            "region",
            _("region code"),
            Kind.REFERENCE,
            required=True,
            reference=_regions,
            export=lambda c: c.region.code,
        ),
        Column(
            "owner",
            _("salesperson username"),
            Kind.REFERENCE,
            reference=owners,
            export=lambda c: c.owner.username,
        ),
        Column("address", _("address"), max_length=300),
        Column("phone", _("phone"), max_length=50),
        Column("credit_days", _("credit days"), Kind.INTEGER, min_value=0, max_value=3650),
        Column(
            "credit_limit_amount",
            _("credit limit"),
            Kind.DECIMAL,
            min_value=Decimal("0"),
            max_value=Decimal("999999999999.99"),
        ),
        Column("industry", _("industry"), max_length=100),
        Column("scale", _("scale"), max_length=100),
        Column("decision_maker", _("decision maker"), max_length=100),
        Column("demanded_products", _("demanded products")),
        Column("yearly_volume", _("yearly volume"), max_length=100),
        Column("current_supplier", _("current supplier"), max_length=200),
        Column("competitor_products", _("competitor products in use")),
        Column("potential_grade", _("potential grade"), Kind.CHOICE, choices=PotentialGrade.choices),
        Column("last_visit_on", _("last visit"), Kind.DATE),
        Column("is_active", _("active"), Kind.BOOLEAN),
        # Invoicing (开票信息); the service checks the code and the 专票 rule, on these columns.
        Column("invoice_title", _("invoice title"), max_length=200),
        # Longer than 18: spaces in a pasted code are removed before it is checked.
        Column("tax_number", _("unified social credit code"), max_length=40),
        Column("default_invoice_kind", _("default invoice kind"), Kind.CHOICE, choices=InvoiceKind.choices),
        Column("invoice_email", _("invoice e-mail"), max_length=254),
        Column("invoice_phone", _("invoice phone"), max_length=50),
        Column("invoice_address_phone", _("address and phone on invoices"), max_length=300),
        Column("invoice_bank_account", _("bank and account on invoices"), max_length=200),
    ]


def customer_export_columns() -> list[Column]:
    """The import's columns plus who and where: an exported sheet can be edited and read back."""
    return [
        *customer_columns(),
        Column("owner_name", _("salesperson"), export=lambda c: str(c.owner)),
        Column("branch", _("branch"), export=lambda c: c.branch.name),
        Column("department", _("department"), export=lambda c: c.department.name if c.department else ""),
        Column("created_at", _("created at"), Kind.DATE),
    ]


def customers_to_xlsx(customers, *, progress=None) -> bytes:
    """The workbook of these customers (already scoped by the caller's selector); ``progress`` is an
    export job's (``core.excel.export_xlsx``)."""
    from django.utils.translation import gettext

    from salesops.core.excel import export_xlsx

    return export_xlsx(
        customers.iterator(chunk_size=500), customer_export_columns(), title=gettext("Customers"), progress=progress
    )
