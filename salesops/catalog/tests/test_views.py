import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from salesops.catalog.models import Product
from salesops.catalog.tests.factories import ProductFactory
from salesops.core.tests.importjobs import error_cells, import_via_job

pytestmark = pytest.mark.django_db


def form(**changes):
    return {
        "code": "V1",
        "name": "旋耕机",
        "unit": "台",
        "standard_price": "3000.00",
        "floor_price": "2500.00",
        "tax_rate": "0.13",
        "is_active": "on",
        **changes,
    }


def test_everyone_signed_in_sees_the_list_and_detail_but_only_writers_get_buttons(staff, web_client):
    product = ProductFactory(name="旋耕机")
    page = web_client(staff.technical).get("/catalog/").content.decode()
    assert "旋耕机" in page and "/catalog/new/" not in page
    assert web_client(staff.technical).get(f"/catalog/{product.pk}/").status_code == 200
    assert "/catalog/new/" in web_client(staff.back_office).get("/catalog/").content.decode()
    assert web_client(staff.technical).get("/catalog/new/").status_code == 403


def test_create_and_field_errors(staff, web_client):
    client = web_client(staff.back_office)
    response = client.post("/catalog/new/", form(floor_price="3500.00"))
    assert response.status_code == 422
    assert 'data-field-error="floor_price"' in response.content.decode()
    assert client.post("/catalog/new/", form()).status_code == 302
    assert Product.objects.get().standard_price == Decimal("3000.00")


def test_stale_edit_is_409(staff, web_client):
    product = ProductFactory()
    client = web_client(staff.admin)
    data = form(code=product.code, version=1)
    assert client.post(f"/catalog/{product.pk}/edit/", data).status_code == 302
    assert client.post(f"/catalog/{product.pk}/edit/", {**data, "name": "第二次"}).status_code == 409


def test_search_sort_htmx_and_export_with_filters(staff, web_client):
    ProductFactory(code="S1", name="大型收割机", is_active=True)
    ProductFactory(code="S2", name="小型收割机", is_active=False)
    client = web_client(staff.sales_a)
    body = client.get("/catalog/", {"active": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert 'data-code="S2"' in body and 'data-code="S1"' not in body
    assert re.search(r"/catalog/export.xlsx\?[^\"]*active=0", body)
    content = client.get("/catalog/export.xlsx", {"active": "0"}).content
    rows = list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("产品编码", "产品名称")
    assert [r[0] for r in rows[1:]] == ["S2"]


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["产品编码", "产品名称", "单位", "标准价", "最低价", "税率"])
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("products.xlsx", buffer.getvalue())


def test_import_good_file(staff, web_client, django_capture_on_commit_callbacks):
    page = import_via_job(
        web_client(staff.back_office),
        "/catalog/import/",
        {"file": workbook([["I1", "割台", "套", 1200, 1000, 0.13], ["I2", "滚筒", "个", "88.80", "80", "0.09"]])},
        django_capture_on_commit_callbacks,
    )
    assert page.context["job"].state == "done"
    assert {p.code: p.floor_price for p in Product.objects.all()} == {"I1": Decimal("1000.00"), "I2": Decimal("80.00")}


def test_import_bad_file_names_row_and_column_and_imports_nothing(
    staff, web_client, django_capture_on_commit_callbacks
):
    page = import_via_job(
        web_client(staff.admin),
        "/catalog/import/",
        {
            "file": workbook(
                [
                    ["I1", "割台", "套", 1200, 1000, 0.13],
                    ["I2", "滚筒", "个", 88.888, 80, 0.09],  # three decimals
                    ["I3", "链条", "条", 100, 200, 0.13],  # floor above standard: checked once the cells are clean
                    ["I4", "皮带", "", 10, 5, 1.3],  # unit missing, tax rate above 1
                ]
            )
        },
        django_capture_on_commit_callbacks,
    )
    # cell problems are all reported first; the service's own rules run only on a clean sheet
    assert error_cells(page) == {(3, "标准价"), (5, "单位"), (5, "税率")}
    assert not Product.objects.exists()


def test_import_service_rule_errors_when_cells_are_fine(staff, web_client, django_capture_on_commit_callbacks):
    page = import_via_job(
        web_client(staff.admin),
        "/catalog/import/",
        {"file": workbook([["I1", "割台", "套", 1200, 1000, 0.13], ["I3", "链条", "条", 100, 200, 0.13]])},
        django_capture_on_commit_callbacks,
    )
    assert error_cells(page) == {(3, "最低价")}
    assert not Product.objects.exists()


def test_salesperson_cannot_import(staff, web_client):
    assert web_client(staff.sales_a).post("/catalog/import/", {"file": workbook([])}).status_code == 403
