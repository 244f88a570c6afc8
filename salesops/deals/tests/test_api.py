"""The deals REST API (``/api/deals/``): one deal end to end, and the refusals in the API's shape
(422 naming the field, 404 out of scope, 409 for a state or a stale version, 403 for a role)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesops.deals.choices import ContractState, PhoneOrderState, QuotationState
from salesops.deals.models import Contract, PhoneOrder, Quotation
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "/api/deals"
JSON = "application/json"


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _post(client, url, body=None, **extra):
    return client.post(url, body or {}, content_type=JSON, **extra)


def _quotation_body(deal, **changes) -> dict:
    body = {
        "inquiry_id": deal.inquiry.pk,
        "valid_until": _in_days(30),
        "lines": [
            {"product_id": deal.seeder.pk, "quantity": "2", "unit_price": "1000.00"},
            {"product_id": deal.meter.pk, "quantity": "4", "unit_price": "250.00"},
        ],
        "payment_terms": "on_delivery",
        "delivery_time": "合同签订后 15 天",
        "delivery_place": "客户仓库",
        "warranty": "一年",
    }
    body.update(changes)
    return body


def test_a_deal_goes_from_inquiry_to_an_archived_contract_through_the_api(staff, api_client):
    sales, manager, office = api_client(staff.sales_a), api_client(staff.manager1), api_client(staff.back_office)
    cust = f.customer(staff, staff.sales_a, name="章丘市明水农机合作社")
    seeder = f.product(standard="1000.00", floor="800.00")
    # given an inquiry reported by the salesperson
    response = _post(
        sales,
        f"{BASE}/inquiries",
        {
            "customer_id": cust.pk,
            "source": "visit",
            "title": "春播播种机",
            "estimated_amount": "2000.00",
            "lines": [{"product_id": seeder.pk, "quantity": "2"}],
        },
    )
    assert response.status_code == 201, response.json()
    inquiry = response.json()
    assert inquiry["lines"][0]["quantity"] == "2.000"
    # when the manager decides to bid
    response = _post(manager, f"{BASE}/inquiries/{inquiry['id']}/bid")
    assert response.status_code == 200 and response.json()["state"] == "bidding"
    # and the salesperson quotes, the manager approves, the salesperson issues
    response = _post(
        sales,
        f"{BASE}/quotations",
        {
            "inquiry_id": inquiry["id"],
            "valid_until": _in_days(30),
            "lines": [{"product_id": seeder.pk, "quantity": "2", "unit_price": "1000.00"}],
            "delivery_time": "15 天",
        },
    )
    assert response.status_code == 201, response.json()
    quotation = response.json()
    assert quotation["total_amount"] == "2000.00" and quotation["non_standard_reasons"] == []
    assert _post(sales, f"{BASE}/quotations/{quotation['id']}/submit").json()["state"] == "pending"
    assert _post(manager, f"{BASE}/quotations/{quotation['id']}/approve").json()["state"] == "approved"
    assert _post(sales, f"{BASE}/quotations/{quotation['id']}/issue").json()["state"] == "issued"
    # and negotiates
    response = _post(
        sales,
        f"{BASE}/quotations/{quotation['id']}/notes",
        {"happened_on": timezone.localdate().isoformat(), "note": "客户接受报价"},
    )
    assert response.status_code == 201
    assert len(manager.get(f"{BASE}/quotations/{quotation['id']}/notes").json()) == 1
    # and drafts the contract, which matches the quotation: confirmed on submission
    response = _post(sales, f"{BASE}/contracts", {"quotation_id": quotation["id"]})
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["deviations"] == [] and contract["total_amount"] == "2000.00"
    assert _post(sales, f"{BASE}/contracts/{contract['id']}/submit").json()["state"] == "confirmed"
    # and records the signing with the scan
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed\n", content_type="application/pdf")
    response = sales.post(
        f"{BASE}/contracts/{contract['id']}/sign", {"signed_on": timezone.localdate().isoformat(), "scan": scan}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "signed"
    # and the sales office archives it the same day
    response = _post(office, f"{BASE}/contracts/{contract['id']}/archive")
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "archived" and body["archived_late"] is False
    assert body["customer_name"] == "章丘市明水农机合作社"
    assert Contract.objects.get(pk=contract["id"]).state == ContractState.ARCHIVED


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "0", "unit_price": "1000.00"}, "lines.0.quantity"),
        ({"quantity": "2", "unit_price": "999.999"}, "lines.0.unit_price"),
    ],
)
def test_a_zero_quantity_or_a_price_with_three_decimals_is_a_422_naming_the_field(staff, api_client, line, field):
    deal = f.deal(staff)
    body = _quotation_body(deal, lines=[{"product_id": deal.seeder.pk, **line}])
    response = _post(api_client(staff.sales_a), f"{BASE}/quotations", body)
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert not Quotation.objects.exists()


def test_another_salespersons_quotation_does_not_exist_for_the_caller(staff, api_client):
    quotation = f.quotation(staff.sales_a, f.deal(staff))
    client = api_client(staff.sales_b)
    assert client.get(f"{BASE}/quotations/{quotation.pk}").status_code == 404
    assert _post(client, f"{BASE}/quotations/{quotation.pk}/submit").status_code == 404
    assert client.get(f"{BASE}/quotations").json()["count"] == 0
    assert Quotation.objects.get(pk=quotation.pk).state == QuotationState.DRAFT


def test_issuing_an_unapproved_quotation_is_a_409_and_changes_nothing(staff, api_client):
    quotation = f.submitted_quotation(staff.sales_a, f.deal(staff))
    before = f.snapshot(quotation)
    response = _post(api_client(staff.sales_a), f"{BASE}/quotations/{quotation.pk}/issue")
    assert response.status_code == 409
    assert set(response.json()) == {"message", "code", "extra"}
    assert f.snapshot(quotation) == before


def test_a_stale_version_is_a_409_and_changes_nothing(staff, api_client):
    quotation = f.quotation(staff.sales_a, f.deal(staff))
    client = api_client(staff.sales_a)
    url = f"{BASE}/quotations/{quotation.pk}"
    first = client.patch(url, {"version": quotation.version, "warranty": "两年"}, content_type=JSON)
    assert first.status_code == 200 and first.json()["warranty"] == "两年"
    before = f.snapshot(quotation)
    response = client.patch(url, {"version": quotation.version, "warranty": "三年"}, content_type=JSON)
    assert response.status_code == 409
    assert f.snapshot(quotation) == before
    assert Quotation.objects.get(pk=quotation.pk).warranty == "两年"


def test_a_salesperson_confirming_a_phone_order_is_a_403(staff, api_client):
    cust = cf.customer(staff, staff.sales_a)
    pump = cf.product()
    order = cf.phone_order(staff.sales_a, cust, [(pump, "2", "100.00")])
    client = api_client(staff.sales_a)
    assert _post(client, f"{BASE}/orders/{order.pk}/submit").json()["state"] == PhoneOrderState.PENDING
    before = cf.snapshot(order)
    response = _post(client, f"{BASE}/orders/{order.pk}/confirm")
    assert response.status_code == 403
    assert cf.snapshot(order) == before
    # while the manager may
    response = _post(api_client(staff.manager1), f"{BASE}/orders/{order.pk}/confirm")
    assert response.status_code == 200 and PhoneOrder.objects.get(pk=order.pk).state == PhoneOrderState.CONFIRMED


def test_the_same_idempotency_key_twice_creates_one_quotation(staff, api_client):
    deal = f.deal(staff)
    client = api_client(staff.sales_a)
    body = _quotation_body(deal)
    first = _post(client, f"{BASE}/quotations", body, HTTP_IDEMPOTENCY_KEY="q-1")
    second = _post(client, f"{BASE}/quotations", body, HTTP_IDEMPOTENCY_KEY="q-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Quotation.objects.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["inquiries", "quotations", "contracts", "orders"])
def test_list_endpoints_take_the_same_number_of_queries_for_5_and_20_rows(staff, api_client, kind):
    def make(count):
        for _ in range(count):
            if kind == "inquiries":
                f.inquiry(staff.sales_a, f.customer(staff, staff.sales_a))
            elif kind == "quotations":
                f.quotation(staff.sales_a, f.deal(staff))
            elif kind == "contracts":
                cf.Deal(staff).draft()
            else:
                cf.phone_order(staff.sales_a, cf.customer(staff, staff.sales_a), [(cf.product(), "1", "10.00")])

    client = api_client(staff.manager1)
    url = f"{BASE}/{kind}?page_size=50"
    make(5)
    five = _queries(client, url)
    make(15)
    assert client.get(url).json()["count"] == 20
    assert _queries(client, url) == five


def test_support_requests_reach_only_the_addressed_department(staff, api_client):
    deal = f.deal(staff)
    sales = api_client(staff.sales_a)
    response = _post(
        sales,
        f"{BASE}/inquiries/{deal.inquiry.pk}/support-requests",
        {"kind": "technical", "question": "排种器型号？", "due_on": _in_days(3)},
    )
    assert response.status_code == 201, response.json()
    request_id = response.json()["id"]
    technical_page = api_client(staff.technical).get(f"{BASE}/support-requests").json()
    assert [r["id"] for r in technical_page["items"]] == [request_id] and technical_page["count"] == 1
    purchasing_page = api_client(staff.purchasing).get(f"{BASE}/support-requests").json()
    assert purchasing_page["items"] == [] and purchasing_page["count"] == 0
    purchasing_answer = _post(
        api_client(staff.purchasing), f"{BASE}/support-requests/{request_id}/answer", {"answer": "x"}
    )
    assert purchasing_answer.status_code == 404
    response = _post(api_client(staff.technical), f"{BASE}/support-requests/{request_id}/answer", {"answer": "2BYF-4"})
    assert response.status_code == 200 and response.json()["state"] == "answered"


def test_the_register_and_pipeline(staff, api_client):
    period = timezone.localdate().strftime("%Y%m")
    cf.Deal(staff).draft()
    office = api_client(staff.back_office)
    register = office.get(f"{BASE}/register/{period}").json()
    assert [row["state"] for row in register["items"]] == ["draft"] and register["gaps"] == []
    export = office.get(f"{BASE}/register/{period}/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert api_client(staff.sales_a).get(f"{BASE}/register/{period}").status_code == 403
    stages = api_client(staff.manager1).get(f"{BASE}/pipeline").json()
    contract_draft = next(stage for stage in stages if stage["key"] == "contract_draft")
    assert contract_draft["count"] == 1


def test_the_manager_declines_a_bid_with_the_reason(staff, api_client):
    deal = f.deal(staff, bid=False)
    response = _post(api_client(staff.manager1), f"{BASE}/inquiries/{deal.inquiry.pk}/decline", {"comment": "利润太低"})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "declined" and response.json()["decline_reason"] == "利润太低"


def test_a_salesperson_cannot_decide_the_bid(staff, api_client):
    deal = f.deal(staff, bid=False)
    before = f.snapshot(deal.inquiry)
    response = _post(api_client(staff.sales_a), f"{BASE}/inquiries/{deal.inquiry.pk}/bid")
    assert response.status_code == 403
    assert f.snapshot(deal.inquiry) == before


def test_a_price_under_the_floor_shows_why_the_quotation_is_non_standard(staff, api_client):
    deal = f.deal(staff)
    body = _quotation_body(deal, lines=[{"product_id": deal.seeder.pk, "quantity": "1", "unit_price": "700.00"}])
    response = _post(api_client(staff.sales_a), f"{BASE}/quotations", body)
    assert response.status_code == 201
    assert response.json()["is_non_standard"] is True and response.json()["non_standard_reasons"]


def test_a_lost_quotation_records_the_winner(staff, api_client):
    quotation = f.issued_quotation(staff, f.deal(staff))
    rival = f.competitor()
    response = _post(
        api_client(staff.sales_a),
        f"{BASE}/quotations/{quotation.pk}/lost",
        {"note": "价格高", "competitor_id": rival.pk, "winning_price": "2800.00"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "lost" and body["lost_to_id"] == rival.pk and body["lost_price"] == "2800.00"


def test_another_salespersons_contract_does_not_exist_for_the_caller(staff, api_client):
    contract = cf.Deal(staff).draft()
    client = api_client(staff.sales_b)
    assert client.get(f"{BASE}/contracts/{contract.pk}").status_code == 404
    assert _post(client, f"{BASE}/contracts/{contract.pk}/submit").status_code == 404
    assert client.get(f"{BASE}/contracts").json()["count"] == 0


def test_a_voided_contract_keeps_its_number_in_the_register(staff, api_client):
    contract = cf.Deal(staff).draft()
    response = _post(api_client(staff.manager1), f"{BASE}/contracts/{contract.pk}/void", {"comment": "客户取消"})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "voided" and response.json()["number"] == contract.number
    register = api_client(staff.back_office).get(f"{BASE}/register/{contract.number[2:8]}").json()
    assert [(row["number"], row["void_reason"]) for row in register["items"]] == [(contract.number, "客户取消")]
    assert register["voided"] == [{"number": contract.number, "reason": "客户取消"}]


def test_a_contract_edit_with_a_stale_version_is_a_409(staff, api_client):
    contract = cf.Deal(staff).draft()
    client = api_client(staff.sales_a)
    url = f"{BASE}/contracts/{contract.pk}"
    assert client.patch(url, {"version": contract.version, "warranty": "两年"}, content_type=JSON).status_code == 200
    before = cf.snapshot(contract)
    response = client.patch(url, {"version": contract.version, "warranty": "三年"}, content_type=JSON)
    assert response.status_code == 409
    assert cf.snapshot(contract) == before


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"scan_name": "notes.txt", "scan_body": b"not a scan"}, "scan"),
    ],
)
def test_signing_with_a_future_date_or_a_scan_that_is_not_one_is_a_422(staff, api_client, form, field):
    contract = cf.confirmed_contract(staff, cf.Deal(staff))
    before = cf.snapshot(contract)
    scan = SimpleUploadedFile(form.get("scan_name", "signed.pdf"), form.get("scan_body", b"%PDF-1.4\n% signed\n"))
    body = {"signed_on": form.get("signed_on", timezone.localdate().isoformat()), "scan": scan}
    response = api_client(staff.sales_a).post(f"{BASE}/contracts/{contract.pk}/sign", body)
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert cf.snapshot(contract) == before


def test_a_pipeline_filter_id_beyond_any_database_integer_is_a_422_not_a_500(staff, api_client):
    # found by schemathesis: ?branch=6331350385272860704768 overflowed the query
    client = api_client(staff.manager1)
    response = client.get(f"{BASE}/pipeline", {"branch": "6331350385272860704768"})
    assert response.status_code == 422 and "branch" in response.json()["extra"]["fields"]
    assert client.get(f"{BASE}/pipeline", {"salesperson": str(2**63)}).status_code == 422
    assert client.get(f"{BASE}/pipeline", {"branch": str(staff.branch.pk)}).status_code == 200


def test_the_pipeline_page_ignores_an_id_beyond_any_database_integer(staff, web_client):
    response = web_client(staff.manager1).get("/deals/pipeline/", {"branch": "6331350385272860704768"})
    assert response.status_code == 200
