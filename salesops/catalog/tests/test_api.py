import json
from decimal import Decimal

import pytest
from django.test import Client

from salesops.catalog.models import Product
from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def new_product(**overrides):
    return {
        "code": "P-1",
        "name": "播种机",
        "unit": "台",
        "standard_price": "5000.00",
        "floor_price": "4500.00",
        **overrides,
    }


@pytest.mark.parametrize("actor", ["sales_a", "warehouse", "technical", "purchasing", "finance"])
def test_everyone_signed_in_reads_products(staff, api_client, actor):
    product = ProductFactory(standard_price=Decimal("1234.50"))
    client = api_client(getattr(staff, actor))
    body = client.get("/api/catalog/products").json()
    assert body["count"] == 1
    assert body["items"][0]["code"] == product.code
    assert client.get(f"/api/catalog/products/{product.pk}").status_code == 200
    assert client.get("/api/catalog/products/999999").status_code == 404


def test_prices_are_exact_text(staff, api_client):
    ProductFactory(standard_price=Decimal("1234.50"))
    body = api_client(staff.sales_a).get("/api/catalog/products").json()
    assert body["items"][0]["standard_price"] == "1234.50"  # money as exact text, never a float


def test_anonymous_gets_401(db):
    assert Client().get("/api/catalog/products").status_code == 401


def test_back_office_creates_and_updates(staff, api_client):
    client = api_client(staff.back_office)
    response = send(client, "post", "/api/catalog/products", new_product())
    assert response.status_code == 201
    product_id = response.json()["id"]
    response = send(client, "patch", f"/api/catalog/products/{product_id}", {"version": 1, "floor_price": "4000.00"})
    assert response.status_code == 200
    assert response.json()["floor_price"] == "4000.00"
    response = send(client, "patch", f"/api/catalog/products/{product_id}", {"version": 1, "name": "旧"})
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"floor_price": "6000.00"}, "floor_price"),
        ({"standard_price": "1.234"}, "standard_price"),
        ({"tax_rate": "2"}, "tax_rate"),
        ({"unit": ""}, "unit"),
    ],
)
def test_bad_input_is_422_naming_the_field(staff, api_client, overrides, field):
    response = send(api_client(staff.admin), "post", "/api/catalog/products", new_product(**overrides))
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert not Product.objects.exists()


def test_salesperson_cannot_write(staff, api_client):
    client = api_client(staff.sales_a)
    assert send(client, "post", "/api/catalog/products", new_product()).status_code == 403
    product = ProductFactory()
    assert send(client, "patch", f"/api/catalog/products/{product.pk}", {"version": 1, "name": "x"}).status_code == 403
    assert Product.objects.get().name == product.name


def test_products_filter_by_text_and_active(staff, api_client):
    ProductFactory(code="A1", name="玉米收获机")
    ProductFactory(code="A2", name="播种机", is_active=False)
    client = api_client(staff.sales_a)
    assert [p["code"] for p in client.get("/api/catalog/products", {"q": "玉米"}).json()["items"]] == ["A1"]
    assert [p["code"] for p in client.get("/api/catalog/products", {"active": "false"}).json()["items"]] == ["A2"]


def test_warehouses_list(staff, api_client):
    WarehouseFactory(branch=staff.head_office, code="W1")
    body = api_client(staff.warehouse).get("/api/catalog/warehouses").json()
    assert [w["code"] for w in body["items"]] == ["W1"]
