"""Warehouse, technical and purchasing staff never see standard or floor prices (标准价, 最低价),
by any door: API, pages, exports (issue 6, field visibility per role). The pricing roles still do."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from salesops.catalog.tests.factories import ProductFactory
from salesops.org.models import UserRole
from salesops.org.roles import Role

pytestmark = pytest.mark.django_db

HIDDEN_FROM = ["warehouse", "technical", "purchasing"]
SEEN_BY = ["sales_a", "manager1", "boss", "finance", "back_office"]
# Prices no other figure on the pages can show by chance.
STANDARD, FLOOR = Decimal("98765.43"), Decimal("87654.32")
PRICE_TEXTS = ("98765.43", "98,765.43", "87654.32", "87,654.32")
PRICE_KEYS = {"standard_price", "floor_price"}


@pytest.fixture
def product(db):
    return ProductFactory(code="PV-1", name="精量播种机", standard_price=STANDARD, floor_price=FLOOR)


def _price_headers() -> set[str]:
    with translation.override("zh-hans"):
        return {str(translation.gettext("standard price")), str(translation.gettext("floor price"))}


def _sheet(content: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def _has_price(rows: list[tuple]) -> bool:
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    return bool(cells & (_price_headers() | {str(STANDARD), str(FLOOR), *PRICE_TEXTS}))


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_the_api_gives_no_price_to(staff, api_client, product, role):
    client = api_client(getattr(staff, role))
    listed = client.get("/api/catalog/products")
    detail = client.get(f"/api/catalog/products/{product.pk}")
    assert listed.status_code == detail.status_code == 200
    [row] = listed.json()["items"]
    assert row["code"] == "PV-1" and not PRICE_KEYS & set(row)
    assert detail.json()["name"] == "精量播种机" and not PRICE_KEYS & set(detail.json())
    for text in PRICE_TEXTS:
        assert text not in listed.content.decode() and text not in detail.content.decode()


@pytest.mark.parametrize("role", SEEN_BY)
def test_the_api_gives_prices_to(staff, api_client, product, role):
    client = api_client(getattr(staff, role))
    [row] = client.get("/api/catalog/products").json()["items"]
    detail = client.get(f"/api/catalog/products/{product.pk}").json()
    assert (row["standard_price"], row["floor_price"]) == ("98765.43", "87654.32")
    assert (detail["standard_price"], detail["floor_price"]) == ("98765.43", "87654.32")


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_the_pages_show_no_price_to(staff, web_client, product, role):
    client = web_client(getattr(staff, role))
    pages = {
        "list": client.get("/catalog/"),
        "results": client.get("/catalog/", HTTP_HX_REQUEST="true"),
        "detail": client.get(f"/catalog/{product.pk}/"),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200 and "PV-1" in html, name
        assert not [text for text in PRICE_TEXTS if text in html], name
        assert 'data-testid="standard-price"' not in html and "sort=standard_price" not in html, name


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_sorting_by_a_hidden_price_is_ignored(staff, web_client, role):
    # given two products whose price order differs from their code order
    ProductFactory(code="A-1", standard_price=Decimal("900.00"), floor_price=Decimal("1.00"))
    ProductFactory(code="B-1", standard_price=Decimal("100.00"), floor_price=Decimal("1.00"))
    client = web_client(getattr(staff, role))
    # when sorted by price
    html = client.get("/catalog/", {"sort": "standard_price"}).content.decode()
    # then the order is the default one (by code), which reveals nothing about prices
    assert html.index("A-1") < html.index("B-1")


def test_a_pricing_role_sorts_by_price(staff, web_client):
    ProductFactory(code="A-1", standard_price=Decimal("900.00"), floor_price=Decimal("1.00"))
    ProductFactory(code="B-1", standard_price=Decimal("100.00"), floor_price=Decimal("1.00"))
    html = web_client(staff.sales_a).get("/catalog/", {"sort": "standard_price"}).content.decode()
    assert html.index("B-1") < html.index("A-1")


@pytest.mark.parametrize("role", SEEN_BY)
def test_the_pages_show_prices_to(staff, web_client, product, role):
    client = web_client(getattr(staff, role))
    assert "98,765.43" in client.get("/catalog/").content.decode()
    detail = client.get(f"/catalog/{product.pk}/").content.decode()
    assert "98,765.43" in detail and "87,654.32" in detail


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_the_export_has_no_price_for(staff, web_client, product, role):
    response = web_client(getattr(staff, role)).get("/catalog/export.xlsx")
    assert response.status_code == 200
    rows = _sheet(response.content)
    assert "PV-1" in rows[1]
    assert not _has_price(rows)


@pytest.mark.parametrize("role", SEEN_BY)
def test_the_export_has_prices_for(staff, web_client, product, role):
    rows = _sheet(web_client(getattr(staff, role)).get("/catalog/export.xlsx").content)
    assert _price_headers() <= set(rows[0])
    assert float(STANDARD) in rows[1] and float(FLOOR) in rows[1]


def test_a_user_with_a_pricing_role_besides_sees_prices(staff, api_client, product):
    # given a warehouse keeper who is also in the sales office
    UserRole.objects.create(user=staff.warehouse, role=Role.BACK_OFFICE)
    [row] = api_client(staff.warehouse).get("/api/catalog/products").json()["items"]
    assert row["standard_price"] == "98765.43"


def test_the_product_picker_finds_by_pinyin_and_shows_no_price(staff, web_client):
    from salesops.catalog.tests.factories import ProductFactory

    ProductFactory(code="P-BZJ", name="播种机", standard_price="4321.00", floor_price="4000.00")
    for user in (staff.warehouse, staff.sales_a):
        for query in ("bzj", "bozhongji", "播种"):
            html = web_client(user).get("/pickers/product/", {"q": query}).content.decode()
            assert "P-BZJ" in html, (user, query)
            assert "4321" not in html and "4000" not in html
