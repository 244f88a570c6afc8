"""The REST API: 201/200 on success, 422 with field errors, 404 outside scope, 409 disallowed or stale, 403 role."""

import datetime

import pytest
from django.utils import timezone

from salesops.expenses.models import ExpenseRequest, SpecialFee
from salesops.expenses.tests.factories import (
    events_of,
    expense,
    instructed_special_fee,
    snapshot,
    special_fee,
    submitted_expense,
    submitted_special_fee,
)

pytestmark = pytest.mark.django_db

BASE = "/api/expenses"
# A planned date ahead of today: a past one makes the submission an R3 breach.
PLANNED_ON = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
BODY = {"category": "travel", "amount": "800.00", "planned_on": PLANNED_ON, "purpose": "拜访客户"}


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_create_returns_201_with_the_document(staff, api_client, cust_a):
    response = post(api_client(staff.sales_a), f"{BASE}/", {**BODY, "customer_id": cust_a.pk})
    assert response.status_code == 201
    body = response.json()
    doc = ExpenseRequest.objects.get()
    assert body["number"] == doc.number and body["state"] == "draft"
    assert body["amount"] == "800.00" and body["customer_name"] == cust_a.name
    assert body["owner_id"] == staff.sales_a.pk and body["version"] == 1


def test_create_ignores_kernel_fields_in_the_body(staff, api_client):
    response = post(
        api_client(staff.sales_a),
        f"{BASE}/",
        {**BODY, "state": "approved", "number": "X1", "owner_id": staff.boss.pk, "branch_id": staff.branch.pk},
    )
    assert response.status_code == 201
    doc = ExpenseRequest.objects.get()
    assert (doc.state, doc.owner, doc.branch) == ("draft", staff.sales_a, staff.head_office)
    assert doc.number != "X1"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"category": "yacht"}, "category"),
        ({"planned_on": "soon"}, "planned_on"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_create_with_bad_input_is_422_naming_the_field(staff, api_client, change, field):
    response = post(api_client(staff.sales_a), f"{BASE}/", {**BODY, **change})
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert ExpenseRequest.objects.count() == 0


def test_create_with_a_future_incurred_date_is_422(staff, api_client):
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = post(api_client(staff.sales_a), f"{BASE}/", {**BODY, "incurred_on": future})
    assert response.status_code == 422 and list(response.json()["extra"]["fields"]) == ["incurred_on"]


def test_create_with_someone_elses_customer_is_422(staff, api_client):
    from salesops.expenses.tests.factories import customer

    other = customer(staff, staff.sales_c)
    response = post(api_client(staff.sales_a), f"{BASE}/", {**BODY, "customer_id": other.pk})
    assert response.status_code == 422 and "customer" in response.json()["extra"]["fields"]


def test_create_by_a_role_that_raises_no_expenses_is_403(staff, api_client):
    response = post(api_client(staff.warehouse), f"{BASE}/", BODY)
    assert response.status_code == 403
    assert ExpenseRequest.objects.count() == 0


def test_without_credentials_is_401(staff, client):
    assert client.get(f"{BASE}/").status_code == 401


def test_idempotency_key_replays_the_first_answer(staff, api_client):
    client = api_client(staff.sales_a)
    first = post(client, f"{BASE}/", BODY, **{"Idempotency-Key": "k-1"})
    second = post(client, f"{BASE}/", BODY, **{"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert ExpenseRequest.objects.count() == 1
    other = post(client, f"{BASE}/", {**BODY, "amount": "900.00"}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422 and ExpenseRequest.objects.count() == 1


def test_special_fee_create_is_idempotent_too(staff, api_client, cust_a):
    client = api_client(staff.sales_a)
    body = {"customer_id": cust_a.pk, "kind": "marketing", "amount": "100.00", "reason": "推广"}
    for _ in range(3):
        assert post(client, f"{BASE}/fees", body, **{"Idempotency-Key": "fee-1"}).status_code == 201
    assert SpecialFee.objects.count() == 1


def test_an_idempotency_key_used_on_one_operation_is_refused_on_another(staff, api_client, cust_a):
    # given a key that created an expense
    client = api_client(staff.sales_a)
    assert post(client, f"{BASE}/", BODY, **{"Idempotency-Key": "shared-1"}).status_code == 201
    fee = {"customer_id": cust_a.pk, "kind": "marketing", "amount": "100.00", "reason": "推广"}
    # when the same key creates a special fee
    response = post(client, f"{BASE}/fees", fee, **{"Idempotency-Key": "shared-1"})
    # then 422 naming the key, no fee, and not the expense's answer
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["extra"]["fields"]
    assert SpecialFee.objects.count() == 0 and ExpenseRequest.objects.count() == 1


def test_detail_outside_the_scope_is_404(staff, api_client):
    doc = expense(staff.sales_a)
    assert api_client(staff.sales_b).get(f"{BASE}/{doc.pk}").status_code == 404
    assert api_client(staff.manager2).get(f"{BASE}/{doc.pk}").status_code == 404
    assert api_client(staff.manager1).get(f"{BASE}/{doc.pk}").status_code == 200
    assert api_client(staff.sales_a).get(f"{BASE}/999999").status_code == 404


def test_patch_with_the_version_updates(staff, api_client):
    doc = expense(staff.sales_a)
    response = patch(api_client(staff.sales_a), f"{BASE}/{doc.pk}", {"version": 1, "amount": "123.45"})
    assert response.status_code == 200
    assert response.json()["amount"] == "123.45" and response.json()["version"] == 2


def test_patch_with_a_stale_version_is_409_and_changes_nothing(staff, api_client):
    doc = expense(staff.sales_a)
    client = api_client(staff.sales_a)
    assert patch(client, f"{BASE}/{doc.pk}", {"version": 1, "amount": "200.00"}).status_code == 200
    before = snapshot(doc)
    response = patch(client, f"{BASE}/{doc.pk}", {"version": 1, "amount": "300.00"})
    assert response.status_code == 409 and response.json()["code"] == "stale"
    assert snapshot(doc) == before


def test_patch_by_the_manager_is_403_and_outside_scope_404(staff, api_client):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    assert patch(api_client(staff.manager1), f"{BASE}/{doc.pk}", {"version": 1, "amount": "1.00"}).status_code == 403
    assert patch(api_client(staff.sales_b), f"{BASE}/{doc.pk}", {"version": 1, "amount": "1.00"}).status_code == 404
    assert patch(api_client(staff.finance), f"{BASE}/{doc.pk}", {"version": 1, "amount": "1.00"}).status_code == 403
    assert snapshot(doc) == before


def test_patch_without_version_is_422(staff, api_client):
    doc = expense(staff.sales_a)
    response = patch(api_client(staff.sales_a), f"{BASE}/{doc.pk}", {"amount": "1.00"})
    assert response.status_code == 422 and "version" in response.json()["extra"]["fields"]


def test_transitions_submit_and_approve(staff, api_client):
    doc = expense(staff.sales_a, "800.00")
    response = post(api_client(staff.sales_a), f"{BASE}/{doc.pk}/submit")
    assert response.status_code == 200 and response.json()["state"] == "pending"
    response = post(api_client(staff.manager1), f"{BASE}/{doc.pk}/approve", {"comment": "同意"})
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert events_of(doc) == ["create", "submit", "approve"]


def test_a_request_submitted_after_its_planned_date_is_flagged_r3_with_the_reason(staff, api_client):
    # given a request raised over the API for yesterday, not declared as incurred
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    sales = api_client(staff.sales_a)
    created = post(sales, f"{BASE}/", {**BODY, "planned_on": yesterday})
    assert created.status_code == 201 and created.json()["incurred_before_approval"] is False
    # when it is submitted
    response = post(sales, f"{BASE}/{created.json()['id']}/submit")
    # then it is pending, flagged as incurred before approval, with the reason naming the date
    body = response.json()
    assert response.status_code == 200 and body["state"] == "pending"
    assert body["incurred_before_approval"] is True
    assert yesterday in body["r3_breach_reason"]
    # and the manager's task shows the reason; the breach filter finds it
    manager = api_client(staff.manager1)
    [task] = [t for t in manager.get("/api/tasks").json()["items"] if t["number"] == body["number"]]
    assert body["r3_breach_reason"] in task["detail"]
    assert [i["number"] for i in manager.get(f"{BASE}/", {"breach": "true"}).json()["items"]] == [body["number"]]


def test_a_disallowed_transition_is_409_with_the_reason(staff, api_client):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    response = post(api_client(staff.sales_a), f"{BASE}/{doc.pk}/approve")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed" and response.json()["message"]
    assert snapshot(doc) == before


def test_an_unknown_action_is_422(staff, api_client):
    doc = expense(staff.sales_a)
    response = post(api_client(staff.sales_a), f"{BASE}/{doc.pk}/teleport")
    assert response.status_code == 422 and "action" in response.json()["extra"]["fields"]


def test_approval_by_a_role_that_may_not_act_is_403(staff, api_client):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    assert post(api_client(staff.sales_a), f"{BASE}/{doc.pk}/approve").status_code == 403
    assert post(api_client(staff.finance), f"{BASE}/{doc.pk}/approve").status_code == 403
    assert post(api_client(staff.manager2), f"{BASE}/{doc.pk}/approve").status_code == 404
    assert post(api_client(staff.warehouse), f"{BASE}/{doc.pk}/approve").status_code == 403
    assert snapshot(doc) == before


def test_reject_without_a_reason_is_422(staff, api_client):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    response = post(api_client(staff.manager1), f"{BASE}/{doc.pk}/reject", {"comment": ""})
    assert response.status_code == 422 and "comment" in response.json()["extra"]["fields"]
    assert snapshot(doc) == before


def test_list_is_scoped_filtered_paged_and_totalled(staff, api_client):
    expense(staff.sales_a, "100.00", category="travel")
    expense(staff.sales_a, "200.00", category="gifts", incurred_on=timezone.localdate())
    expense(staff.sales_b, "300.00")
    expense(staff.sales_c, "400.00")
    body = api_client(staff.manager1).get(f"{BASE}/").json()
    assert body["count"] == 3 and body["total_amount"] == "600.00"
    body = api_client(staff.manager1).get(f"{BASE}/", {"breach": "true"}).json()
    assert [i["amount"] for i in body["items"]] == ["200.00"]
    body = api_client(staff.manager1).get(f"{BASE}/", {"owner": staff.sales_b.pk}).json()
    assert [i["amount"] for i in body["items"]] == ["300.00"]
    body = api_client(staff.boss).get(f"{BASE}/", {"sort": "amount", "page_size": 5}).json()
    assert [i["amount"] for i in body["items"]] == ["100.00", "200.00", "300.00", "400.00"]
    assert api_client(staff.boss).get(f"{BASE}/", {"state": "flying"}).status_code == 422
    assert api_client(staff.boss).get(f"{BASE}/", {"page_size": 1000}).status_code == 422


def test_special_fee_flow_over_the_api(staff, api_client, cust_a):
    fee = submitted_special_fee(staff.sales_a, cust_a)
    assert post(api_client(staff.manager1), f"{BASE}/fees/{fee.pk}/approve").json()["state"] == "pending"
    # paying before leadership's instruction: 409, nothing changes
    before = snapshot(fee)
    pay = {"paid_on": timezone.localdate().isoformat(), "reference": "BANK-1"}
    response = post(api_client(staff.finance), f"{BASE}/fees/{fee.pk}/pay", pay)
    assert response.status_code == 409
    assert snapshot(fee) == before
    assert post(api_client(staff.boss), f"{BASE}/fees/{fee.pk}/approve").json()["state"] == "approved"
    # a salesperson may not pay: 403
    assert post(api_client(staff.sales_a), f"{BASE}/fees/{fee.pk}/pay", pay).status_code == 403
    response = post(api_client(staff.finance), f"{BASE}/fees/{fee.pk}/pay", pay)
    assert response.status_code == 200
    assert response.json()["state"] == "paid" and response.json()["payment_reference"] == "BANK-1"


def test_pay_with_bad_input_is_422(staff, api_client, cust_a):
    fee = instructed_special_fee(staff, cust_a)
    response = post(api_client(staff.finance), f"{BASE}/fees/{fee.pk}/pay", {"paid_on": "2026-01-01"})
    assert response.status_code == 422 and "reference" in response.json()["extra"]["fields"]


def test_special_fee_list_detail_patch(staff, api_client, cust_a):
    fee = special_fee(staff.sales_a, cust_a, "3000.00")
    client = api_client(staff.sales_a)
    assert client.get(f"{BASE}/fees").json()["total_amount"] == "3000.00"
    assert client.get(f"{BASE}/fees/{fee.pk}").json()["number"] == fee.number
    assert api_client(staff.sales_b).get(f"{BASE}/fees/{fee.pk}").status_code == 404
    response = patch(client, f"{BASE}/fees/{fee.pk}", {"version": 1, "kind": "temp_workers"})
    assert response.status_code == 200 and response.json()["kind"] == "temp_workers"
    assert patch(client, f"{BASE}/fees/{fee.pk}", {"version": 1, "kind": "other"}).status_code == 409


def test_openapi_documents_every_operation_with_a_policy(staff, api_client):
    spec = api_client(staff.admin).get("/api/openapi.json").json()
    operations = [
        op for path, item in spec["paths"].items() if path.startswith("/api/expenses") for op in item.values()
    ]
    assert len(operations) == 16  # expenses 5, special fees 6, collection permits 5
    assert all(op.get("x-policy") for op in operations)
