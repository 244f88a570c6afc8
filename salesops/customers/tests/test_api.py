import json

import pytest

from salesops.customers.models import Competitor, Contact, Customer, MarketIntel
from salesops.customers.tests.factories import CompetitorFactory, ContactFactory

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def patch_json(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def new_customer(staff, **overrides):
    return {"code": "API001", "name": "接口客户", "kind": "dealer", "region_id": staff.region.pk, **overrides}


def test_create_returns_201_with_owner_branch_and_money_as_text(staff, api_client):
    response = post_json(
        api_client(staff.sales_a), "/api/customers/", new_customer(staff, credit_limit_amount="1234.50")
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["owner_username"], body["region_code"], body["version"]) == ("sales_a", "SD", 1)
    assert body["credit_limit_amount"] == "1234.50"
    assert body["branch_id"] == staff.head_office.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_limit_amount": "12.345"}, "credit_limit_amount"),
        ({"kind": "distributor"}, "kind"),
        ({"region_id": 999999}, "region"),
        ({"code": ""}, "code"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_input_is_422_naming_the_field(staff, api_client, overrides, field):
    response = post_json(api_client(staff.sales_a), "/api/customers/", new_customer(staff, **overrides))
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert not Customer.objects.exists()


def test_server_set_fields_are_ignored(staff, api_client):
    # T14: branch, version, department are not in the input schema
    response = post_json(
        api_client(staff.sales_a),
        "/api/customers/",
        new_customer(staff, branch_id=staff.branch.pk, version=9, department_id=staff.branch_sales.pk),
    )
    assert response.status_code == 201
    customer = Customer.objects.get()
    assert (customer.branch, customer.department, customer.version) == (staff.head_office, staff.hq_sales, 1)


def test_the_same_idempotency_key_twice_creates_one_customer(staff, api_client):
    client = api_client(staff.sales_a)
    first = post_json(client, "/api/customers/", new_customer(staff), HTTP_IDEMPOTENCY_KEY="k-1")
    second = post_json(client, "/api/customers/", new_customer(staff), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Customer.objects.count() == 1


def test_the_same_key_with_another_body_is_422(staff, api_client):
    client = api_client(staff.sales_a)
    post_json(client, "/api/customers/", new_customer(staff), HTTP_IDEMPOTENCY_KEY="k-2")
    response = post_json(client, "/api/customers/", new_customer(staff, code="API002"), HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert Customer.objects.count() == 1


def test_stale_patch_is_409_and_changes_nothing(staff, api_client, customer_a):
    client = api_client(staff.sales_a)
    assert patch_json(client, f"/api/customers/{customer_a.pk}", {"version": 1, "phone": "1"}).status_code == 200
    response = patch_json(client, f"/api/customers/{customer_a.pk}", {"version": 1, "phone": "2"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    customer_a.refresh_from_db()
    assert (customer_a.phone, customer_a.version) == ("1", 2)


def test_patch_changes_only_the_fields_sent(staff, api_client, customer_a):
    response = patch_json(
        api_client(staff.manager1), f"/api/customers/{customer_a.pk}", {"version": 1, "potential_grade": "A"}
    )
    assert response.status_code == 200
    customer_a.refresh_from_db()
    assert (customer_a.potential_grade, customer_a.name) == ("A", "甲客户")


def test_another_salespersons_customer_is_404_everywhere(staff, api_client, customer_a):
    client = api_client(staff.sales_b)
    assert client.get(f"/api/customers/{customer_a.pk}").status_code == 404
    assert client.get(f"/api/customers/{customer_a.pk}/contacts").status_code == 404
    assert patch_json(client, f"/api/customers/{customer_a.pk}", {"version": 1, "name": "x"}).status_code == 404
    assert post_json(client, f"/api/customers/{customer_a.pk}/contacts", {"name": "x"}).status_code == 404
    assert client.get("/api/customers/", {"q": "甲"}).json()["count"] == 0


def test_list_filters_by_text_kind_and_region(staff, api_client, customer_of):
    customer_of(staff.sales_a, code="F1", name="农机经销商", kind="dealer")
    customer_of(staff.sales_a, code="F2", name="农场", kind="end_user")
    client = api_client(staff.sales_a)
    assert [c["code"] for c in client.get("/api/customers/", {"kind": "dealer"}).json()["items"]] == ["F1"]
    assert [c["code"] for c in client.get("/api/customers/", {"q": "农场"}).json()["items"]] == ["F2"]
    assert client.get("/api/customers/", {"region": "SD"}).json()["count"] == 2
    assert client.get("/api/customers/", {"region": "XX"}).json()["count"] == 0


def test_reassign_by_manager(staff, api_client, customer_a):
    response = post_json(
        api_client(staff.manager1), f"/api/customers/{customer_a.pk}/reassign", {"owner_id": staff.sales_b.pk}
    )
    assert response.status_code == 200
    assert response.json()["owner_username"] == "sales_b"
    assert (
        post_json(
            api_client(staff.sales_a), f"/api/customers/{customer_a.pk}/reassign", {"owner_id": staff.sales_b.pk}
        ).status_code
        == 403
    )


def test_contacts(staff, api_client, customer_a):
    client = api_client(staff.sales_a)
    response = post_json(client, f"/api/customers/{customer_a.pk}/contacts", {"name": "王经理", "phone": "138"})
    assert response.status_code == 201
    contact_id = response.json()["id"]
    assert patch_json(client, f"/api/customers/contacts/{contact_id}", {"title": "厂长"}).json()["title"] == "厂长"
    assert [c["name"] for c in client.get(f"/api/customers/{customer_a.pk}/contacts").json()] == ["王经理"]
    # finance reads, may not write
    finance = api_client(staff.finance)
    assert finance.get(f"/api/customers/{customer_a.pk}/contacts").status_code == 200
    assert patch_json(finance, f"/api/customers/contacts/{contact_id}", {"title": "x"}).status_code == 403


def test_contact_of_someone_elses_customer_is_404(staff, api_client, customer_a):
    contact = ContactFactory(customer=customer_a)
    response = patch_json(api_client(staff.sales_b), f"/api/customers/contacts/{contact.pk}", {"name": "x"})
    assert response.status_code == 404
    assert Contact.objects.get().name == contact.name


def test_competitors(staff, api_client):
    client = api_client(staff.sales_a)
    response = post_json(client, "/api/customers/competitors", {"name": "某厂", "products": "收割机"})
    assert response.status_code == 201
    competitor_id = response.json()["id"]
    assert patch_json(client, f"/api/customers/competitors/{competitor_id}", {"notes": "n"}).status_code == 200
    assert client.get("/api/customers/competitors").json()["count"] == 1
    assert post_json(client, "/api/customers/competitors", {"name": "某厂"}).status_code == 422
    # finance has no business with competitors
    assert api_client(staff.finance).get("/api/customers/competitors").status_code == 403
    assert Competitor.objects.count() == 1


@pytest.mark.parametrize("body", [[None, None], [], "x", 5, None])
def test_patch_body_that_is_no_object_is_422_and_changes_nothing(staff, api_client, customer_a, body):
    # found by schemathesis (negative_data_rejection): with every field optional, ninja read
    # `[null, null]` as an object without attributes, an empty patch answered 200
    client = api_client(staff.sales_a)
    contact = ContactFactory(customer=customer_a)
    competitor = CompetitorFactory()
    for url in (f"/api/customers/contacts/{contact.pk}", f"/api/customers/competitors/{competitor.pk}"):
        response = patch_json(client, url, body)
        assert response.status_code == 422, url
        assert response.json()["code"] == "invalid"
    assert Contact.objects.get().name == contact.name
    assert Competitor.objects.get().name == competitor.name


def test_market_intel(staff, api_client, customer_a):
    client = api_client(staff.sales_a)
    response = post_json(
        client,
        "/api/customers/intel",
        {"subject": "end_user", "customer_id": customer_a.pk, "sales_info": "年采购 20 台"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["owner_id"], body["region_id"]) == (staff.sales_a.pk, staff.region.pk)
    # the author's manager sees it, another salesperson does not
    assert api_client(staff.manager1).get("/api/customers/intel").json()["count"] == 1
    assert api_client(staff.sales_b).get("/api/customers/intel").json()["count"] == 0
    assert api_client(staff.sales_b).get(f"/api/customers/intel/{body['id']}").status_code == 404
    # a competitor entry without the competitor names the field
    response = post_json(client, "/api/customers/intel", {"subject": "competitor", "market_facts": "x"})
    assert response.status_code == 422
    assert "competitor" in response.json()["extra"]["fields"]
    assert MarketIntel.objects.count() == 1


def test_competitor_intel_with_a_known_competitor(staff, api_client):
    competitor = CompetitorFactory()
    response = post_json(
        api_client(staff.manager2),
        "/api/customers/intel",
        {
            "subject": "competitor",
            "competitor_id": competitor.pk,
            "region_id": staff.region.pk,
            "product_structure": "小型机为主",
        },
    )
    assert response.status_code == 201
