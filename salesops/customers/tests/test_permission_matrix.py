"""Who reaches which customer by which door (RELIABILITY.md T1, c2): every role × {list, detail,
update, export} × {UI, API, admin}. Allow and deny are asserted exactly; a denied update changes
nothing. Salesperson A never reaches B's customer by any door."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from salesops.customers.models import Customer
from salesops.customers.permissions import CUSTOMER_READERS, CUSTOMER_WRITERS

pytestmark = pytest.mark.django_db

# (actor, owner of the customer looked at, may read, may write)
CASES = [
    pytest.param("sales_a", "sales_a", True, True, id="salesperson-own"),
    pytest.param("sales_a", "sales_b", False, False, id="salesperson-other"),
    pytest.param("manager1", "sales_a", True, True, id="sales_manager-own_department"),
    pytest.param("manager2", "sales_a", False, False, id="sales_manager-other_department"),
    pytest.param("manager2", "sales_c", True, True, id="sales_manager-branch_department"),
    pytest.param("branch_mgr", "sales_c", True, False, id="branch_manager-own_branch"),
    pytest.param("branch_mgr", "sales_a", False, False, id="branch_manager-other_branch"),
    pytest.param("boss", "sales_a", True, False, id="leadership"),
    pytest.param("finance", "sales_c", True, False, id="finance"),
    pytest.param("back_office", "sales_a", True, False, id="back_office"),
    pytest.param("warehouse", "sales_a", False, False, id="warehouse"),
    pytest.param("technical", "sales_a", False, False, id="technical"),
    pytest.param("purchasing", "sales_a", False, False, id="purchasing"),
    pytest.param("admin", "sales_c", True, True, id="admin"),
    pytest.param(None, "sales_a", False, False, id="anonymous"),
]


@pytest.fixture
def target(staff, customer_of):
    def make(owner_name):
        return customer_of(getattr(staff, owner_name), code="MATRIX01", name="矩阵客户", phone="0531-8888")

    return make


def has_role(user, roles) -> bool:
    return user is not None and bool(user.roles & set(roles))


def name_of(customer) -> str:
    return Customer.objects.values_list("name", flat=True).get(pk=customer.pk)


def codes_in_xlsx(content: bytes) -> set[str]:
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def ui_form(customer, **changes) -> dict:
    data = {
        "code": customer.code,
        "name": customer.name,
        "kind": customer.kind,
        "region": customer.region_id,
        "address": "",
        "phone": customer.phone,
        "credit_days": customer.credit_days,
        "credit_limit_amount": str(customer.credit_limit_amount),
        "potential_grade": customer.potential_grade,
        "industry": "",
        "scale": "",
        "decision_maker": "",
        "demanded_products": "",
        "yearly_volume": "",
        "current_supplier": "",
        "competitor_products": "",
        "last_visit_on": "",
        "is_active": "on",
        "invoice_title": customer.invoice_title,
        "tax_number": customer.tax_number,
        "default_invoice_kind": customer.default_invoice_kind,
        "invoice_email": customer.invoice_email,
        "invoice_phone": customer.invoice_phone,
        "invoice_address_phone": customer.invoice_address_phone,
        "invoice_bank_account": customer.invoice_bank_account,
        "version": customer.version,
    }
    return {**data, **changes}


@pytest.mark.parametrize(("actor_name", "owner_name", "may_read", "may_write"), CASES)
def test_ui(staff, web_client, target, actor_name, owner_name, may_read, may_write):
    # given a customer of owner_name, and the actor on the web pages
    customer = target(owner_name)
    actor = getattr(staff, actor_name) if actor_name else None
    client = web_client(actor) if actor else Client()
    reader, writer = has_role(actor, CUSTOMER_READERS), has_role(actor, CUSTOMER_WRITERS)
    denied = 302 if actor is None else 403

    # list
    response = client.get("/customers/")
    assert response.status_code == (200 if reader else denied)
    if reader:
        assert ("MATRIX01" in response.content.decode()) is may_read

    # detail
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == (denied if not reader else 200 if may_read else 404)

    # export
    response = client.get("/customers/export.xlsx")
    assert response.status_code == (200 if reader else denied)
    if reader:
        assert ("MATRIX01" in codes_in_xlsx(response.content)) is may_read

    # update
    response = client.post(f"/customers/{customer.pk}/edit/", ui_form(customer, name="改过的名字"))
    expected = denied if not writer else (302 if may_write else 403) if may_read else 404
    assert response.status_code == expected
    assert (name_of(customer) == "改过的名字") is may_write


@pytest.mark.parametrize(("actor_name", "owner_name", "may_read", "may_write"), CASES)
def test_api(staff, api_client, target, actor_name, owner_name, may_read, may_write):
    customer = target(owner_name)
    actor = getattr(staff, actor_name) if actor_name else None
    client = api_client(actor) if actor else Client()
    reader, writer = has_role(actor, CUSTOMER_READERS), has_role(actor, CUSTOMER_WRITERS)
    denied = 401 if actor is None else 403

    response = client.get("/api/customers/")
    assert response.status_code == (200 if reader else denied)
    if reader:
        assert ("MATRIX01" in [item["code"] for item in response.json()["items"]]) is may_read

    response = client.get(f"/api/customers/{customer.pk}")
    assert response.status_code == (denied if not reader else 200 if may_read else 404)

    response = client.get("/api/customers/export.xlsx")
    assert response.status_code == (200 if reader else denied)
    if reader:
        assert ("MATRIX01" in codes_in_xlsx(response.content)) is may_read

    response = client.patch(
        f"/api/customers/{customer.pk}", {"version": 1, "name": "改过的名字"}, content_type="application/json"
    )
    expected = denied if not writer else (200 if may_write else 403) if may_read else 404
    assert response.status_code == expected
    assert (name_of(customer) == "改过的名字") is may_write


def admin_form(customer, **changes) -> dict:
    data = ui_form(customer, owner=customer.owner_id, _save="save")
    data.pop("version")
    return {**data, **changes}


@pytest.mark.parametrize(("actor_name", "owner_name", "may_read", "may_write"), CASES)
def test_admin_site(staff, web_client, target, actor_name, owner_name, may_read, may_write):
    # the admin site is the admin role's only: everyone else is sent to its log-in page
    customer = target(owner_name)
    actor = getattr(staff, actor_name) if actor_name else None
    client = web_client(actor) if actor else Client()
    is_admin = actor_name == "admin"

    response = client.get("/admin/customers/customer/")
    assert response.status_code == (200 if is_admin else 302)
    if is_admin:
        assert "MATRIX01" in response.content.decode()
    else:
        assert response["Location"].startswith("/admin/login/")

    response = client.get(f"/admin/customers/customer/{customer.pk}/change/")
    assert response.status_code == (200 if is_admin else 302)

    response = client.post(f"/admin/customers/customer/{customer.pk}/change/", admin_form(customer, name="改过的名字"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/customers/customer/" if is_admin else "/admin/login/")
    assert (name_of(customer) == "改过的名字") is is_admin
