"""Every API error has the same shape and a documented status; found by fuzzing the API (schemathesis)."""

import pytest

from salesops.api import api

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_answers_400_in_the_error_shape(staff, api_client):
    response = api_client(staff.sales_a).post("/api/expenses/", "C", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "extra"}


def test_a_filter_value_too_large_for_the_database_is_ignored_not_a_500(staff, api_client):
    response = api_client(staff.manager1).get("/api/expenses/fees", {"owner": "23012233760952074240"})
    assert response.status_code == 200


def test_every_operation_documents_its_error_answers():
    schema = api.get_openapi_schema()
    undocumented = [
        (method, path, code)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        for code in ("400", "401", "403", "404", "409", "422")
        if code not in {str(key) for key in op["responses"]}
    ]
    assert undocumented == []


def test_null_for_a_text_field_is_a_422_naming_it(staff, api_client):
    from salesops.customers.models import Competitor

    competitor = Competitor.objects.create(name="某农机厂")
    response = api_client(staff.sales_a).patch(
        f"/api/customers/competitors/{competitor.pk}", {"notes": None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "notes" in response.json()["extra"]["fields"]


def test_a_broken_multipart_body_is_a_400(staff, api_client):
    response = api_client(staff.manager1).generic(
        "POST", "/api/customers/import", b"garbage", content_type="multipart/form-data"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/catalog/products", 422),  # ninja paging: the page number is bounded
        ("/api/customers/", 422),
        ("/api/expenses/", 422),  # one paging for every list: the same bound
    ],
)
def test_a_page_number_beyond_any_list_is_not_a_500(staff, api_client, url, status):
    response = api_client(staff.manager1).get(url, {"page": "18446744073709551615"})
    assert response.status_code == status
