"""Who sees which dealer collection permits, on the pages, the API and the printed form.

A salesperson sees their own; a sales manager their department; a branch manager their branch;
finance (the money is remitted to it) and the sales office (checks the day's collections with
finance, R11) every permit; leadership and admin everything; warehouse, technical and purchasing
none (and may not open the pages).
"""

import re

import pytest
from django.urls import reverse

from salesops.expenses.tests.factories import dealer, permit

pytestmark = pytest.mark.django_db

ROLES = [
    "sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr",
    "finance", "back_office", "boss", "admin", "warehouse", "technical", "purchasing",
]  # fmt: skip
# Permits: A by sales_a and B by sales_b (head office, manager1's department), C by sales_c (branch QD).
OWNERS = {"A": "sales_a", "B": "sales_b", "C": "sales_c"}
VISIBLE = {
    "sales_a": {"A"},
    "sales_b": {"B"},
    "sales_c": {"C"},
    "manager1": {"A", "B"},
    "manager2": {"C"},
    "branch_mgr": {"C"},
    "finance": {"A", "B", "C"},
    "back_office": {"A", "B", "C"},
    "boss": {"A", "B", "C"},
    "admin": {"A", "B", "C"},
    "warehouse": set(),
    "technical": set(),
    "purchasing": set(),
}
READERS = set(VISIBLE) - {"warehouse", "technical", "purchasing"}


@pytest.fixture
def permits(staff):
    return {
        name: permit(getattr(staff, owner), dealer(staff, getattr(staff, owner)), "1000.00")
        for name, owner in OWNERS.items()
    }


def _names(permits, numbers) -> set[str]:
    return {name for name, doc in permits.items() if doc.number in numbers}


def _expect_detail(role: str, name: str) -> int:
    if role not in READERS:
        return 403
    return 200 if name in VISIBLE[role] else 404


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_pages(staff, permits, web_client, role):
    client = web_client(getattr(staff, role))
    response = client.get(reverse("expenses:permit-list"))
    if role not in READERS:
        assert response.status_code == 403
    else:
        numbers = set(re.findall(r'data-testid="row" data-number="([^"]+)"', response.content.decode()))
        assert _names(permits, numbers) == VISIBLE[role]
    for name, doc in permits.items():
        assert client.get(doc.get_absolute_url()).status_code == _expect_detail(role, name), name


@pytest.mark.parametrize("role", ROLES)
def test_api_list_and_detail(staff, permits, api_client, role):
    client = api_client(getattr(staff, role))
    response = client.get("/api/expenses/permits")
    if role not in READERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert _names(permits, {i["number"] for i in response.json()["items"]}) == VISIBLE[role]
    for name, doc in permits.items():
        assert client.get(f"/api/expenses/permits/{doc.pk}").status_code == _expect_detail(role, name), name


@pytest.mark.parametrize("role", ROLES)
def test_print(staff, permits, web_client, role):
    client = web_client(getattr(staff, role))
    for name, doc in permits.items():
        response = client.get(reverse("workflow:document-print", args=["expenses.collectionpermit", doc.pk]))
        assert response.status_code == (200 if name in VISIBLE[role] else 404), name


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_edits(staff, permits, web_client, role):
    client = web_client(getattr(staff, role))
    raisers = {"sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr"}
    for name, doc in permits.items():
        data = {
            "customer": doc.customer_id,
            "limit_amount": "2000.00",
            "method": "cash",
            "valid_from": doc.valid_from.isoformat(),
            "valid_until": doc.valid_until.isoformat(),
            "reason": role,
            "version": 1,
        }
        response = client.post(reverse("expenses:permit-update", args=[doc.pk]), data)
        if role not in raisers:
            expected = 403
        elif name not in VISIBLE[role]:
            expected = 404
        else:
            expected = 302 if OWNERS[name] == role else 403
        assert response.status_code == expected, name
        doc.refresh_from_db()
        assert (doc.reason == role) == (expected == 302)
