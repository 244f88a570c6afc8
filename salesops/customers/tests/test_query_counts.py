"""List pages and list endpoints run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.customers.tests.factories import CompetitorFactory, ContactFactory, CustomerFactory, MarketIntelFactory

pytestmark = pytest.mark.django_db

PAGES = ["/customers/?per_page=50", "/customers/intel/?per_page=50", "/customers/competitors/?per_page=50"]
ENDPOINTS = [
    "/api/customers/?page_size=50",
    "/api/customers/intel?page_size=50",
    "/api/customers/competitors?page_size=50",
    "/api/customers/export.xlsx",
]


def add_rows(staff, count):
    for owner in (staff.sales_a, staff.sales_b):
        for _ in range(count):
            customer = CustomerFactory(owner=owner, region=staff.region)
            ContactFactory(customer=customer)
            MarketIntelFactory(owner=owner, customer=customer, subject="end_user", region=staff.region)
            CompetitorFactory()


def count_queries(client, url) -> int:
    client.get(url)  # warm-up: session, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages(staff, web_client, django_assert_num_queries, url):
    # given 5 rows per salesperson, measured; then 40 rows per salesperson
    client = web_client(staff.manager1)
    add_rows(staff, 5)
    with_five = count_queries(client, url)
    add_rows(staff, 35)
    client.get(url)
    # then the same number of queries
    with django_assert_num_queries(with_five):
        client.get(url)
    assert with_five <= 12


@pytest.mark.parametrize("url", ENDPOINTS)
def test_list_endpoints(staff, api_client, django_assert_num_queries, url):
    client = api_client(staff.manager1)
    add_rows(staff, 5)
    with_five = count_queries(client, url)
    add_rows(staff, 35)
    with django_assert_num_queries(with_five):
        assert client.get(url).status_code == 200
    assert with_five <= 8


def test_customer_detail_is_fixed_too(staff, web_client, django_assert_num_queries):
    client = web_client(staff.manager1)
    customer = CustomerFactory(owner=staff.sales_a, region=staff.region)
    url = f"/customers/{customer.pk}/"
    with_none = count_queries(client, url)
    for _ in range(10):
        ContactFactory(customer=customer)
        MarketIntelFactory(owner=staff.sales_a, customer=customer, subject="end_user", region=staff.region)
    with django_assert_num_queries(with_none):
        client.get(url)
