from decimal import Decimal

import pytest

from salesops.catalog.models import Product
from salesops.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def admin_form(product, **changes):
    return {
        "code": product.code,
        "name": product.name,
        "model": "",
        "specification": "",
        "unit": product.unit,
        "technical_parameters": "",
        "standard_price": str(product.standard_price),
        "floor_price": str(product.floor_price),
        "tax_rate": str(product.tax_rate),
        "is_active": "on",
        "_save": "save",
        **changes,
    }


def test_admin_edits_a_product_through_the_service(staff, web_client):
    product = ProductFactory()
    response = web_client(staff.admin).post(
        f"/admin/catalog/product/{product.pk}/change/", admin_form(product, floor_price="750.00")
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.floor_price, product.version) == (Decimal("750.00"), 2)


def test_admin_form_refuses_a_floor_above_the_standard_price(staff, web_client):
    product = ProductFactory()
    response = web_client(staff.admin).post(
        f"/admin/catalog/product/{product.pk}/change/", admin_form(product, floor_price="5000.00")
    )
    assert response.status_code == 200  # the form is shown again with the error
    product.refresh_from_db()
    assert product.floor_price == Decimal("800.00")


@pytest.mark.parametrize("actor", ["back_office", "sales_a", "warehouse"])
def test_other_roles_are_kept_out_of_the_admin(staff, web_client, actor):
    product = ProductFactory()
    response = web_client(getattr(staff, actor)).post(
        f"/admin/catalog/product/{product.pk}/change/", admin_form(product, name="改名")
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Product.objects.get().name == product.name


def test_admin_lists_products_and_warehouses(staff, web_client):
    ProductFactory(name="割台")
    client = web_client(staff.admin)
    assert "割台" in client.get("/admin/catalog/product/").content.decode()
    assert client.get("/admin/catalog/warehouse/").status_code == 200
    assert client.get("/admin/catalog/warehouse/add/").status_code == 200
