"""Every list endpoint pages the same way and serves the page size its schema accepts (issue 6, defect 9).

The endpoints are found in the OpenAPI document (GET operations whose answer has ``items``),
so a list endpoint added without a case here fails ``test_every_list_endpoint_has_a_case``.
"""

import datetime
from importlib import import_module

import pytest
from django.utils import timezone

from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.customers.models import Competitor
from salesops.customers.tests.factories import CompetitorFactory, CustomerFactory, MarketIntelFactory
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import inquiries as inquiry_services
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as df
from salesops.expenses.tests import factories as ef
from salesops.org.services import api_token_issue
from salesops.org.tests.factories import BranchFactory, RegionFactory
from salesops.workflow.models import Notification

pytestmark = pytest.mark.django_db
# Read at run time: mypy checks the kernel's tests, not the apps above it (pyproject.toml).
MONEY = import_module("salesops.receivables.tests.samples").MAKERS

SHAPE = {"items", "count", "page", "pages", "page_size"}


def _products(staff, n):
    ProductFactory.create_batch(n)


def _warehouses(staff, n):
    WarehouseFactory.create_batch(n, branch=staff.head_office)


def _customers(staff, n):
    CustomerFactory.create_batch(n, owner=staff.sales_a, region=staff.region)


def _competitors(staff, n):
    CompetitorFactory.create_batch(n)


def _intel(staff, n):
    customer = CustomerFactory(owner=staff.sales_a, region=staff.region)
    MarketIntelFactory.create_batch(n, owner=staff.sales_a, customer=customer, subject="end_user", region=staff.region)


def _inquiries(staff, n):
    customer = df.customer(staff, staff.sales_a)
    for _ in range(n):
        df.inquiry(staff.sales_a, customer)


def _priced_lines():
    return [(cf.product(), "1", "10.00")]


def _support_requests(staff, n):
    inquiry = df.deal(staff).inquiry
    for i in range(n):
        inquiry_services.support_request_create(
            actor=staff.sales_a, inquiry=inquiry, kind="technical", question=f"型号 {i}？", due_on=df.in_days(3)
        )


def _quotations(staff, n):
    customer, lines = cf.customer(staff, staff.sales_a), _priced_lines()
    for _ in range(n):
        cf.issued_quotation(staff.sales_a, customer, lines)


def _contracts(staff, n):
    customer, lines = cf.customer(staff, staff.sales_a), _priced_lines()
    for _ in range(n):
        quotation = cf.issued_quotation(staff.sales_a, customer, lines)
        contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quotation)


def _phone_orders(staff, n):
    customer, lines = cf.customer(staff, staff.sales_a), _priced_lines()
    for _ in range(n):
        cf.phone_order(staff.sales_a, customer, lines)


def _expenses(staff, n):
    for _ in range(n):
        ef.expense(staff.sales_a)


def _special_fees(staff, n):
    customer = ef.customer(staff, staff.sales_a)
    for _ in range(n):
        ef.special_fee(staff.sales_a, customer)


def _permits(staff, n):
    dealer = ef.dealer(staff, staff.sales_a)
    for _ in range(n):
        ef.permit(staff.sales_a, dealer)


def _tasks(staff, n):
    for _ in range(n):
        ef.submitted_expense(staff.sales_a)  # each waits for manager1


def _notifications(staff, n):
    Notification.objects.bulk_create(Notification(user=staff.sales_a, text=f"通知 {i}") for i in range(n))


def _regions(staff, n):
    RegionFactory.create_batch(n)


def _branches(staff, n):
    BranchFactory.create_batch(n, company=staff.company, region=staff.region)


def _api_tokens(staff, n):
    for _ in range(n):
        api_token_issue(user=staff.sales_a)


def _violations(staff, n):
    from salesops.compliance import services

    for _ in range(n):
        ef.expense(staff.sales_a, incurred_on=timezone.localdate() - datetime.timedelta(days=1))
    services.sweep(codes=["R3"])


def _proposals(staff, n):
    from salesops.compliance import services

    for _ in range(n):
        services.proposal_create(
            actor=staff.manager1,
            person_id=staff.sales_a.pk,
            kind="reward",
            reason="回款",
            month=timezone.localdate().strftime("%Y%m"),
            points=1,
        )


def _stock(staff, n):
    from decimal import Decimal

    from salesops.fulfilment.services import StockLine, stock_put

    store = WarehouseFactory(branch=staff.head_office)
    stock_put(
        [StockLine(ProductFactory(unit="件"), store, Decimal(1)) for _ in range(n)],
        kind="receipt",
        actor=staff.warehouse,
    )


def _fulfilment(kind):
    """The delivery documents of ``kind``, n of sales_a's (written in bulk: fulfilment.tests.bulk)."""

    def make(staff, n):
        from salesops.fulfilment.tests.bulk import MAKERS

        MAKERS[kind](staff, n)

    return make


def _instruments(staff, n):
    from salesops.receivables.tests.samples_instruments import bulk

    bulk(staff, n)


# operation id -> (who asks, how to make n rows that user sees)
CASES = {
    "product_list": ("sales_a", _products),
    "warehouse_list": ("sales_a", _warehouses),
    "customer_list": ("sales_a", _customers),
    "competitor_list": ("sales_a", _competitors),
    "intel_list": ("sales_a", _intel),
    "inquiry_list": ("sales_a", _inquiries),
    "support_request_list": ("technical", _support_requests),
    "quotation_list": ("sales_a", _quotations),
    "contract_list": ("sales_a", _contracts),
    "phone_order_list": ("sales_a", _phone_orders),
    "expense_list": ("sales_a", _expenses),
    "special_fee_list": ("sales_a", _special_fees),
    "permit_list": ("sales_a", _permits),
    "task_list": ("manager1", _tasks),
    "notification_list": ("sales_a", _notifications),
    "region_list": ("sales_a", _regions),
    "branch_list": ("sales_a", _branches),
    "register_get": ("back_office", _contracts),  # the month's register, a page of its numbers
    "api_token_list": ("sales_a", _api_tokens),
    "violation_list": ("sales_a", _violations),
    "proposal_list": ("manager1", _proposals),
    "stock_list": ("sales_a", _stock),
    "stock_move_list": ("warehouse", _stock),
    "requisition_list": ("sales_a", _fulfilment("requisition")),
    "note_list": ("sales_a", _fulfilment("note")),
    "outbound_list": ("warehouse", _fulfilment("outbound")),
    "confirmation_list": ("back_office", _fulfilment("confirmation")),
    "return_list": ("sales_a", _fulfilment("return")),
    "red_note_list": ("warehouse", _fulfilment("rednote")),
    "delay_list": ("manager1", _fulfilment("delay")),
    "customer_account_list": ("sales_a", _customers),
    "instrument_list": ("sales_a", lambda staff, n: _instruments(staff, n)),
    "invoice_request_list": ("sales_a", MONEY["invoicerequest"]),
    "invoice_list": ("finance", MONEY["invoice"]),
    "receipt_list": ("manager1", MONEY["receipt"]),
    "payment_request_list": ("sales_a", MONEY["paymentrequest"]),
}

# Values of the path parameters of a list endpoint (the register's month).
PATH_VALUES = {"period": lambda: timezone.localdate().strftime("%Y%m")}


def _path(template: str) -> str:
    return template.format(**{name: value() for name, value in PATH_VALUES.items() if f"{{{name}}}" in template})


def _openapi(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _list_operations(doc: dict) -> dict[str, tuple[str, dict]]:
    """{operation id: (path, operation)} of every GET whose 200 answer is an object with ``items``."""
    found = {}
    for path, item in doc["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if not content:
            continue
        if "items" in _resolve(doc, content["schema"]).get("properties", {}):
            found[operation["operationId"]] = (path, operation)
    return found


def _parameter(operation: dict, name: str) -> dict:
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


def test_every_list_endpoint_has_a_case(staff, api_client):
    operations = _list_operations(_openapi(api_client(staff.sales_a)))
    assert set(operations) == set(CASES)


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_list_endpoint_serves_the_page_size_it_accepts(staff, api_client, operation_id):
    # given more rows than the default page holds, visible to the caller
    who, make = CASES[operation_id]
    client = api_client(getattr(staff, who))
    template, operation = _list_operations(_openapi(client))[operation_id]
    path = _path(template)
    size = _parameter(operation, "page_size")
    default, largest = size["default"], size["maximum"]
    make(staff, default + 3)

    # when the largest page size the schema accepts is asked for
    response = client.get(path, {"page_size": largest})

    # then exactly that many rows come back (or all of them), in the one page shape
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= SHAPE
    assert body["count"] >= default + 3
    assert len(body["items"]) == min(largest, body["count"])
    assert (body["page"], body["page_size"]) == (1, largest)
    assert body["pages"] == -(-body["count"] // largest)

    # and one more than that is refused, not cut down
    too_big = client.get(path, {"page_size": largest + 1})
    assert too_big.status_code == 422
    assert "page_size" in too_big.json()["extra"]["fields"]

    # and so is a page number past any list the database could hold
    assert client.get(path, {"page": _parameter(operation, "page")["maximum"] + 1}).status_code == 422

    # and at the default size, page 2 holds other rows than page 1
    first = client.get(path).json()
    second = client.get(path, {"page": 2}).json()
    assert len(first["items"]) == default and first["pages"] >= 2
    assert second["page"] == 2 and second["items"]
    assert first["items"] != second["items"]
    assert not [row for row in second["items"] if row in first["items"]]


def test_a_page_of_200_holds_200_rows(staff, api_client):
    # given 201 competitors (the API used to cut any page to 100 rows)
    Competitor.objects.bulk_create(Competitor(name=f"竞争对手{i:03d}", products="播种机") for i in range(201))
    client = api_client(staff.sales_a)
    # when 200 per page are asked for
    body = client.get("/api/customers/competitors", {"page_size": 200}).json()
    # then 200 come back, and the last one on page 2
    assert (len(body["items"]), body["count"], body["pages"], body["page_size"]) == (200, 201, 2, 200)
    last = client.get("/api/customers/competitors", {"page_size": 200, "page": 2}).json()
    assert [c["name"] for c in last["items"]] == ["竞争对手200"]


def test_a_page_past_the_end_is_empty_and_says_where_it_is(staff, api_client):
    ef.expense(staff.sales_a)
    body = api_client(staff.sales_a).get("/api/expenses/", {"page": 5}).json()
    assert body["items"] == [] and (body["count"], body["page"], body["pages"]) == (1, 5, 1)
    assert body["total_amount"] == "800.00"  # a list's summary stays over all its rows


def test_the_openapi_document_describes_the_paging(staff, api_client):
    doc = _openapi(api_client(staff.sales_a))
    for _operation_id, (_path, operation) in _list_operations(doc).items():
        page_size = _parameter(operation, "page_size")
        assert (page_size["minimum"], page_size["maximum"]) == (1, 200)
        assert "description" in page_size
        schema = _resolve(doc, operation["responses"]["200"]["content"]["application/json"]["schema"])
        assert set(schema["required"]) >= SHAPE
