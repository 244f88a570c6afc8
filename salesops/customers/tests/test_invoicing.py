"""A customer's invoicing data (开票信息) by every door: service, API, pages, Excel, admin; and who
may change it (whoever may change the customer, nobody else)."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from salesops.core.errors import Forbidden, InvalidInput, NotFound
from salesops.core.tests.importjobs import error_cells, import_via_job
from salesops.customers import services
from salesops.customers.models import Customer, InvoiceKind
from salesops.customers.spreadsheets import customer_columns
from salesops.customers.tests.test_permission_matrix import ui_form
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db

VALID = "91370102MA3C5K2P87"
OTHER_VALID = "93370181MA3N0Q4T1E"
WRONG_CHECK = "91370102MA3C5K2P88"

INVOICING = {
    "invoice_title": "济南历城丰收农机销售有限公司",
    "tax_number": VALID,
    "default_invoice_kind": "special",
    "invoice_email": "fp@fengshou.example.cn",
    "invoice_phone": "13805310001",
    "invoice_address_phone": "济南市历城区工业北路1号 0531-88001234",
    "invoice_bank_account": "中国农业银行济南历城支行 15150101040012345",
}


def snapshot(customer) -> dict:
    return Customer.objects.filter(pk=customer.pk).values().get()


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch_json(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def label_of(key: str) -> str:
    """A column's header as an import job reports it (the site's language)."""
    column = next(c for c in customer_columns() if c.key == key)
    with translation.override("zh-hans"):
        return column.label()


# Services


def test_create_stores_the_code_normalised_with_every_invoicing_field(staff):
    customer = services.customer_create(
        actor=staff.sales_a,
        code="T001",
        name="丰收农机",
        kind="dealer",
        region_id=staff.region.pk,
        **{**INVOICING, "tax_number": " 9137 0102 ma3c 5k2p 87 "},
    )
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.tax_number == VALID
    assert {name: getattr(stored, name) for name in INVOICING} == INVOICING


def test_create_as_special_without_the_code_is_refused_and_creates_nothing(staff):
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(
            actor=staff.sales_a, code="T002", name="无税号客户", kind="dealer", region_id=staff.region.pk,
            default_invoice_kind="special",
        )  # fmt: skip
    assert list(caught.value.extra["fields"]) == ["tax_number"]
    assert not Customer.objects.exists()


def test_switching_to_special_without_a_code_is_refused_and_changes_nothing(staff, customer_a):
    before = snapshot(customer_a)
    with pytest.raises(InvalidInput) as caught:
        services.customer_update(customer=customer_a, actor=staff.sales_a, version=1, default_invoice_kind="special")
    assert list(caught.value.extra["fields"]) == ["tax_number"]
    assert snapshot(customer_a) == before


def test_clearing_the_code_of_a_special_invoice_customer_is_refused(staff, customer_of):
    customer = customer_of(staff.sales_a, tax_number=VALID, default_invoice_kind=InvoiceKind.SPECIAL)
    before = snapshot(customer)
    with pytest.raises(InvalidInput) as caught:
        services.customer_update(customer=customer, actor=staff.sales_a, version=1, tax_number="")
    assert "tax_number" in caught.value.extra["fields"]
    assert snapshot(customer) == before


def test_a_wrong_check_character_is_refused_on_the_field_and_changes_nothing(staff, customer_a):
    before = snapshot(customer_a)
    with pytest.raises(InvalidInput) as caught:
        services.customer_update(customer=customer_a, actor=staff.sales_a, version=1, tax_number=WRONG_CHECK)
    assert list(caught.value.extra["fields"]) == ["tax_number"]
    assert snapshot(customer_a) == before


def test_retyping_the_same_code_in_lower_case_is_no_change_in_the_history(staff, customer_of):
    customer = customer_of(staff.sales_a, tax_number=VALID)
    updated = services.customer_update(
        customer=customer, actor=staff.sales_a, version=1, tax_number=VALID.lower(), invoice_phone="13800000000"
    )
    assert updated.tax_number == VALID
    event = DocumentEvent.objects.filter(object_id=customer.pk, action="edit").get()
    assert set(event.changes) == {"invoice_phone"}


@pytest.mark.parametrize("actor", ["sales_a", "manager1", "admin"])
def test_whoever_may_change_the_customer_may_change_its_invoicing(staff, customer_a, actor):
    updated = services.customer_update(customer=customer_a, actor=getattr(staff, actor), version=1, **INVOICING)
    assert (updated.tax_number, updated.default_invoice_kind, updated.version) == (VALID, "special", 2)


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        ("sales_b", NotFound),  # another salesperson: the customer is not theirs to see
        ("manager2", NotFound),
        ("branch_mgr", Forbidden),
        ("boss", Forbidden),
        ("finance", Forbidden),  # finance issues invoices (W6) but keeps no customer data
        ("back_office", Forbidden),
    ],
)
def test_nobody_else_may_change_the_invoicing_and_nothing_changes(staff, customer_a, actor, error):
    before = snapshot(customer_a)
    with pytest.raises(error):
        services.customer_update(customer=customer_a, actor=getattr(staff, actor), version=1, **INVOICING)
    assert snapshot(customer_a) == before


# API


def test_api_round_trip(staff, api_client):
    client = api_client(staff.sales_a)
    body = {"code": "API9", "name": "接口客户", "kind": "dealer", "region_id": staff.region.pk}
    response = post_json(client, "/api/customers/", {**body, **INVOICING, "tax_number": VALID.lower()})
    assert response.status_code == 201
    created = response.json()
    assert {name: created[name] for name in INVOICING} == INVOICING
    assert created["invoice_buyer_name"] == INVOICING["invoice_title"]
    # read back, then change two fields
    read = client.get(f"/api/customers/{created['id']}").json()
    assert {name: read[name] for name in INVOICING} == INVOICING
    response = patch_json(
        client,
        f"/api/customers/{created['id']}",
        {"version": read["version"], "invoice_title": "", "tax_number": OTHER_VALID},
    )
    assert response.status_code == 200
    changed = response.json()
    assert (changed["tax_number"], changed["invoice_title"], changed["invoice_buyer_name"]) == (
        OTHER_VALID,
        "",
        "接口客户",
    )
    assert Customer.objects.get().tax_number == OTHER_VALID


def test_api_new_customers_default_to_the_ordinary_invoice(staff, api_client):
    body = {"code": "API8", "name": "普票客户", "kind": "end_user", "region_id": staff.region.pk}
    created = post_json(api_client(staff.sales_a), "/api/customers/", body).json()
    assert (created["default_invoice_kind"], created["tax_number"]) == ("ordinary", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_number": WRONG_CHECK}, "tax_number"),
        ({"tax_number": "91370102MA3C5K2P8"}, "tax_number"),
        ({"default_invoice_kind": "special"}, "tax_number"),
        ({"default_invoice_kind": "vat"}, "default_invoice_kind"),
        ({"invoice_email": "not an address"}, "invoice_email"),
    ],
)
def test_api_bad_invoicing_is_422_naming_the_field_and_changes_nothing(staff, api_client, customer_a, changes, field):
    before = snapshot(customer_a)
    response = patch_json(api_client(staff.sales_a), f"/api/customers/{customer_a.pk}", {"version": 1, **changes})
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert snapshot(customer_a) == before


def test_api_another_salespersons_customer_keeps_its_tax_data(staff, api_client, customer_of):
    # given sales_a's customer with its code; sales_b, and the branch manager who only reads, try to change it
    customer = customer_of(staff.sales_a, tax_number=VALID, default_invoice_kind=InvoiceKind.SPECIAL)
    before = snapshot(customer)
    change = {"version": 1, "tax_number": OTHER_VALID, "invoice_title": "冒名公司"}
    assert patch_json(api_client(staff.sales_b), f"/api/customers/{customer.pk}", change).status_code == 404
    assert patch_json(api_client(staff.finance), f"/api/customers/{customer.pk}", change).status_code == 403
    assert snapshot(customer) == before


# Pages


def test_the_edit_page_saves_the_invoicing_and_the_detail_page_shows_it(staff, web_client, customer_a):
    client = web_client(staff.sales_a)
    response = client.post(
        f"/customers/{customer_a.pk}/edit/", ui_form(customer_a, **{**INVOICING, "tax_number": VALID.lower()})
    )
    assert response.status_code == 302
    customer_a.refresh_from_db()
    assert {name: getattr(customer_a, name) for name in INVOICING} == INVOICING
    page = client.get(f"/customers/{customer_a.pk}/")
    body = page.content.decode()
    assert 'data-testid="invoicing"' in body
    assert f'data-testid="tax-number">{VALID}<' in body
    assert INVOICING["invoice_title"] in body and INVOICING["invoice_bank_account"] in body


def test_the_edit_page_takes_a_code_pasted_with_spaces(staff, web_client, customer_a):
    page = web_client(staff.sales_a).get(f"/customers/{customer_a.pk}/edit/").content.decode()
    assert 'name="tax_number"' in page and 'maxlength="18"' not in page
    data = ui_form(customer_a, tax_number="9137 0102 MA3C 5K2P 87")
    assert web_client(staff.sales_a).post(f"/customers/{customer_a.pk}/edit/", data).status_code == 302
    assert Customer.objects.get(pk=customer_a.pk).tax_number == VALID


@pytest.mark.parametrize(
    "changes",
    [{"tax_number": WRONG_CHECK}, {"default_invoice_kind": "special", "tax_number": ""}],
)
def test_the_edit_page_shows_a_bad_code_on_its_field_with_422(staff, web_client, customer_a, changes):
    before = snapshot(customer_a)
    response = web_client(staff.sales_a).post(f"/customers/{customer_a.pk}/edit/", ui_form(customer_a, **changes))
    assert response.status_code == 422
    assert 'data-field-error="tax_number"' in response.content.decode()
    assert snapshot(customer_a) == before


def test_the_detail_page_of_a_customer_without_a_title_prints_the_name(staff, web_client, customer_a):
    body = web_client(staff.finance).get(f"/customers/{customer_a.pk}/").content.decode()
    assert 'data-testid="invoice-buyer-name">甲客户' in body


@pytest.mark.parametrize(("actor", "status"), [("sales_b", 404), ("branch_mgr", 403), ("finance", 403)])
def test_the_edit_page_refuses_others_and_keeps_the_tax_data(staff, web_client, customer_of, actor, status):
    customer = customer_of(staff.sales_a, tax_number=VALID)
    before = snapshot(customer)
    data = ui_form(customer, tax_number=OTHER_VALID, invoice_title="冒名公司")
    assert web_client(getattr(staff, actor)).post(f"/customers/{customer.pk}/edit/", data).status_code == status
    assert snapshot(customer) == before


# Excel


def xlsx(rows: list[list], header: list[str]) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue(), content_type="application/octet-stream")


BASE_HEADER = ["客户编码", "客户名称", "客户类型", "区域编码", "业务员用户名"]


def test_import_with_invoicing(staff, web_client, django_capture_on_commit_callbacks):
    header = [*BASE_HEADER, "tax_number", "default_invoice_kind", "invoice_title"]
    rows = [
        ["Y001", "德州农机站", "终端用户", "SD", "sales_a", VALID.lower(), "special", "德州市农机站"],
        ["Y002", "聊城经销部", "经销商", "SD", "sales_b", "", "", ""],
    ]
    page = import_via_job(
        web_client(staff.manager1),
        "/customers/import/",
        {"file": xlsx(rows, header)},
        django_capture_on_commit_callbacks,
    )
    assert page.context["job"].state == "done"
    stored = {c.code: c for c in Customer.objects.all()}
    assert (stored["Y001"].tax_number, stored["Y001"].default_invoice_kind) == (VALID, "special")
    assert stored["Y001"].invoice_title == "德州市农机站"
    assert (stored["Y002"].tax_number, stored["Y002"].default_invoice_kind) == ("", "ordinary")


def test_import_with_a_bad_code_names_row_and_column_and_imports_nothing(
    staff, web_client, django_capture_on_commit_callbacks
):
    # given a file whose third data row has a wrong check character and whose fourth wants 专票 without a code
    header = [*BASE_HEADER, "tax_number", "default_invoice_kind"]
    rows = [
        ["Y001", "德州农机站", "终端用户", "SD", "sales_a", VALID, "special"],
        ["Y002", "聊城经销部", "经销商", "SD", "sales_b", OTHER_VALID, "ordinary"],
        ["Y003", "菏泽经销部", "经销商", "SD", "sales_b", WRONG_CHECK, "ordinary"],
        ["Y004", "泰安合作社", "终端用户", "SD", "sales_a", "", "special"],
    ]
    page = import_via_job(
        web_client(staff.manager1),
        "/customers/import/",
        {"file": xlsx(rows, header)},
        django_capture_on_commit_callbacks,
    )
    # then the job failed naming each bad row (Excel numbering) and the code's column, and nothing is imported
    assert page.context["job"].state == "failed"
    assert error_cells(page) == {(4, label_of("tax_number")), (5, label_of("tax_number"))}
    assert not Customer.objects.exists()


def test_export_has_the_invoicing_columns_and_reads_back(
    staff, web_client, customer_of, django_capture_on_commit_callbacks
):
    customer_of(staff.sales_a, code="E001", tax_number=VALID, default_invoice_kind=InvoiceKind.SPECIAL)
    client = web_client(staff.manager1)
    book = load_workbook(BytesIO(client.get("/customers/export.xlsx").content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    columns = {name: rows[0].index(label_of(name)) for name in ("tax_number", "default_invoice_kind")}
    assert rows[1][columns["tax_number"]] == VALID
    # the exported sheet, given a new code, imports as a copy with the same tax data
    sheet["A2"] = "E002"
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("c.xlsx", buffer.getvalue(), content_type="application/octet-stream")
    page = import_via_job(client, "/customers/import/", {"file": upload}, django_capture_on_commit_callbacks)
    assert page.context["job"].state == "done"
    copy = Customer.objects.get(code="E002")
    assert (copy.tax_number, copy.default_invoice_kind) == (VALID, "special")


# Admin


def test_the_admin_edits_the_invoicing_through_the_service(staff, web_client, customer_a):
    from salesops.customers.tests.test_permission_matrix import admin_form

    client = web_client(staff.admin)
    data = admin_form(customer_a, tax_number=VALID.lower(), default_invoice_kind="special")
    response = client.post(f"/admin/customers/customer/{customer_a.pk}/change/", data)
    assert response.status_code == 302
    customer_a.refresh_from_db()
    assert (customer_a.tax_number, customer_a.default_invoice_kind, customer_a.version) == (VALID, "special", 2)
    # a wrong check character stays on the form, nothing saved
    before = snapshot(customer_a)
    data = admin_form(customer_a, tax_number=WRONG_CHECK, default_invoice_kind="special")
    response = client.post(f"/admin/customers/customer/{customer_a.pk}/change/", data)
    assert response.status_code == 200
    assert "tax_number" in response.context["adminform"].form.errors
    assert snapshot(customer_a) == before
