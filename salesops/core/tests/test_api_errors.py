"""Every API error has the same shape and a documented status; found by fuzzing the API (schemathesis)."""

import json

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


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/customers/999999999", "/api/customers/x/y/z"])
def test_an_unknown_api_path_answers_404_in_the_error_shape(staff, api_client, path):
    # given an authenticated client
    # when it asks for a path or object that does not exist
    response = api_client(staff.sales_a).get(path)
    # then a JSON 404 in the API's shape, not an HTML page
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"message", "code", "extra"}


def test_a_method_the_api_path_does_not_take_answers_405_in_the_error_shape(staff, api_client):
    # when a path is called with a method it does not take
    response = api_client(staff.sales_a).delete("/api/customers/")
    # then a JSON 405 in the API's shape, still naming the allowed methods
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_the_docs_page_loads_nothing_from_another_host(staff, web_client):
    import re

    # given a signed-in user on the API docs page
    response = web_client(staff.admin).get("/api/docs")
    html = response.content.decode()
    # then every script and stylesheet is this site's own, from the vendored Swagger UI
    assert response.status_code == 200
    assert re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html) == []
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/vendor/swagger-ui/swagger-ui.css" in html
    for url in re.findall(r"""(?:src|href)=["']([^"']+)""", html):
        assert url.startswith("/static/"), url
        # and each is a file the site serves
        from django.contrib.staticfiles import finders

        assert finders.find(url.removeprefix("/static/")), url


def test_the_openapi_document_has_no_key_twice(staff, api_client):
    """Swagger UI refuses a document with a repeated key ("duplicated mapping key"): a file answer's
    documented responses must not stand beside ninja's own under the same code."""
    repeated = []

    def pairs(items):
        keys = [key for key, _value in items]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    response = api_client(staff.sales_a).get("/api/openapi.json")
    json.loads(response.content, object_pairs_hook=pairs)
    assert response.status_code == 200 and repeated == []
