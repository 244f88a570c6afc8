"""Writers of products and warehouses. Prices are Decimal with two places (CNY); the floor price
(最低价) is never above the standard price; the tax rate is between 0 and 1."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core import excel
from salesops.core.errors import InvalidInput
from salesops.core.fields import check_field_names, optional_text_fields, service_names
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.masterdata import save_edit, save_new, save_versioned_edit

from .fields import PRODUCT_FIELDS, WAREHOUSE_FIELDS
from .models import Product, Warehouse
from .permissions import PRODUCT_WRITERS, WAREHOUSE_KEEPERS, WAREHOUSE_WRITERS
from .selectors import product_get_for, warehouse_get_for
from .spreadsheets import product_columns

# What a writer may set, keyed as these functions take it (``branch_id``).
PRODUCT_SETTABLE = service_names(Product, PRODUCT_FIELDS)
WAREHOUSE_SETTABLE = service_names(Warehouse, WAREHOUSE_FIELDS)
DECIMAL_FIELDS = ("standard_price", "floor_price", "tax_rate")


def _check(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    check_field_names(fields, allowed)
    # Money is never a float: 0.1 + 0.2 != 0.3.
    floats = [name for name in DECIMAL_FIELDS if isinstance(fields.get(name), float)]
    if floats:
        raise InvalidInput(
            _("Amounts must be exact decimals."), fields={name: [_("Give the amount as a decimal.")] for name in floats}
        )
    for name in DECIMAL_FIELDS:
        if isinstance(fields.get(name), int | str) and not isinstance(fields.get(name), bool):
            try:
                fields[name] = Decimal(str(fields[name]))
            except ArithmeticError as exc:
                raise InvalidInput(_("Enter a number."), fields={name: [_("Enter a number.")]}) from exc


@transaction.atomic
def product_create(*, actor: User, **fields: Any) -> Product:
    """Add a product (产品) to the catalogue (sales office or admin)."""
    require(actor, *PRODUCT_WRITERS)
    _check(fields, PRODUCT_SETTABLE)
    return save_new(Product(**fields), actor=actor)


@transaction.atomic
def product_update(*, product: Product, actor: User, version: int, **fields: Any) -> Product:
    """Change a product; refused (409) when somebody saved it since ``version``."""
    require(actor, *PRODUCT_WRITERS)
    _check(fields, PRODUCT_SETTABLE)
    current = product_get_for(user=actor, pk=product.pk)
    stale = _("Somebody else saved this product first; reload it and edit again.")
    return save_versioned_edit(current, fields, actor=actor, version=version, stale=stale)


def product_import(*, actor: User, upload: Any, progress: excel.ImportProgress | None = None) -> int:
    """Add products from an Excel sheet, all rows or none."""
    require(actor, *PRODUCT_WRITERS)
    text = optional_text_fields(Product, PRODUCT_FIELDS)

    def write_row(values: dict[str, Any]) -> Product:
        fields = {k: v for k, v in values.items() if v is not None}
        for name in text:
            fields.setdefault(name, "")
        return product_create(actor=actor, **fields)

    return excel.import_xlsx(upload, product_columns(), write_row, progress=progress)


def _check_keeper(keeper_id: Any) -> None:
    if keeper_id is None:
        return
    keeper = User.objects.filter(pk=keeper_id, is_active=True).first()
    if keeper is None or not keeper.has_role(*WAREHOUSE_KEEPERS):
        raise InvalidInput(_("Choose a warehouse keeper."), fields={"keeper": [_("Not a warehouse keeper.")]})


@transaction.atomic
def warehouse_create(*, actor: User, **fields: Any) -> Warehouse:
    """Add a warehouse (仓库) (admin)."""
    require(actor, *WAREHOUSE_WRITERS)
    _check(fields, WAREHOUSE_SETTABLE)
    _check_keeper(fields.get("keeper_id"))
    return save_new(Warehouse(**fields), actor=actor)


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, actor: User, **fields: Any) -> Warehouse:
    require(actor, *WAREHOUSE_WRITERS)
    _check(fields, WAREHOUSE_SETTABLE)
    if "keeper_id" in fields:
        _check_keeper(fields["keeper_id"])
    current = warehouse_get_for(user=actor, pk=warehouse.pk)
    return save_edit(current, fields, actor=actor)
