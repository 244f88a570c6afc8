"""List pages and list endpoints run a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesops.expenses.tests.factories import customer, expense, special_fee, submitted_expense

pytestmark = pytest.mark.django_db


def _add_expenses(staff, count: int) -> None:
    owners = [staff.sales_a, staff.sales_b]
    customers = {o.pk: customer(staff, o) for o in owners}
    for i in range(count):
        owner = owners[i % 2]
        expense(
            owner,
            f"{10 + i}.50",
            category=["travel", "gifts", "transport"][i % 3],
            customer_id=customers[owner.pk].pk if i % 2 else None,
            incurred_on=timezone.localdate() if i % 5 == 0 else None,
        )


def _add_fees(staff, count: int) -> None:
    owners = [staff.sales_a, staff.sales_b]
    customers = {o.pk: customer(staff, o) for o in owners}
    for i in range(count):
        owner = owners[i % 2]
        special_fee(owner, customers[owner.pk], f"{100 + i}.00")


def _queries(request) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured)


# per_page=50 so that all 40 rows are on the page: the rendered rows must not add queries.
@pytest.mark.parametrize("user_name", ["sales_a", "manager1", "boss"])
def test_expense_list_page_queries_are_fixed(staff, web_client, user_name):
    client = web_client(getattr(staff, user_name))
    url = reverse("expenses:expense-list")
    _add_expenses(staff, 5)
    few = _queries(lambda: client.get(url, {"per_page": 50}))
    _add_expenses(staff, 35)
    many = _queries(lambda: client.get(url, {"per_page": 50}))
    assert few == many


@pytest.mark.parametrize("user_name", ["sales_a", "manager1", "finance"])
def test_special_fee_list_page_queries_are_fixed(staff, web_client, user_name):
    client = web_client(getattr(staff, user_name))
    url = reverse("expenses:specialfee-list")
    _add_fees(staff, 5)
    few = _queries(lambda: client.get(url, {"per_page": 50}))
    _add_fees(staff, 35)
    many = _queries(lambda: client.get(url, {"per_page": 50}))
    assert few == many


def test_export_queries_are_fixed(staff, web_client):
    client = web_client(staff.manager1)
    url = reverse("expenses:expense-export")
    _add_expenses(staff, 5)
    few = _queries(lambda: client.get(url))
    _add_expenses(staff, 35)
    assert _queries(lambda: client.get(url)) == few


@pytest.mark.parametrize("url", ["/api/expenses/", "/api/expenses/fees"])
def test_api_list_queries_are_fixed(staff, api_client, url):
    client = api_client(staff.manager1)
    _add_expenses(staff, 5)
    _add_fees(staff, 5)
    few = _queries(lambda: client.get(url, {"page_size": 50}))
    _add_expenses(staff, 35)
    _add_fees(staff, 35)
    many = _queries(lambda: client.get(url, {"page_size": 50}))
    assert few == many


def test_my_tasks_with_expense_approvals_queries_are_fixed(staff, web_client):
    client = web_client(staff.manager1)
    for _ in range(5):
        submitted_expense(staff.sales_a)
    few = _queries(lambda: client.get(reverse("workflow:my-tasks")))
    for _ in range(35):
        submitted_expense(staff.sales_b)
    assert _queries(lambda: client.get(reverse("workflow:my-tasks"))) == few
