"""A product's tax classification (税收分类编码 and its short name) and how a 数电 invoice prints it,
by every door: model, service, API, pages, Excel, admin."""

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import Workbook, load_workbook

from salesops.catalog import services
from salesops.catalog.models import Product
from salesops.catalog.spreadsheets import product_columns
from salesops.catalog.tests.factories import ProductFactory
from salesops.core.errors import Forbidden, InvalidInput, validate
from salesops.core.tests.importjobs import error_cells, import_via_job

pytestmark = pytest.mark.django_db

CODE = "1090414010000000000"  # 19 digits, as in the national table
CLASSIFIED = {"tax_code": CODE, "tax_short_name": "电线电缆"}


def snapshot(product) -> dict:
    return Product.objects.filter(pk=product.pk).values().get()


def errors_of(product) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        validate(product)
    return caught.value.extra["fields"]


def label_of(key: str) -> str:
    column = next(c for c in product_columns() if c.key == key)
    with translation.override("zh-hans"):
        return column.label()


# Model


def test_the_printed_item_name_is_short_name_between_asterisks_then_the_name():
    product = ProductFactory.build(name="铜芯电缆", **CLASSIFIED)
    assert product.invoice_line_name() == "*电线电缆*铜芯电缆"
    assert product.has_tax_classification


def test_the_invoice_name_replaces_the_product_name_on_the_invoice():
    product = ProductFactory.build(name="YJV 电缆", invoice_name="铜芯交联聚乙烯绝缘电力电缆", **CLASSIFIED)
    assert product.invoice_line_name() == "*电线电缆*铜芯交联聚乙烯绝缘电力电缆"


def test_an_unclassified_product_prints_its_bare_name_and_is_not_ready():
    product = ProductFactory.build(name="铜芯电缆")
    assert product.invoice_line_name() == "铜芯电缆"
    assert not product.has_tax_classification


@pytest.mark.parametrize(
    ("model", "specification", "override", "printed"),
    [
        ("YJV", "3×95", "", "YJV 3×95"),  # as the delivery documents print them
        ("IT225", "IT225", "", "IT225"),  # the same text once
        ("", "100 m/卷", "", "100 m/卷"),
        ("", "", "", ""),
        ("YJV", "3×95", "YJV-0.6/1kV 3×95", "YJV-0.6/1kV 3×95"),
    ],
)
def test_the_printed_specification(model, specification, override, printed):
    product = ProductFactory.build(model=model, specification=specification, invoice_specification=override)
    assert product.invoice_line_specification() == printed


def test_the_printed_unit_is_the_invoice_unit_or_the_unit():
    product = ProductFactory.build(unit="卷")
    assert product.invoice_line_unit() == "卷"
    product.invoice_unit = "米"
    assert product.invoice_line_unit() == "米"


@pytest.mark.parametrize(
    "code",
    [
        "109041401000000000",  # 18 digits
        "10904140100000000000",  # 20 digits
        "109041401000000000A",
        "1090414 01000000000",  # a space inside
        "１０９０４１４０１００００００００００",  # full-width digits
    ],
)
def test_a_code_that_is_not_19_digits_is_refused_on_its_field(code):
    product = ProductFactory.build(tax_code=code, tax_short_name="电线电缆")
    assert list(errors_of(product)) == ["tax_code"]


def test_a_code_needs_its_short_name():
    product = ProductFactory.build(tax_code=CODE, tax_short_name="")
    assert list(errors_of(product)) == ["tax_short_name"]


def test_the_short_name_has_no_asterisks():
    product = ProductFactory.build(tax_code=CODE, tax_short_name="*电线电缆*")
    assert list(errors_of(product)) == ["tax_short_name"]


def test_the_database_refuses_a_code_without_a_short_name():
    product = ProductFactory(**CLASSIFIED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(tax_short_name="")
    assert Product.objects.get(pk=product.pk).tax_short_name == "电线电缆"


# Services


def test_the_sales_office_classifies_a_product(staff):
    product = ProductFactory()
    updated = services.product_update(product=product, actor=staff.back_office, version=1, **CLASSIFIED)
    assert (updated.tax_code, updated.tax_short_name, updated.version) == (CODE, "电线电缆", 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_code": "109041401"}, "tax_code"),
        ({"tax_code": CODE}, "tax_short_name"),
        ({"tax_short_name": "*电缆"}, "tax_short_name"),
    ],
)
def test_a_bad_classification_is_refused_on_its_field_and_changes_nothing(staff, changes, field):
    product = ProductFactory()
    before = snapshot(product)
    with pytest.raises(InvalidInput) as caught:
        services.product_update(product=product, actor=staff.admin, version=1, **changes)
    assert field in caught.value.extra["fields"]
    assert snapshot(product) == before


@pytest.mark.parametrize("actor", ["sales_a", "manager1", "finance", "technical"])
def test_who_may_not_keep_the_catalogue_may_not_classify(staff, actor):
    product = ProductFactory()
    before = snapshot(product)
    with pytest.raises(Forbidden):
        services.product_update(product=product, actor=getattr(staff, actor), version=1, **CLASSIFIED)
    assert snapshot(product) == before


# API


def send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_api_round_trip(staff, api_client):
    client = api_client(staff.back_office)
    body = {
        "code": "C-1",
        "name": "铜芯电缆",
        "model": "YJV",
        "specification": "3×95",
        "unit": "卷",
        "standard_price": "5000.00",
        "floor_price": "4500.00",
        **CLASSIFIED,
        "invoice_unit": "米",
    }
    response = send(client, "post", "/api/catalog/products", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["tax_code"], created["tax_short_name"], created["invoice_unit"]) == (CODE, "电线电缆", "米")
    assert (created["invoice_line_name"], created["invoice_line_specification"], created["invoice_line_unit"]) == (
        "*电线电缆*铜芯电缆",
        "YJV 3×95",
        "米",
    )
    # everyone signed in reads it, warehouse staff too
    read = api_client(staff.warehouse).get(f"/api/catalog/products/{created['id']}").json()
    assert read["invoice_line_name"] == "*电线电缆*铜芯电缆"
    response = send(
        client,
        "patch",
        f"/api/catalog/products/{created['id']}",
        {"version": 1, "invoice_name": "铜芯交联电缆", "invoice_specification": "YJV-0.6/1kV 3×95"},
    )
    assert response.status_code == 200
    changed = response.json()
    assert (changed["invoice_line_name"], changed["invoice_line_specification"]) == (
        "*电线电缆*铜芯交联电缆",
        "YJV-0.6/1kV 3×95",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_code": "123"}, "tax_code"),
        ({"tax_code": "10904140100000000000"}, "tax_code"),  # 20: the schema's limit
        ({"tax_code": CODE}, "tax_short_name"),
    ],
)
def test_api_bad_classification_is_422_naming_the_field(staff, api_client, changes, field):
    product = ProductFactory()
    before = snapshot(product)
    response = send(api_client(staff.admin), "patch", f"/api/catalog/products/{product.pk}", {"version": 1, **changes})
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert snapshot(product) == before


def test_api_a_salesperson_may_not_classify(staff, api_client):
    product = ProductFactory()
    before = snapshot(product)
    response = send(
        api_client(staff.sales_a), "patch", f"/api/catalog/products/{product.pk}", {"version": 1, **CLASSIFIED}
    )
    assert response.status_code == 403
    assert snapshot(product) == before


# Pages


def form(product, **changes) -> dict:
    return {
        "code": product.code,
        "name": product.name,
        "model": product.model,
        "specification": product.specification,
        "unit": product.unit,
        "standard_price": str(product.standard_price),
        "floor_price": str(product.floor_price),
        "tax_rate": str(product.tax_rate),
        "is_active": "on",
        "version": product.version,
        **changes,
    }


def test_the_edit_page_classifies_and_the_detail_page_prints_the_line(staff, web_client):
    product = ProductFactory(name="旋耕机", model="1GQN-200", specification="工作幅宽 2.00 米")
    client = web_client(staff.back_office)
    assert client.get(f"/catalog/{product.pk}/").content.decode().count('data-testid="unclassified"') == 1
    data = form(product, tax_code="1090302010000000000", tax_short_name="耕整地机械", invoice_unit="部")
    assert client.post(f"/catalog/{product.pk}/edit/", data).status_code == 302
    body = web_client(staff.technical).get(f"/catalog/{product.pk}/").content.decode()
    assert 'data-testid="invoice-line-name">*耕整地机械*旋耕机<' in body
    assert 'data-testid="invoice-line-specification">1GQN-200 工作幅宽 2.00 米<' in body
    assert 'data-testid="invoice-line-unit">部<' in body
    assert 'data-testid="unclassified"' not in body


def test_the_edit_page_shows_a_bad_code_on_its_field_with_422(staff, web_client):
    product = ProductFactory()
    before = snapshot(product)
    response = web_client(staff.back_office).post(
        f"/catalog/{product.pk}/edit/", form(product, tax_code="10903020100", tax_short_name="耕整地机械")
    )
    assert response.status_code == 422
    assert 'data-field-error="tax_code"' in response.content.decode()
    response = web_client(staff.back_office).post(f"/catalog/{product.pk}/edit/", form(product, tax_code=CODE))
    assert response.status_code == 422
    assert 'data-field-error="tax_short_name"' in response.content.decode()
    assert snapshot(product) == before


def test_the_admin_classifies_through_the_service(staff, web_client):
    product = ProductFactory()
    data = {**form(product, **CLASSIFIED, technical_parameters=""), "_save": "save"}
    data.pop("version")
    response = web_client(staff.admin).post(f"/admin/catalog/product/{product.pk}/change/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.tax_code, product.version) == (CODE, 2)


# Excel


def workbook(rows: list[list], header: list[str]) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("products.xlsx", buffer.getvalue())


HEADER = ["产品编码", "产品名称", "单位", "标准价", "最低价", "tax_code", "tax_short_name"]


def test_import_with_classification(staff, web_client, django_capture_on_commit_callbacks):
    rows = [["I1", "铜芯电缆", "卷", 1200, 1000, CODE, "电线电缆"], ["I2", "滚筒", "个", 88, 80, "", ""]]
    page = import_via_job(
        web_client(staff.back_office),
        "/catalog/import/",
        {"file": workbook(rows, HEADER)},
        django_capture_on_commit_callbacks,
    )
    assert page.context["job"].state == "done"
    assert {p.code: p.invoice_line_name() for p in Product.objects.all()} == {"I1": "*电线电缆*铜芯电缆", "I2": "滚筒"}


def test_import_with_a_bad_code_names_row_and_column_and_imports_nothing(
    staff, web_client, django_capture_on_commit_callbacks
):
    # given a good row, a row with an 18-digit code and a row with a code but no short name
    rows = [
        ["I1", "铜芯电缆", "卷", 1200, 1000, CODE, "电线电缆"],
        ["I2", "铝芯电缆", "卷", 900, 800, "109041401000000000", "电线电缆"],
        ["I3", "护套线", "卷", 300, 250, CODE, ""],
    ]
    page = import_via_job(
        web_client(staff.admin),
        "/catalog/import/",
        {"file": workbook(rows, HEADER)},
        django_capture_on_commit_callbacks,
    )
    # then the job failed naming each row and column, and no product is imported
    assert page.context["job"].state == "failed"
    assert error_cells(page) == {(3, label_of("tax_code")), (4, label_of("tax_short_name"))}
    assert not Product.objects.exists()


def test_export_writes_the_code_as_text(staff, web_client):
    ProductFactory(code="X1", **CLASSIFIED, standard_price=Decimal("10.00"), floor_price=Decimal("9.00"))
    content = web_client(staff.sales_a).get("/catalog/export.xlsx").content
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index(label_of("tax_code")) + 1)
    # a 19-digit number would lose its last digits in Excel; as text it keeps all 19
    assert (cell.value, cell.data_type) == (CODE, "s")
