"""The delivery documents' REST API (``/api/fulfilment/``): W4 and a W8 return end to end as each
person would call it, the refusals in the API's shape (422 naming the field, 403 for a role, 404
out of scope, 409 for a state) leaving everything as it was, and no price anywhere.

Every answer here is also checked against the OpenAPI document (status, content type and body, by
schemathesis' own validation): the fuzzing run (``make schemathesis``) seldom reaches a document
that exists, so this is where the successful answers are held to their schemas."""

import json
from decimal import Decimal

import pytest
import requests
import schemathesis
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.api import api
from salesops.fulfilment import services
from salesops.fulfilment.models import (
    Confirmation,
    DeliveryNote,
    OrderLine,
    Outbound,
    OutboundLine,
    Requisition,
    ReturnRequest,
    ShipmentDelay,
    StockLevel,
    StockMove,
)
from salesops.fulfilment.services import Pick
from salesops.workflow.models import Attachment
from salesops.workflow.tests.kit import deciders, pending_step

from .helpers import Order, verified_return

pytestmark = pytest.mark.django_db

BASE = "/api/fulfilment"
JSON = "application/json"


DOCUMENT = schemathesis.openapi.from_dict(api.get_openapi_schema())


def conforming(response, method: str, path: str):
    """``response``, once schemathesis found it to be what the OpenAPI document declares for the
    operation (it raises a group of failures naming each difference)."""
    operation = DOCUMENT.find_operation_by_path(method, path)
    assert operation is not None, (method, path)
    answer = schemathesis.Response(
        response.status_code,
        {name: [value] for name, value in response.headers.items()},
        response.content,
        requests.Request(method, f"http://testserver{path}").prepare(),
        0.0,
        True,
    )
    operation.validate_response(answer)
    return response


def post(client, url, body=None, **extra):
    response = client.post(f"{BASE}{url}", body or {}, content_type=JSON, **extra)
    return conforming(response, "POST", f"{BASE}{url}")


def get(client, url, params=None):
    return conforming(client.get(f"{BASE}{url}", params or {}), "GET", f"{BASE}{url}")


def upload(client, body):
    """The customer's confirmation, posted as a multipart form with its scan."""
    return conforming(client.post(f"{BASE}/confirmations", body), "POST", f"{BASE}/confirmations")


def tasks(client) -> set[str]:
    """The numbers in the caller's My tasks."""
    return {task["number"] for task in conforming(client.get("/api/tasks"), "GET", "/api/tasks").json()["items"]}


def scan(name="签收单.pdf", body=b"%PDF-1.4\n% signed by the customer\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def shipment(note_id: int, **extra) -> dict:
    body = {
        "note_id": note_id,
        "method": "express",
        "carrier": "顺丰速运",
        "tracking_numbers": ["SF1234567890123"],
        "consignee_phone": "13800000000",
        "freight_payer": "company",
        "packages": 2,
        "weight_kg": "35.50",
    }
    body.update(extra)
    return body


def requisition_body(order: Order, **extra) -> dict:
    body = {
        "contract_id": order.contract.pk,
        "warehouse_id": order.warehouse.pk,
        "address": "山东省青岛市城阳区正阳路 18 号",
        "consignee": "刘工",
        "consignee_phone": "13900000000",
    }
    body.update(extra)
    return body


def keys_of(value) -> set[str]:
    """Every key anywhere in a JSON answer."""
    if isinstance(value, dict):
        return set(value) | {k for inner in value.values() for k in keys_of(inner)}
    if isinstance(value, list):
        return {k for inner in value for k in keys_of(inner)}
    return set()


def fields_of(response) -> dict:
    return response.json()["extra"]["fields"]


def test_a_branch_delivery_goes_from_requisition_to_the_archived_confirmation_through_the_api(staff, api_client):
    order = Order(staff, staff.sales_c)
    sales, office, warehouse = api_client(staff.sales_c), api_client(staff.back_office), api_client(staff.warehouse)
    # given what the contract has open, without a price
    sold = get(sales, "/sold-lines", {"contract_id": order.contract.pk})
    assert sold.status_code == 200
    assert [(line["quantity"], line["open_quantity"]) for line in sold.json()] == [("10.000", "10.000")] * 2
    assert not {key for key in keys_of(sold.json()) if "price" in key or "amount" in key}
    pump_line, valve_line = (line["line_id"] for line in sold.json())

    # when the branch salesperson asks for 6 pumps and every valve, and submits
    response = post(
        sales,
        "/requisitions",
        requisition_body(
            order, lines=[{"line_id": pump_line, "quantity": "6"}, {"line_id": valve_line, "quantity": 10}]
        ),
    )
    assert response.status_code == 201, response.json()
    requisition = response.json()
    assert (requisition["state"], requisition["contract_number"]) == ("draft", order.contract.number)
    assert [(line["line_id"], line["quantity"], line["noted"]) for line in requisition["lines"]] == [
        (pump_line, "6.000", "0.000"),
        (valve_line, "10.000", "0.000"),
    ]
    rid = requisition["id"]
    assert post(sales, f"/requisitions/{rid}/submit").json()["state"] == "pending"

    # then it waits in the branch manager's tasks, then the sales manager's; each approves by the action route
    for approver in (staff.branch_mgr, staff.manager2):
        client = api_client(approver)
        assert requisition["number"] in tasks(client)
        response = post(client, f"/requisitions/{rid}/approve", {"comment": "同意"})
        assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved" and response.json()["approved_at"]

    # and the sales office issues the delivery note from its queue
    assert requisition["number"] in tasks(office)
    response = post(office, "/notes", {"requisition_id": rid})
    assert response.status_code == 201, response.json()
    note = response.json()
    assert (note["state"], note["requisition_number"], note["consignee"]) == ("issued", requisition["number"], "刘工")
    assert [(line["quantity"], line["open_quantity"]) for line in note["lines"]] == [("6.000", "6.000")] + [
        ("10.000", "10.000")
    ]

    # and the warehouse sees copy 2 in its queue, without a price, and books the outbound
    assert note["number"] in tasks(warehouse)
    seen = get(warehouse, f"/notes/{note['id']}").json()
    assert not {key for key in keys_of(seen) if "price" in key or "amount" in key}
    response = post(warehouse, "/outbounds", shipment(note["id"]))
    assert response.status_code == 201, response.json()
    outbound = response.json()
    assert (outbound["state"], outbound["note_number"], outbound["tracking_numbers"]) == (
        "shipped",
        note["number"],
        ["SF1234567890123"],
    )
    assert [(line["quantity"], line["returnable"]) for line in outbound["lines"]] == [("6.000", "6.000")] + [
        ("10.000", "10.000")
    ]
    assert get(warehouse, f"/notes/{note['id']}").json()["state"] == "shipped"
    assert StockLevel.objects.get(product=order.pump, warehouse=order.warehouse).quantity == 94

    # and the salesperson uploads the customer's signed confirmation
    response = upload(
        sales,
        {
            "outbound_id": outbound["id"],
            "signed_by": "刘工",
            "signed_on": timezone.localdate().isoformat(),
            "sign_kind": "both",
            "scan": scan(),
        },
    )
    assert response.status_code == 201, response.json()
    confirmation = response.json()
    assert (confirmation["state"], confirmation["has_discrepancies"], confirmation["lines"]) == (
        "recorded",
        False,
        [],
    )
    scans = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Confirmation), object_id=confirmation["id"]
    )
    assert [(a.original_name, a.mime_type) for a in scans] == [("签收单.pdf", "application/pdf")]
    assert get(sales, f"/outbounds/{outbound['id']}").json()["state"] == "confirmed"

    # and the sales office archives the confirmation and the requisition (R10)
    response = post(office, f"/confirmations/{confirmation['id']}/archive")
    assert response.status_code == 200 and response.json()["archived_at"]
    response = post(office, f"/requisitions/{rid}/archive")
    assert response.status_code == 200 and response.json()["state"] == "archived"
    # and the contract counts what went out
    after = get(sales, "/sold-lines", {"contract_id": order.contract.pk}).json()
    assert [(line["requested"], line["delivered"], line["open_quantity"]) for line in after] == [
        ("6.000", "6.000", "4.000"),
        ("10.000", "10.000", "0.000"),
    ]


def test_a_return_goes_back_into_stock_through_the_api(staff, api_client):
    order = Order(staff)
    outbound = order.outbound()
    line = outbound.lines.order_by("pk")[0]
    sales, manager = api_client(staff.sales_a), api_client(staff.manager1)
    # given a return request for 2 of the delivered pumps, submitted and confirmed by the manager
    response = post(
        sales,
        "/returns",
        {
            "customer_id": order.customer.pk,
            "kind": "return",
            "reason": "外壳划伤",
            "lines": [{"line_id": line.pk, "quantity": "2"}],
        },
    )
    assert response.status_code == 201, response.json()
    request = response.json()
    assert [(ln["outbound_number"], ln["quantity"], ln["name_ok"]) for ln in request["lines"]] == [
        (outbound.number, "2.000", None)
    ]
    assert post(sales, f"/returns/{request['id']}/submit").json()["state"] == "pending"
    assert post(manager, f"/returns/{request['id']}/confirm").json()["state"] == "confirmed"

    # when the salesperson checks it, technical verifies it and the manager confirms it in red
    checks = [{"line_id": ln["id"], "name_ok": True, "spec_ok": True, "quantity_ok": True} for ln in request["lines"]]
    response = post(sales, f"/returns/{request['id']}/check", {"checks": checks})
    assert response.status_code == 200 and response.json()["state"] == "checked"
    assert response.json()["lines"][0]["quantity_ok"] is True
    response = post(
        api_client(staff.technical), f"/returns/{request['id']}/verify", {"passed": True, "notes": "序列号一致"}
    )
    assert response.status_code == 200 and response.json()["state"] == "verified"
    assert post(manager, f"/returns/{request['id']}/confirm_red").json()["state"] == "red_confirmed"

    # and the sales office issues the red note, which the warehouse receives
    response = post(api_client(staff.back_office), "/red-notes", {"return_id": request["id"]})
    assert response.status_code == 201, response.json()
    red = response.json()
    assert [(ln["original_note_number"], ln["quantity"]) for ln in red["lines"]] == [(outbound.note.number, "2.000")]
    warehouse = api_client(staff.warehouse)
    response = post(warehouse, f"/red-notes/{red['id']}/receive")
    assert response.status_code == 200 and response.json()["state"] == "received"

    # then the goods are back in stock, and the delivered line counts them returned
    assert get(sales, f"/returns/{request['id']}").json()["state"] == "done"
    delivered = get(warehouse, f"/outbounds/{outbound.pk}").json()["lines"][0]
    assert (delivered["claimed"], delivered["returned"], delivered["returnable"]) == ("2.000", "2.000", "8.000")
    assert StockLevel.objects.get(product=order.pump, warehouse=order.warehouse).quantity == 92


def test_a_note_is_corrected_by_reissue_and_a_wrong_one_voided(staff, api_client):
    order = Order(staff)
    note = order.note()
    office = api_client(staff.back_office)
    response = post(office, f"/notes/{note.pk}/reissue", {"reason": "地址写错", "address": "潍坊市高新区新城街道 1 号"})
    assert response.status_code == 201, response.json()
    corrected = response.json()
    assert (corrected["replaces_id"], corrected["replaces_number"], corrected["address"]) == (
        note.pk,
        note.number,
        "潍坊市高新区新城街道 1 号",
    )
    voided = get(office, f"/notes/{note.pk}").json()
    assert (voided["state"], voided["void_reason"], voided["number"]) == ("voided", "地址写错", note.number)
    # a void needs its reason, named
    response = post(office, f"/notes/{corrected['id']}/void")
    assert response.status_code == 422 and "reason" in fields_of(response)
    assert post(office, f"/notes/{corrected['id']}/void", {"comment": "客户取消"}).json()["state"] == "voided"


def test_a_discrepancy_opens_a_follow_up_which_is_resolved(staff, api_client):
    order = Order(staff)
    outbound = order.outbound()
    line = outbound.lines.order_by("pk")[0]
    sales = api_client(staff.sales_a)
    body = {
        "outbound_id": outbound.pk,
        "signed_by": "王经理",
        "signed_on": timezone.localdate().isoformat(),
        "sign_kind": "stamp",
        "discrepancies": json.dumps([{"outbound_line_id": line.pk, "short": "1", "remark": "少一台"}]),
        "scan": scan(),
    }
    response = upload(sales, body)
    assert response.status_code == 201, response.json()
    confirmation = response.json()
    assert (confirmation["has_discrepancies"], confirmation["follow_up_open"]) == (True, True)
    assert [(ln["outbound_line_id"], ln["short"], ln["damaged"]) for ln in confirmation["lines"]] == [
        (line.pk, "1.000", "0.000")
    ]
    response = post(sales, f"/confirmations/{confirmation['id']}/resolve", {"resolution": "已补发一台"})
    assert response.status_code == 200 and response.json()["follow_up_open"] is False
    # a second resolution finds nothing open
    assert post(sales, f"/confirmations/{confirmation['id']}/resolve", {"resolution": "再次"}).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"discrepancies": "not json"}, "discrepancies"),
        ({"discrepancies": json.dumps([{"outbound_line_id": 0, "short": "1"}])}, "discrepancies.0.outbound_line_id"),
        ({"discrepancies": "SHORT_ABOVE_SHIPPED"}, "discrepancies.0.short"),
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"sign_kind": "thumb"}, "sign_kind"),
        ({"scan": None}, "scan"),
        ({"scan": "NOT_A_SCAN"}, "scan"),
    ],
)
def test_a_bad_confirmation_upload_is_a_422_naming_the_field_and_records_nothing(staff, api_client, change, field):
    order = Order(staff)
    outbound = order.outbound()
    line = outbound.lines.order_by("pk")[0]
    body = {
        "outbound_id": outbound.pk,
        "signed_by": "王经理",
        "signed_on": timezone.localdate().isoformat(),
        "sign_kind": "stamp",
        "scan": scan(),
    }
    body.update(change)
    if body.get("discrepancies") == "SHORT_ABOVE_SHIPPED":
        body["discrepancies"] = json.dumps([{"outbound_line_id": line.pk, "short": "11"}])
    if body["scan"] is None:
        del body["scan"]
    elif body["scan"] == "NOT_A_SCAN":
        body["scan"] = SimpleUploadedFile("notes.txt", b"not a scan", content_type="text/plain")

    response = upload(api_client(staff.sales_a), body)

    assert response.status_code == 422, response.json()
    assert field in fields_of(response)
    assert not Confirmation.objects.exists()
    assert Outbound.objects.get(pk=outbound.pk).state == "shipped"


# --- refusals that change nothing ---------------------------------------------------------------


def counters(order: Order) -> list[tuple]:
    return [
        (line.requested, line.delivered, line.returned) for line in OrderLine.objects.filter(contract=order.contract)
    ]


def test_a_requisition_above_the_contracts_open_quantity_is_refused_naming_the_line(staff, api_client):
    order = Order(staff)
    order.requisition(lines=[(0, "8")])
    before = (counters(order), Requisition.objects.count())
    ids = order.contract_line_ids()
    client = api_client(staff.sales_a)

    response = post(client, "/requisitions", requisition_body(order, lines=[{"line_id": ids[0], "quantity": "3"}]))

    assert response.status_code == 422
    assert list(fields_of(response)) == ["lines.0.quantity"] and "2" in fields_of(response)["lines.0.quantity"][0]
    assert (counters(order), Requisition.objects.count()) == before
    # and a quantity the schema refuses is named the same way
    response = post(client, "/requisitions", requisition_body(order, lines=[{"line_id": ids[0], "quantity": "-1"}]))
    assert response.status_code == 422 and "lines.0.quantity" in fields_of(response)
    assert (counters(order), Requisition.objects.count()) == before


def test_an_outbound_above_the_note_is_refused_and_nothing_leaves_stock(staff, api_client):
    order = Order(staff)
    note = order.note(order.approved_requisition(lines=[(0, "4")]))
    note_line = note.lines.get()
    before = (list(StockLevel.objects.values_list("quantity", flat=True)), StockMove.objects.count())

    response = post(
        api_client(staff.warehouse), "/outbounds", shipment(note.pk, lines=[{"line_id": note_line.pk, "quantity": "5"}])
    )

    assert response.status_code == 422
    assert "lines.0.quantity" in fields_of(response)
    assert (list(StockLevel.objects.values_list("quantity", flat=True)), StockMove.objects.count()) == before
    assert not Outbound.objects.exists()
    note_line.refresh_from_db()
    assert (note_line.shipped, DeliveryNote.objects.get(pk=note.pk).state) == (0, "issued")


def test_a_return_above_delivered_minus_claimed_is_refused(staff, api_client):
    order = Order(staff)
    outbound = order.outbound()
    line = outbound.lines.order_by("pk")[0]
    services.return_create(
        actor=staff.sales_a, customer_id=order.customer.pk, kind="return", reason="划伤", lines=[Pick(line.pk, "8")]
    )

    response = post(
        api_client(staff.sales_a),
        "/returns",
        {
            "customer_id": order.customer.pk,
            "kind": "return",
            "reason": "再退",
            "lines": [{"line_id": line.pk, "quantity": "3"}],
        },
    )

    assert response.status_code == 422
    assert list(fields_of(response)) == ["lines.0.quantity"] and "2" in fields_of(response)["lines.0.quantity"][0]
    line.refresh_from_db()
    assert (line.claimed, ReturnRequest.objects.count()) == (8, 1)


def test_an_outbound_by_a_salesperson_is_a_403_and_changes_nothing(staff, api_client):
    order = Order(staff)
    note = order.note()
    before = list(StockLevel.objects.values_list("quantity", flat=True))

    response = post(api_client(staff.sales_a), "/outbounds", shipment(note.pk))

    assert response.status_code == 403
    assert list(StockLevel.objects.values_list("quantity", flat=True)) == before
    assert not Outbound.objects.exists()
    assert DeliveryNote.objects.get(pk=note.pk).state == "issued"


def test_a_step_the_state_does_not_allow_is_a_409(staff, api_client):
    order = Order(staff)
    draft = order.requisition(lines=[(0, "2")])
    office = api_client(staff.back_office)
    # a note from a requisition not approved yet, and archiving it
    response = post(office, "/notes", {"requisition_id": draft.pk})
    assert response.status_code == 409
    assert post(office, f"/requisitions/{draft.pk}/archive").status_code == 409
    assert not DeliveryNote.objects.exists()
    # a note goods left on can no longer be corrected
    outbound = order.outbound()
    response = post(office, f"/notes/{outbound.note_id}/reissue", {"reason": "改地址"})
    assert response.status_code == 409
    assert DeliveryNote.objects.get(pk=outbound.note_id).state == "shipped"


def test_the_wrong_role_on_a_step_is_a_403(staff, api_client):
    order = Order(staff)
    requisition = order.approved_requisition(lines=[(0, "2")])
    sales = api_client(staff.sales_a)
    # the warehouse may not raise a requisition, a salesperson may not issue a note nor archive
    assert post(api_client(staff.warehouse), "/requisitions", requisition_body(order)).status_code == 403
    assert post(sales, "/notes", {"requisition_id": requisition.pk}).status_code == 403
    assert post(sales, f"/requisitions/{requisition.pk}/archive").status_code == 403
    assert (Requisition.objects.get(pk=requisition.pk).state, DeliveryNote.objects.count()) == ("approved", 0)
    # nor verify a return: that is technical's
    request = verified_return(order, order.outbound(order.note(requisition)))
    assert post(sales, f"/returns/{request.pk}/verify", {"passed": True}).status_code == 403
    assert ReturnRequest.objects.get(pk=request.pk).state == "red_confirmed"


# --- scope ---------------------------------------------------------------------------------------


def test_another_salesperson_gets_404_for_every_document_and_action(staff, api_client):
    order = Order(staff)
    requisition = order.requisition(lines=[(0, "2")])
    outbound = order.outbound()
    note = outbound.note
    other = api_client(staff.sales_b)

    for url in (
        f"/requisitions/{requisition.pk}",
        f"/notes/{note.pk}",
        f"/outbounds/{outbound.pk}",
    ):
        assert get(other, url).status_code == 404, url
    assert get(other, "/sold-lines", {"contract_id": order.contract.pk}).status_code == 404
    assert post(other, f"/requisitions/{requisition.pk}/submit").status_code == 404
    assert post(other, "/requisitions", requisition_body(order)).status_code == 404
    assert get(other, "/requisitions").json()["count"] == 0
    assert get(other, "/outbounds").json()["count"] == 0
    assert Requisition.objects.get(pk=requisition.pk).state == "draft"
    # and their manager sees them
    assert get(api_client(staff.manager1), f"/requisitions/{requisition.pk}").status_code == 200


# --- shipment delays ---------------------------------------------------------------------------


def test_a_delay_is_sent_to_the_manager_who_accepts_it(staff, api_client):
    order = Order(staff)
    body = {"contract_id": order.contract.pk, "reason": "payment_first", "ship_on": timezone.localdate().isoformat()}
    response = post(api_client(staff.sales_a), "/delays", body)
    assert response.status_code == 201, response.json()
    delay = response.json()
    assert (delay["state"], delay["contract_number"], delay["customer_name"]) == (
        "pending",
        order.contract.number,
        order.customer.name,
    )
    step = pending_step(ShipmentDelay.objects.get(pk=delay["id"]))
    response = post(
        api_client(deciders(ShipmentDelay.objects.get(pk=delay["id"]), step)[0]), f"/delays/{delay['id']}/accept"
    )
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    # "other" needs its words
    response = post(api_client(staff.sales_a), "/delays", {**body, "reason": "other"})
    assert response.status_code == 422 and "detail" in fields_of(response)
    assert ShipmentDelay.objects.count() == 1


# --- lists -------------------------------------------------------------------------------------


def test_the_lists_filter_search_and_sort_as_the_pages(staff, api_client):
    order = Order(staff)
    first = order.approved_requisition(lines=[(0, "2")])
    order.requisition(lines=[(0, "3")])
    client = api_client(staff.sales_a)

    assert [r["id"] for r in get(client, "/requisitions", {"state": "approved"}).json()["items"]] == [first.pk]
    assert get(client, "/requisitions", {"q": first.number}).json()["count"] == 1
    numbers = [r["number"] for r in get(client, "/requisitions", {"sort": "number"}).json()["items"]]
    assert numbers == sorted(numbers) and len(numbers) == 2
    assert get(client, "/requisitions", {"state": "nonsense"}).status_code == 422
    assert get(client, "/delays", {"sort": "customer"}).status_code == 200


LISTS = ["/requisitions", "/notes", "/outbounds", "/confirmations", "/returns", "/red-notes", "/delays"]


def test_a_list_costs_the_same_few_queries_however_many_rows(staff, api_client, django_assert_max_num_queries):
    client = api_client(staff.boss)
    for rows in (1, 3):
        while ReturnRequest.objects.count() < rows:
            order = Order(staff)
            outbound = order.outbound()
            order.confirmation(outbound)
            request = verified_return(order, outbound)
            services.red_note_issue(actor=staff.back_office, return_id=request.pk)
            services.delay_create(
                actor=staff.sales_a, contract_id=order.contract.pk, reason="transport", ship_on=timezone.localdate()
            )
        for path in LISTS:
            # the caller's token, the count and the page, whatever the number of rows
            with django_assert_max_num_queries(6):
                body = get(client, path).json()
            assert body["count"] == rows, path


def test_no_fulfilment_document_schema_carries_a_price():
    schema = api.get_openapi_schema()
    refs = {name.rsplit("/", 1)[-1] for name in _refs(schema)}
    properties = {prop for ref in refs for prop in schema["components"]["schemas"][ref].get("properties", {})}
    assert properties >= {"quantity", "shipped", "claimed", "customer_name"}
    assert not {prop for prop in properties if "price" in prop or "amount" in prop}


def _refs(schema: dict) -> set[str]:
    """Every component schema the fulfilment document operations use, followed through their refs."""
    found: set[str] = set()
    todo = [
        op
        for path, item in schema["paths"].items()
        if path.startswith(f"{BASE}/") and "/stock" not in path
        for op in item.values()
    ]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref not in found:
                found.add(ref)
                todo.append(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]])
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return found


def test_claimed_and_returned_counters_show_on_the_outbound_line(staff, api_client):
    order = Order(staff)
    outbound = order.outbound()
    line = OutboundLine.objects.filter(outbound=outbound).order_by("pk")[0]
    services.return_create(
        actor=staff.sales_a, customer_id=order.customer.pk, kind="return", reason="划伤", lines=[Pick(line.pk, "3")]
    )
    lines = get(api_client(staff.warehouse), f"/outbounds/{outbound.pk}").json()["lines"]
    assert [(ln["claimed"], ln["returned"], ln["returnable"]) for ln in lines][0] == ("3.000", "0.000", "7.000")
    assert Decimal(lines[1]["claimed"]) == 0
