from decimal import Decimal

import pytest

from salesops.catalog import services
from salesops.catalog.models import Product
from salesops.catalog.tests.factories import ProductFactory
from salesops.core.errors import Forbidden, InvalidInput, StaleEdit

pytestmark = pytest.mark.django_db


def new_product(**overrides):
    fields = {
        "code": "P-1",
        "name": "小麦收割机",
        "unit": "台",
        "standard_price": Decimal("98000.00"),
        "floor_price": Decimal("90000.00"),
        "tax_rate": Decimal("0.13"),
    }
    return {**fields, **overrides}


@pytest.mark.parametrize("actor", ["admin", "back_office"])
def test_sales_office_and_admin_add_products(staff, actor):
    product = services.product_create(actor=getattr(staff, actor), **new_product())
    assert Product.objects.get() == product
    assert product.version == 1


@pytest.mark.parametrize("actor", ["sales_a", "manager1", "boss", "finance", "warehouse", "technical", "purchasing"])
def test_everyone_else_is_refused(staff, actor):
    with pytest.raises(Forbidden):
        services.product_create(actor=getattr(staff, actor), **new_product())
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"floor_price": Decimal("99000.00")}, "floor_price"),  # floor above standard
        ({"standard_price": Decimal("10.001")}, "standard_price"),
        ({"floor_price": Decimal("-1")}, "floor_price"),
        ({"tax_rate": Decimal("1.5")}, "tax_rate"),
        ({"tax_rate": Decimal("-0.01")}, "tax_rate"),
        ({"standard_price": 98000.0}, "standard_price"),  # a float is never money
        ({"unit": ""}, "unit"),
    ],
)
def test_invalid_prices_and_rates_name_the_field(staff, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        services.product_create(actor=staff.back_office, **new_product(**overrides))
    assert field in caught.value.extra["fields"]
    assert not Product.objects.exists()


def test_update_with_version_and_stale_edit(staff):
    product = ProductFactory()
    updated = services.product_update(product=product, actor=staff.admin, version=1, floor_price=Decimal("700.00"))
    assert (updated.floor_price, updated.version) == (Decimal("700.00"), 2)
    with pytest.raises(StaleEdit):
        services.product_update(product=product, actor=staff.back_office, version=1, name="旧版本")
    product.refresh_from_db()
    assert (product.name, product.version) != ("旧版本", 3)
    assert product.version == 2


def test_update_cannot_put_the_floor_above_the_standard_price(staff):
    product = ProductFactory(standard_price=Decimal("1000.00"), floor_price=Decimal("800.00"))
    with pytest.raises(InvalidInput) as caught:
        services.product_update(product=product, actor=staff.admin, version=1, standard_price=Decimal("500.00"))
    assert "floor_price" in caught.value.extra["fields"]
    product.refresh_from_db()
    assert product.standard_price == Decimal("1000.00")


def test_denied_update_changes_nothing(staff):
    product = ProductFactory(name="原名")
    with pytest.raises(Forbidden):
        services.product_update(product=product, actor=staff.sales_a, version=1, name="改名")
    product.refresh_from_db()
    assert (product.name, product.version) == ("原名", 1)
