import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def measure(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("door", "url"),
    [("web", "/catalog/?per_page=50"), ("api", "/api/catalog/products"), ("web", "/catalog/export.xlsx")],
)
def test_product_lists_use_a_fixed_number_of_queries(
    staff, web_client, api_client, django_assert_num_queries, door, url
):
    client = web_client(staff.sales_a) if door == "web" else api_client(staff.sales_a)
    ProductFactory.create_batch(5)
    with_five = measure(client, url)
    ProductFactory.create_batch(35)
    with django_assert_num_queries(with_five):
        client.get(url)
