"""Writers of products and warehouses. Prices are Decimal with two places (CNY); the floor price
(最低价) is never above the standard price; the tax rate is between 0 and 1."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from salesops.core import excel
from salesops.core.errors import InvalidInput, StaleEdit, validate
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.services import changed_fields, record_event

from .models import Product, Warehouse
from .permissions import PRODUCT_WRITERS, WAREHOUSE_WRITERS
from .selectors import product_get_for, warehouse_get_for
from .spreadsheets import product_columns

PRODUCT_FIELDS = frozenset(
    {
        "code",
        "name",
        "model",
        "specification",
        "unit",
        "technical_parameters",
        "standard_price",
        "floor_price",
        "tax_rate",
        "is_active",
    }
)
DECIMAL_FIELDS = ("standard_price", "floor_price", "tax_rate")
WAREHOUSE_FIELDS = frozenset({"code", "name", "branch_id", "address", "keeper_id", "is_active"})


def _check(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here."), fields={name: [_("This field cannot be set.")] for name in unknown}
        )
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
    _check(fields, PRODUCT_FIELDS)
    product = Product(**fields)
    validate(product)
    product.save()
    record_event(product, "create", actor=actor)
    return product


@transaction.atomic
def product_update(*, product: Product, actor: User, version: int, **fields: Any) -> Product:
    """Change a product; refused (409) when somebody saved it since ``version``."""
    require(actor, *PRODUCT_WRITERS)
    _check(fields, PRODUCT_FIELDS)
    current = product_get_for(user=actor, pk=product.pk)
    changes = changed_fields(current, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    validate(current)
    updated = Product.objects.filter(pk=current.pk, version=version).update(
        **{name: getattr(current, name) for name in fields}, version=F("version") + 1
    )
    if updated != 1:
        raise StaleEdit(_("Somebody else saved this product first; reload it and edit again."))
    current.refresh_from_db()
    if changes:
        record_event(current, "edit", actor=actor, changes=changes)
    return current


def product_import(*, actor: User, upload: Any) -> int:
    """Add products from an Excel sheet, all rows or none."""
    require(actor, *PRODUCT_WRITERS)

    def write_row(values: dict[str, Any]) -> Product:
        fields = {k: v for k, v in values.items() if v is not None}
        for name in ("model", "specification", "technical_parameters"):
            fields.setdefault(name, "")
        return product_create(actor=actor, **fields)

    return excel.import_xlsx(upload, product_columns(), write_row)


def _check_keeper(keeper_id: Any) -> None:
    if keeper_id is None:
        return
    keeper = User.objects.filter(pk=keeper_id, is_active=True).first()
    if keeper is None or Role.WAREHOUSE not in keeper.roles:
        raise InvalidInput(_("Choose a warehouse keeper."), fields={"keeper": [_("Not a warehouse keeper.")]})


@transaction.atomic
def warehouse_create(*, actor: User, **fields: Any) -> Warehouse:
    """Add a warehouse (仓库) (admin)."""
    require(actor, *WAREHOUSE_WRITERS)
    _check(fields, WAREHOUSE_FIELDS)
    _check_keeper(fields.get("keeper_id"))
    warehouse = Warehouse(**fields)
    validate(warehouse)
    warehouse.save()
    record_event(warehouse, "create", actor=actor)
    return warehouse


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, actor: User, **fields: Any) -> Warehouse:
    require(actor, *WAREHOUSE_WRITERS)
    _check(fields, WAREHOUSE_FIELDS)
    if "keeper_id" in fields:
        _check_keeper(fields["keeper_id"])
    current = warehouse_get_for(user=actor, pk=warehouse.pk)
    changes = changed_fields(current, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    validate(current)
    current.save()
    if changes:
        record_event(current, "edit", actor=actor, changes=changes)
    return current
