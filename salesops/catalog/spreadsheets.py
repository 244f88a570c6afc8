"""The product sheet (产品表) for Excel export and import."""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesops.core.excel import Column, Kind, export_xlsx
from salesops.core.fieldvisibility import hidden_fields

from .models import Product

PRICE_MAX = Decimal("999999999999.99")


def product_columns() -> list[Column]:
    return [
        Column("code", _("product code"), required=True, max_length=30, unique=True),
        Column("name", _("product name"), required=True, max_length=200),
        Column("model", _("model"), max_length=100),
        Column("specification", _("specification"), max_length=200),
        Column("unit", _("unit"), required=True, max_length=20),
        Column("technical_parameters", _("technical parameters")),
        Column("standard_price", _("standard price"), Kind.DECIMAL, required=True, min_value=0, max_value=PRICE_MAX),
        Column("floor_price", _("floor price"), Kind.DECIMAL, required=True, min_value=0, max_value=PRICE_MAX),
        Column("tax_rate", _("tax rate"), Kind.DECIMAL, decimal_places=4, min_value=0, max_value=1),
        Column("is_active", _("active"), Kind.BOOLEAN),
        # 数电 invoicing; the service checks the 19 digits and the short name, on these columns.
        Column("tax_code", _("tax classification code"), max_length=19),
        Column("tax_short_name", _("tax classification short name"), max_length=40),
        Column("invoice_name", _("invoice item name"), max_length=200),
        Column("invoice_specification", _("invoice specification"), max_length=200),
        Column("invoice_unit", _("invoice unit"), max_length=20),
    ]


def product_export_columns(*, user) -> list[Column]:
    """The sheet's columns without the fields ``user`` may not see (an export is a door too)."""
    hidden = hidden_fields(Product, user)
    return [column for column in product_columns() if column.key not in hidden]


def products_to_xlsx(products, *, user, progress=None) -> bytes:
    """The workbook of these products (already scoped and filtered) with the columns ``user`` may see;
    ``progress`` is an export job's (``core.excel.export_xlsx``)."""
    columns = product_export_columns(user=user)
    return export_xlsx(products.iterator(chunk_size=500), columns, title=gettext("Products"), progress=progress)
