"""The permits' REST API under /api/expenses/permits: a round trip through approval and closing, field
errors (422), scope (404), role (403), state (409), and the list's filters."""

import datetime

import pytest
from django.utils import timezone

from salesops.expenses.models import CollectionPermit
from salesops.expenses.tests.factories import approved_permit, customer, dealer, permit, snapshot

pytestmark = pytest.mark.django_db

BASE = "/api/expenses/permits"


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _body(dealer_, **change) -> dict:
    return {
        "customer_id": dealer_.pk,
        "limit_amount": "36000.50",
        "method": "acceptance_bill",
        "reason": "经销商要求业务员当面交接银行承兑汇票",
        "valid_from": _day(0),
        "valid_until": _day(14),
        **change,
    }


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def test_round_trip_create_edit_submit_approve_close(staff, api_client, dealer_a):
    owner, manager = api_client(staff.sales_a), api_client(staff.manager1)
    # create
    created = post(owner, BASE, _body(dealer_a))
    assert created.status_code == 201
    body = created.json()
    assert body["number"].startswith("SQ") and body["state"] == "draft"
    assert (body["customer_name"], body["limit_amount"], body["method"]) == (
        dealer_a.name,
        "36000.50",
        "acceptance_bill",
    )
    assert body["remit_working_days"] == 1 and body["approved_at"] is None and body["is_expired"] is False
    url = f"{BASE}/{body['id']}"
    # edit
    edited = owner.patch(url, {"version": 1, "limit_amount": "30000.00"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["limit_amount"] == "30000.00"
    # submit, then the manager approves
    assert post(owner, f"{url}/submit").json()["state"] == "pending"
    approved = post(manager, f"{url}/approve", {"comment": "同意"})
    assert approved.status_code == 200
    assert approved.json()["state"] == "approved" and approved.json()["approved_at"]
    # the owner closes it
    closed = post(owner, f"{url}/close", {"comment": "款已汇回"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed" and closed.json()["closed_at"]
    assert owner.get(url).json()["version"] == 5


def test_kernel_fields_in_the_body_are_ignored(staff, api_client, dealer_a):
    body = _body(dealer_a, state="approved", number="X1", owner_id=staff.boss.pk, approved_at="2026-01-01T00:00:00Z")
    assert post(api_client(staff.sales_a), BASE, body).status_code == 201
    doc = CollectionPermit.objects.get()
    assert (doc.state, doc.owner, doc.approved_at) == ("draft", staff.sales_a, None) and doc.number != "X1"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"limit_amount": "0"}, "limit_amount"),
        ({"limit_amount": "-5"}, "limit_amount"),
        ({"method": "bitcoin"}, "method"),
        ({"valid_from": "IN_5_DAYS", "valid_until": "IN_4_DAYS"}, "valid_until"),
        ({"valid_until": "IN_90_DAYS"}, "valid_until"),
        ({"valid_from": "YESTERDAY"}, "valid_from"),
        ({"customer_id": "END_USER"}, "customer"),
        ({"customer_id": "SOMEONE_ELSES"}, "customer"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_creates_nothing(staff, api_client, dealer_a, change, field):
    stand_ins = {
        "IN_4_DAYS": _day(4),
        "IN_5_DAYS": _day(5),
        "IN_90_DAYS": _day(90),  # the 91st day: past the longest permit
        "YESTERDAY": _day(-1),
        "END_USER": customer(staff, staff.sales_a).pk,
        "SOMEONE_ELSES": dealer(staff, staff.sales_c).pk,
    }
    change = {name: stand_ins.get(value, value) for name, value in change.items()}
    response = post(api_client(staff.sales_a), BASE, _body(dealer_a, **change))
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert CollectionPermit.objects.count() == 0


def test_a_role_that_raises_no_permit_gets_403(staff, api_client, dealer_a):
    assert post(api_client(staff.warehouse), BASE, _body(dealer_a)).status_code == 403
    assert post(api_client(staff.finance), BASE, _body(dealer_a)).status_code == 403
    assert CollectionPermit.objects.count() == 0


def test_actions_answer_403_404_409_and_change_nothing(staff, api_client, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    before = snapshot(doc)
    url = f"{BASE}/{doc.pk}"
    assert post(api_client(staff.sales_b), f"{url}/submit").status_code == 404  # not in his scope
    assert post(api_client(staff.manager1), f"{url}/submit").status_code == 403  # only the owner submits
    assert post(api_client(staff.sales_a), f"{url}/close").status_code == 409  # a draft is not closed
    assert post(api_client(staff.sales_a), f"{url}/pay").status_code == 422  # no such action
    assert snapshot(doc) == before


def test_idempotency_key_creates_one_permit(staff, api_client, dealer_a):
    client = api_client(staff.sales_a)
    for _ in range(3):
        assert post(client, BASE, _body(dealer_a), **{"Idempotency-Key": "permit-1"}).status_code == 201
    assert CollectionPermit.objects.count() == 1


def test_list_filters_by_state_dealer_method_and_valid_day(staff, api_client, dealer_a):
    other = dealer(staff, staff.sales_a, name="临沂丰收农机经销处")
    early = approved_permit(staff, dealer_a, valid_from=timezone.localdate(), valid_until=timezone.localdate())
    late = permit(staff.sales_a, other, method="cash", valid_from=timezone.localdate() + datetime.timedelta(days=5))
    client = api_client(staff.sales_a)

    def numbers(**params) -> set[str]:
        response = client.get(BASE, params)
        assert response.status_code == 200
        return {item["number"] for item in response.json()["items"]}

    assert numbers() == {early.number, late.number}
    assert numbers(state="approved") == {early.number}
    assert numbers(customer=other.pk) == {late.number}
    assert numbers(method="cash") == {late.number}
    assert numbers(valid_on=_day(0)) == {early.number}
    assert numbers(valid_on=_day(6)) == {late.number}
    assert numbers(valid_on=_day(100)) == set()
    assert numbers(q="临沂") == {late.number}
    assert client.get(BASE, {"valid_on": "soon"}).status_code == 422
    totals = client.get(BASE, {"state": "approved"}).json()
    assert totals["total_limit_amount"] == "50000.00"
