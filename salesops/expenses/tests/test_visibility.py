"""Who sees which expense requests and special fees: roles × list/detail/update/print-export × UI/API/admin.

SPEC "Visibility": a salesperson sees his own; a sales manager his department; a branch
manager his branch; finance (pays, R6), leadership and admin everything; the sales office,
warehouse, technical and purchasing no expense at all.
"""

import re

import pytest
from django.urls import reverse

from salesops.expenses.tests.factories import customer, expense, special_fee

pytestmark = pytest.mark.django_db

ROLES = [
    "sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr",
    "finance", "boss", "admin", "back_office", "warehouse", "technical", "purchasing",
]  # fmt: skip
# Documents: A by sales_a and B by sales_b (head office, manager1's department), C by sales_c (branch QD).
VISIBLE = {
    "sales_a": {"A"},
    "sales_b": {"B"},
    "sales_c": {"C"},
    "manager1": {"A", "B"},
    "manager2": {"C"},
    "branch_mgr": {"C"},
    "finance": {"A", "B", "C"},
    "boss": {"A", "B", "C"},
    "admin": {"A", "B", "C"},
    "back_office": set(),
    "warehouse": set(),
    "technical": set(),
    "purchasing": set(),
}
READERS = {"sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr", "finance", "boss", "admin"}
RAISERS = {"sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr"}
OWNERS = {"A": "sales_a", "B": "sales_b", "C": "sales_c"}


@pytest.fixture
def docs(staff):
    return {
        "A": expense(staff.sales_a, "100.00"),
        "B": expense(staff.sales_b, "200.00"),
        "C": expense(staff.sales_c, "300.00"),
    }


@pytest.fixture
def fees(staff):
    return {
        name: special_fee(getattr(staff, owner), customer(staff, getattr(staff, owner)), "50.00")
        for name, owner in OWNERS.items()
    }


def _numbers(html: str) -> set[str]:
    return set(re.findall(r'data-testid="row" data-number="([^"]+)"', html))


def _names(docs, numbers) -> set[str]:
    return {name for name, doc in docs.items() if doc.number in numbers}


def _expect_detail(role: str, name: str) -> int:
    if role not in READERS:
        return 403
    return 200 if name in VISIBLE[role] else 404


def _expect_update(role: str, name: str, ok: int) -> int:
    if role not in RAISERS:
        return 403  # the policy: this role edits no expense
    if name not in VISIBLE[role]:
        return 404  # outside the scope: existence not revealed
    return ok if OWNERS[name] == role else 403  # visible, but only the owner edits


# --- web UI -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_ui_list_and_export(staff, docs, web_client, role):
    client = web_client(getattr(staff, role))
    response = client.get(reverse("expenses:expense-list"))
    export = client.get(reverse("expenses:expense-export"))
    if role not in READERS:
        assert (response.status_code, export.status_code) == (403, 403)
        return
    assert response.status_code == 200 and export.status_code == 200
    assert _names(docs, _numbers(response.content.decode())) == VISIBLE[role]
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    assert _names(docs, {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_ui_detail(staff, docs, web_client, role):
    client = web_client(getattr(staff, role))
    for name, doc in docs.items():
        assert client.get(doc.get_absolute_url()).status_code == _expect_detail(role, name), name


@pytest.mark.parametrize("role", ROLES)
def test_ui_update(staff, docs, web_client, role):
    client = web_client(getattr(staff, role))
    for name, doc in docs.items():
        data = {"category": "other", "amount": "1.00", "planned_on": "2026-12-01", "purpose": role, "version": 1}
        response = client.post(reverse("expenses:expense-update", args=[doc.pk]), data)
        assert response.status_code == _expect_update(role, name, ok=302), name
        doc.refresh_from_db()
        assert (doc.purpose == role) == (response.status_code == 302)


@pytest.mark.parametrize("role", ROLES)
def test_ui_print(staff, docs, web_client, role):
    client = web_client(getattr(staff, role))
    for name, doc in docs.items():
        url = reverse("workflow:document-print", args=["expenses.expenserequest", doc.pk])
        response = client.get(url)
        if name in VISIBLE[role]:
            assert response.status_code == 200 and response.content.startswith(b"%PDF-"), name
        else:
            assert response.status_code == 404, name


@pytest.mark.parametrize("role", ROLES)
def test_ui_special_fees(staff, fees, web_client, role):
    client = web_client(getattr(staff, role))
    response = client.get(reverse("expenses:specialfee-list"))
    if role not in READERS:
        assert response.status_code == 403
    else:
        assert _names(fees, _numbers(response.content.decode())) == VISIBLE[role]
    for name, fee in fees.items():
        assert client.get(fee.get_absolute_url()).status_code == _expect_detail(role, name), name


# --- API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_list_and_detail(staff, docs, fees, api_client, role):
    client = api_client(getattr(staff, role))
    for base, objects in (("/api/expenses/", docs), ("/api/expenses/fees", fees)):
        response = client.get(base)
        if role not in READERS:
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            assert _names(objects, {i["number"] for i in response.json()["items"]}) == VISIBLE[role]
        for name, doc in objects.items():
            detail = f"{base.rstrip('/')}/{doc.pk}"
            assert client.get(detail).status_code == _expect_detail(role, name), (base, name)


@pytest.mark.parametrize("role", ROLES)
def test_api_update(staff, docs, api_client, role):
    client = api_client(getattr(staff, role))
    for name, doc in docs.items():
        response = client.patch(
            f"/api/expenses/{doc.pk}", {"version": 1, "purpose": role}, content_type="application/json"
        )
        assert response.status_code == _expect_update(role, name, ok=200), name
        doc.refresh_from_db()
        assert (doc.purpose == role) == (response.status_code == 200)


# --- admin site -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_the_admin_role_and_read_only(staff, docs, fees, web_client, role):
    client = web_client(getattr(staff, role))
    doc = docs["C"]
    urls = [
        reverse("admin:expenses_expenserequest_changelist"),
        reverse("admin:expenses_expenserequest_change", args=[doc.pk]),
        reverse("admin:expenses_specialfee_changelist"),
    ]
    if role != "admin":
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        return
    listing = client.get(urls[0]).content.decode()
    assert all(d.number in listing for d in docs.values())
    change = client.get(urls[1])
    assert change.status_code == 200 and doc.number in change.content.decode()
    assert client.get(urls[2]).status_code == 200
    # documents change only through services: no add, change or delete in the admin
    assert client.get(reverse("admin:expenses_expenserequest_add")).status_code == 403
    response = client.post(urls[1], {"purpose": "hacked", "amount": "1.00"})
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:expenses_expenserequest_delete", args=[doc.pk]), {"post": "yes"}).status_code == 403
    )
    doc.refresh_from_db()
    assert doc.purpose != "hacked"
