"""The W4 delivery forms through the pages, as each person uses them: a requisition from a signed
contract, the delivery note and its correction, the warehouse's outbound, the customer's
confirmation and its follow-up. For each form: the happy path, a refusal of the service that lands
on the field (or the line's row) with nothing written, and a role that is refused at the door.
The warehouse's pages carry quantities and customers, never a price."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from salesops.fulfilment.models import (
    Confirmation,
    DeliveryNote,
    DeliveryNoteLine,
    NoteState,
    OrderLine,
    Outbound,
    OutboundState,
    Requisition,
    RequisitionLine,
    RequisitionState,
    StockLevel,
    StockMove,
)
from salesops.fulfilment.services import Discrepancy, Pick
from salesops.workflow.models import Attachment, DocumentEvent
from salesops.workflow.tests.kit import fresh

from .helpers import Order, scan

pytestmark = pytest.mark.django_db


def delivery_world() -> tuple:
    """Everything a delivery form could write: documents, their lines' counters, stock, events."""
    return (
        [(r.pk, r.state) for r in Requisition.objects.order_by("pk")],
        list(RequisitionLine.objects.order_by("pk").values_list("quantity", "noted")),
        list(OrderLine.objects.order_by("pk").values_list("requested", "delivered", "returned")),
        [(n.pk, n.state, n.address) for n in DeliveryNote.objects.order_by("pk")],
        list(DeliveryNoteLine.objects.order_by("pk").values_list("quantity", "shipped", "closed")),
        [(o.pk, o.state) for o in Outbound.objects.order_by("pk")],
        [(c.pk, c.state, c.follow_up_open) for c in Confirmation.objects.order_by("pk")],
        list(StockLevel.objects.order_by("pk").values_list("quantity", flat=True)),
        StockMove.objects.count(),
        Attachment.objects.count(),
        DocumentEvent.objects.count(),
    )


def field_errors(response) -> dict[str, list[str]]:
    """The errors shown under each field, by the field's name."""
    html = response.content.decode()
    found: dict[str, list[str]] = {}
    for name, text in re.findall(r'data-field-error="([^"]+)">([^<]*)<', html):
        found.setdefault(name, []).append(text)
    return found


def buttons(client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    block = html.split('data-testid="buttons"', 1)[1].split("</div>", 1)[0]
    return set(re.findall(r'data-testid="([\w-]+)"', block))


def requisition_data(order: Order, quantities: tuple[str, str] = ("10", "10"), **extra) -> dict:
    ids = order.contract_line_ids()
    data = {
        "warehouse": order.warehouse.pk,
        "address": "山东省青岛市黄岛区长江中路 9 号",
        "consignee": "李工",
        "consignee_phone": "13900000000",
        "wanted_on": "",
        "note": "",
        f"qty_{ids[0]}": quantities[0],
        f"qty_{ids[1]}": quantities[1],
    }
    data.update(extra)
    return data


def outbound_data(note, quantities=None, **extra) -> dict:
    lines = list(note.lines.order_by("pk"))
    data = {
        "method": "express",
        "carrier": "顺丰速运",
        "tracking_numbers": "SF1001\nSF1002\n",
        "consignee_phone": "13800000000",
        "vehicle": "",
        "driver": "",
        "freight_payer": "company",
        "packages": "2",
        "weight_kg": "35.5",
        "short_reason": "",
    }
    for index, line in enumerate(lines):
        data[f"qty_{line.pk}"] = quantities[index] if quantities else str(line.open_quantity)
    data.update(extra)
    return data


# --- goods requisition --------------------------------------------------------------------------


def test_the_requisition_list_offers_a_new_requisition_to_those_who_raise_them(staff, web_client):
    url = reverse("fulfilment:requisition-list")
    for user, offered in ((staff.sales_c, True), (staff.branch_mgr, True), (staff.back_office, False)):
        html = web_client(user).get(url).content.decode()
        assert ('data-testid="new"' in html) is offered, user
    assert web_client(staff.warehouse).get(reverse("fulfilment:requisition-create")).status_code == 403


def test_the_source_picker_lists_what_is_still_open_in_a_fixed_number_of_queries(
    staff, web_client, django_assert_max_num_queries
):
    # given two signed contracts of sales_c's, one of them already requested in full
    open_order, done_order = Order(staff, staff.sales_c), Order(staff, staff.sales_c)
    done_order.requisition()
    client = web_client(staff.sales_c)
    # when sales_c starts a requisition
    with django_assert_max_num_queries(12):
        html = client.get(reverse("fulfilment:requisition-create")).content.decode()
    # then only the contract with something open is offered; sales_a sees none of sales_c's
    assert open_order.contract.number in html
    assert done_order.contract.number not in html
    assert (
        open_order.contract.number
        not in web_client(staff.sales_a).get(reverse("fulfilment:requisition-create")).content.decode()
    )


def test_a_salesperson_requests_part_of_a_signed_contract_through_the_form(staff, web_client):
    # given sales_c's signed contract (pump × 10, valve × 10), 3 pumps already requested
    order = Order(staff, staff.sales_c)
    order.requisition(lines=[(0, "3")])
    client = web_client(staff.sales_c)
    url = reverse("fulfilment:requisition-create") + f"?contract={order.contract.pk}"
    # the form shows each sold line: sold, already requested, open, and the open quantity to request
    page = client.get(url).content.decode()
    pump_row = page.split('data-testid="row-0"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'data-testid="count">([^<]*)<', pump_row) == ["10", "3", "7"]
    assert 'value="7"' in pump_row
    # when the salesperson asks for 4 pumps and skips the valves (0)
    response = client.post(url, requisition_data(order, ("4", "0"), wanted_on="2030-01-15"))
    # then a draft requisition of 4 pumps opens, raised by a branch
    requisition = Requisition.objects.exclude(lines__quantity=3).get()
    assert response.status_code == 302 and response["Location"] == requisition.get_absolute_url()
    assert (requisition.state, requisition.owner, requisition.from_branch) == (
        RequisitionState.DRAFT,
        staff.sales_c,
        True,
    )
    assert [(line.product, line.quantity) for line in requisition.lines.all()] == [(order.pump, Decimal("4"))]
    assert (requisition.consignee, requisition.wanted_on) == ("李工", datetime.date(2030, 1, 15))
    assert [line.requested for line in order.order_lines()] == [Decimal("7"), Decimal("0")]
    # and its page offers the submit button
    assert 'data-testid="act-submit"' in client.get(requisition.get_absolute_url()).content.decode()


def test_a_requisition_above_what_is_open_is_refused_on_its_row_and_nothing_is_written(staff, web_client):
    order = Order(staff, staff.sales_c)
    order.requisition(lines=[(0, "3")])
    before = delivery_world()
    url = reverse("fulfilment:requisition-create") + f"?contract={order.contract.pk}"
    # when 8 pumps are asked for while 7 are open
    response = web_client(staff.sales_c).post(url, requisition_data(order, ("8", "10")))
    # then the pump's row says what is open, and nothing changed
    pump_field = f"qty_{order.contract_line_ids()[0]}"
    errors = field_errors(response)
    assert response.status_code == 422
    assert list(errors) == [pump_field] and "7" in errors[pump_field][0]
    assert delivery_world() == before


def test_a_requisition_with_every_line_skipped_is_refused(staff, web_client):
    order = Order(staff, staff.sales_c)
    url = reverse("fulfilment:requisition-create") + f"?contract={order.contract.pk}"
    response = web_client(staff.sales_c).post(url, requisition_data(order, ("0", "")))
    assert response.status_code == 422
    assert list(field_errors(response)) == [f"qty_{order.contract_line_ids()[0]}"]
    assert Requisition.objects.count() == 0


def test_a_requisition_is_refused_to_other_roles_and_other_peoples_contracts(staff, web_client):
    order = Order(staff, staff.sales_c)
    url = reverse("fulfilment:requisition-create") + f"?contract={order.contract.pk}"
    before = delivery_world()
    # the warehouse and the sales office do not raise requisitions
    for user in (staff.warehouse, staff.back_office, staff.finance):
        assert web_client(user).post(url, requisition_data(order)).status_code == 403
    # another salesperson does not see the contract
    assert web_client(staff.sales_a).get(url).status_code == 404
    assert web_client(staff.sales_a).post(url, requisition_data(order)).status_code == 404
    assert delivery_world() == before


def test_a_confirmed_phone_order_is_requested_like_a_contract(staff, web_client):
    from salesops.deals.tests import contract_factories as cf
    from salesops.workflow.registry import act_on

    from .helpers import decide_all

    # given sales_a's confirmed phone order for 5 pumps
    order = Order(staff)
    phone = cf.phone_order(staff.sales_a, order.customer, [(order.pump, "5", "1000.00")])
    phone = decide_all(act_on(phone, "submit", actor=staff.sales_a), "confirmed")
    client = web_client(staff.sales_a)
    assert phone.number in client.get(reverse("fulfilment:requisition-create")).content.decode()
    url = reverse("fulfilment:requisition-create") + f"?phone_order={phone.pk}"
    line_id = phone.lines.get().pk
    # when the salesperson requests all of it
    data = {**requisition_data(order), f"qty_{line_id}": "5"}
    response = client.post(url, data)
    # then the requisition names the phone order and takes its 5 pumps
    requisition = Requisition.objects.get()
    assert response.status_code == 302
    assert (requisition.phone_order_id, requisition.contract_id) == (phone.pk, None)
    assert [line.quantity for line in requisition.lines.all()] == [5]


def test_a_contract_not_yet_signed_goes_back_to_the_picker_with_the_reason(staff, web_client):
    from salesops.deals.tests import contract_factories as cf

    draft = cf.Deal(staff, staff.sales_c).draft()
    url = reverse("fulfilment:requisition-create") + f"?contract={draft.pk}"
    response = web_client(staff.sales_c).post(url, {"address": "x"})
    assert response.status_code == 409
    assert 'data-testid="pick-contract"' in response.content.decode()
    assert Requisition.objects.count() == 0


# --- delivery note --------------------------------------------------------------------------------


def test_the_office_issues_part_of_an_approved_requisition_with_a_corrected_consignee(staff, web_client):
    order = Order(staff, staff.sales_c)
    requisition = order.approved_requisition()
    office = web_client(staff.back_office)
    # the requisition's page offers the office (only) to issue the note
    assert "issue-note" in buttons(office, requisition.get_absolute_url())
    assert "issue-note" not in buttons(web_client(staff.sales_c), requisition.get_absolute_url())
    url = reverse("fulfilment:note-issue", args=[requisition.pk])
    page = office.get(url).content.decode()
    assert 'value="王经理"' in page and 'value="13800000000"' in page
    pump, valve = requisition.lines.order_by("pk")
    # when the office issues 6 pumps and 10 valves to another consignee
    data = {
        "address": requisition.address,
        "consignee": "赵主任",
        "consignee_phone": "13700000000",
        "note": "上午送达",
        f"qty_{pump.pk}": "6",
        f"qty_{valve.pk}": "10",
    }
    response = office.post(url, data)
    # then the note is issued with those quantities; 4 pumps stay open on the requisition
    note = DeliveryNote.objects.get()
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert (note.state, note.consignee, note.note) == (NoteState.ISSUED, "赵主任", "上午送达")
    assert [line.quantity for line in note.lines.order_by("pk")] == [6, 10]
    assert [(line.quantity, line.noted) for line in requisition.lines.order_by("pk")] == [(10, 6), (10, 10)]
    # the button stays while something is open, and goes once everything is on notes
    assert "issue-note" in buttons(office, requisition.get_absolute_url())
    office.post(url, {**data, f"qty_{pump.pk}": "4", f"qty_{valve.pk}": "0"})
    assert "issue-note" not in buttons(office, requisition.get_absolute_url())
    assert office.get(url).status_code == 302


def test_a_note_above_the_requisition_is_refused_on_its_row(staff, web_client):
    order = Order(staff)
    requisition = order.approved_requisition()
    pump, valve = requisition.lines.order_by("pk")
    before = delivery_world()
    data = {"address": "a", "consignee": "b", "consignee_phone": "1", f"qty_{pump.pk}": "2", f"qty_{valve.pk}": "11"}
    response = web_client(staff.back_office).post(reverse("fulfilment:note-issue", args=[requisition.pk]), data)
    assert response.status_code == 422
    assert list(field_errors(response)) == [f"qty_{valve.pk}"]
    assert "10" in field_errors(response)[f"qty_{valve.pk}"][0]
    assert delivery_world() == before


def test_only_the_office_issues_notes(staff, web_client):
    order = Order(staff)
    requisition = order.approved_requisition()
    url = reverse("fulfilment:note-issue", args=[requisition.pk])
    before = delivery_world()
    for user in (staff.sales_a, staff.manager1, staff.warehouse):
        assert web_client(user).get(url).status_code == 403
        assert web_client(user).post(url, {"address": "a", "consignee": "b", "consignee_phone": "1"}).status_code == 403
    assert delivery_world() == before


def test_the_office_corrects_a_note_by_voiding_and_reissuing_it(staff, web_client):
    order = Order(staff)
    note = order.note()
    office = web_client(staff.back_office)
    assert "reissue" in buttons(office, note.get_absolute_url())
    assert 'data-testid="act-void"' in office.get(note.get_absolute_url()).content.decode()
    assert "reissue" not in buttons(web_client(staff.warehouse), note.get_absolute_url())
    url = reverse("fulfilment:note-reissue", args=[note.pk])
    pump, valve = note.lines.order_by("pk")
    data = {
        "reason": "收货地址写错",
        "address": "潍坊市高新区新城街道 1 号",
        "consignee": note.consignee,
        "consignee_phone": note.consignee_phone,
        "remark": "",
        f"qty_{pump.requisition_line_id}": "10",
        f"qty_{valve.requisition_line_id}": "8",
    }
    response = office.post(url, data)
    corrected = DeliveryNote.objects.exclude(pk=note.pk).get()
    assert response.status_code == 302 and response["Location"] == corrected.get_absolute_url()
    voided = fresh(note)
    assert (voided.state, voided.void_reason, voided.number) == (NoteState.VOIDED, "收货地址写错", note.number)
    assert (corrected.replaces_id, corrected.address) == (note.pk, "潍坊市高新区新城街道 1 号")
    assert [line.quantity for line in corrected.lines.order_by("pk")] == [10, 8]
    # the voided note offers no correction any more
    assert office.get(url).status_code == 302


def test_a_correction_without_a_reason_or_above_the_requisition_changes_nothing(staff, web_client):
    order = Order(staff)
    note = order.note()
    pump, valve = note.lines.order_by("pk")
    url = reverse("fulfilment:note-reissue", args=[note.pk])
    base = {"address": "x", "consignee": "y", "consignee_phone": "1", f"qty_{pump.requisition_line_id}": "10"}
    before = delivery_world()
    office = web_client(staff.back_office)
    missing = office.post(url, {**base, "reason": ""})
    above = office.post(url, {**base, "reason": "数量改", f"qty_{valve.requisition_line_id}": "12"})
    assert (missing.status_code, list(field_errors(missing))) == (422, ["reason"])
    assert (above.status_code, list(field_errors(above))) == (422, [f"qty_{valve.requisition_line_id}"])
    assert delivery_world() == before
    # and the warehouse may not correct a note
    assert web_client(staff.warehouse).post(url, {**base, "reason": "r"}).status_code == 403
    assert delivery_world() == before


# --- outbound --------------------------------------------------------------------------------------


def test_the_warehouse_books_the_whole_note_by_express(staff, web_client):
    order = Order(staff)
    note = order.note()
    warehouse = web_client(staff.warehouse)
    assert "book-outbound" in buttons(warehouse, note.get_absolute_url())
    assert "book-outbound" not in buttons(web_client(staff.back_office), note.get_absolute_url())
    response = warehouse.post(reverse("fulfilment:outbound-book", args=[note.pk]), outbound_data(note))
    outbound = Outbound.objects.get()
    assert response.status_code == 302 and response["Location"] == outbound.get_absolute_url()
    assert (outbound.method, outbound.carrier, outbound.tracking_numbers) == (
        "express",
        "顺丰速运",
        ["SF1001", "SF1002"],
    )
    assert (outbound.packages, outbound.weight_kg, outbound.booked_by) == (2, Decimal("35.50"), staff.warehouse)
    assert fresh(note).state == NoteState.SHIPPED
    assert StockLevel.objects.get(product=order.pump, warehouse=order.warehouse).quantity == 90
    # nothing is left to book
    assert warehouse.get(reverse("fulfilment:outbound-book", args=[note.pk])).status_code == 302


def test_shipping_less_needs_the_reason_and_then_leaves_the_rest_open(staff, web_client):
    order = Order(staff)
    note = order.note()
    url = reverse("fulfilment:outbound-book", args=[note.pk])
    warehouse = web_client(staff.warehouse)
    before = delivery_world()
    refused = warehouse.post(url, outbound_data(note, ["7", "10"]))
    assert (refused.status_code, list(field_errors(refused))) == (422, ["short_reason"])
    assert delivery_world() == before
    # with the reason the outbound is booked and the note is partly shipped
    response = warehouse.post(url, outbound_data(note, ["7", "10"], short_reason="水泵库存不足"))
    assert response.status_code == 302
    assert fresh(note).state == NoteState.PARTLY
    assert [line.open_quantity for line in note.lines.order_by("pk")] == [3, 0]
    # the form then offers the 3 pumps still open
    page = warehouse.get(url).content.decode()
    assert page.count('data-testid="row-') == 1 and 'value="3"' in page


def test_an_outbound_above_the_note_or_without_a_tracking_number_is_refused_on_the_field(staff, web_client):
    order = Order(staff)
    note = order.note()
    pump = note.lines.order_by("pk")[0]
    url = reverse("fulfilment:outbound-book", args=[note.pk])
    warehouse = web_client(staff.warehouse)
    before = delivery_world()
    above = warehouse.post(url, outbound_data(note, ["11", "10"]))
    untracked = warehouse.post(url, outbound_data(note, tracking_numbers=" \n"))
    by_car = warehouse.post(url, outbound_data(note, method="company_vehicle", tracking_numbers=""))
    assert (above.status_code, list(field_errors(above))) == (422, [f"qty_{pump.pk}"])
    assert (untracked.status_code, list(field_errors(untracked))) == (422, ["tracking_numbers"])
    assert (by_car.status_code, sorted(field_errors(by_car))) == (422, ["driver", "vehicle"])
    assert delivery_world() == before


def test_a_salesperson_or_the_office_cannot_book_an_outbound(staff, web_client):
    order = Order(staff)
    note = order.note()
    url = reverse("fulfilment:outbound-book", args=[note.pk])
    before = delivery_world()
    for user in (staff.sales_a, staff.back_office, staff.manager1):
        assert web_client(user).get(url).status_code == 403
        assert web_client(user).post(url, outbound_data(note)).status_code == 403
    assert delivery_world() == before


# --- customer confirmation ---------------------------------------------------------------------------


def confirmation_data(outbound, upload=None, **extra) -> dict:
    data = {
        "signed_by": "王经理",
        "signed_on": timezone.localdate().isoformat(),
        "sign_kind": "stamp",
        "scan": upload or scan(),
    }
    data.update(extra)
    return data


def test_the_salesperson_records_the_signed_confirmation_with_a_short_line(staff, web_client):
    order = Order(staff, staff.sales_c)
    outbound = order.outbound()
    owner = web_client(staff.sales_c)
    assert "confirm" in buttons(owner, outbound.get_absolute_url())
    assert "confirm" not in buttons(web_client(staff.warehouse), outbound.get_absolute_url())
    pump = outbound.lines.order_by("pk")[0]
    data = confirmation_data(outbound, **{f"short_{pump.pk}": "1", f"remark_{pump.pk}": "少一台"})
    response = owner.post(reverse("fulfilment:confirmation-record", args=[outbound.pk]), data)
    confirmation = Confirmation.objects.get()
    assert response.status_code == 302 and response["Location"] == confirmation.get_absolute_url()
    assert (confirmation.signed_by, confirmation.has_discrepancies, confirmation.follow_up_open) == (
        "王经理",
        True,
        True,
    )
    assert [(line.short, line.damaged, line.remark) for line in confirmation.lines.all()] == [(1, 0, "少一台")]
    assert Attachment.objects.filter(object_id=confirmation.pk, original_name="签收单.pdf").exists()
    assert fresh(outbound).state == OutboundState.CONFIRMED


def test_a_confirmation_with_a_fake_scan_a_future_date_or_too_many_short_changes_nothing(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    pump = outbound.lines.order_by("pk")[0]
    url = reverse("fulfilment:confirmation-record", args=[outbound.pk])
    client = web_client(staff.sales_a)
    before = delivery_world()
    fake = SimpleUploadedFile("签收单.pdf", b"not a pdf at all", content_type="application/pdf")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for data, field in (
        (confirmation_data(outbound, fake), "scan"),
        (confirmation_data(outbound, signed_on=tomorrow), "signed_on"),
        (confirmation_data(outbound, **{f"short_{pump.pk}": "11"}), f"short_{pump.pk}"),
        ({**confirmation_data(outbound), "scan": ""}, "scan"),
    ):
        response = client.post(url, data)
        assert (response.status_code, list(field_errors(response))) == (422, [field]), field
    assert delivery_world() == before


def test_the_warehouse_and_other_salespeople_cannot_record_a_confirmation(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    url = reverse("fulfilment:confirmation-record", args=[outbound.pk])
    before = delivery_world()
    assert web_client(staff.warehouse).post(url, confirmation_data(outbound)).status_code == 403
    assert web_client(staff.sales_b).post(url, confirmation_data(outbound)).status_code == 404
    assert web_client(staff.sales_b).get(url).status_code == 404
    assert delivery_world() == before


def test_the_owner_resolves_the_follow_up_of_a_confirmation_with_discrepancies(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    pump = outbound.lines.order_by("pk")[0]
    confirmation = order.confirmation(outbound, discrepancies=[Discrepancy(pump.pk, damaged="1")])
    url = reverse("fulfilment:confirmation-resolve", args=[confirmation.pk])
    owner = web_client(staff.sales_a)
    assert "resolve" in buttons(owner, confirmation.get_absolute_url())
    assert "resolve" not in buttons(web_client(staff.warehouse), confirmation.get_absolute_url())
    before = delivery_world()
    # an empty resolution is refused on its field; the warehouse and another salesperson are refused
    empty = owner.post(url, {"resolution": " "})
    assert (empty.status_code, list(field_errors(empty))) == (422, ["resolution"])
    assert web_client(staff.warehouse).post(url, {"resolution": "补发"}).status_code == 403
    assert web_client(staff.sales_b).post(url, {"resolution": "补发"}).status_code == 404
    assert delivery_world() == before
    # the owner writes what was done
    response = owner.post(url, {"resolution": "已补发一台，客户确认"})
    assert response.status_code == 302
    done = fresh(confirmation)
    assert (done.follow_up_open, done.follow_up) == (False, "已补发一台，客户确认")
    assert "resolve" not in buttons(owner, confirmation.get_absolute_url())
    assert owner.get(url).status_code == 302


def test_start_a_return_links_the_return_form_prefilled_from_the_confirmation(staff, web_client):
    order = Order(staff)
    confirmation = order.confirmation()
    offered = buttons(web_client(staff.sales_a), confirmation.get_absolute_url())
    assert "start-return" in offered
    html = web_client(staff.sales_a).get(confirmation.get_absolute_url()).content.decode()
    assert f"?confirmation={confirmation.pk}" in html
    assert "start-return" not in buttons(web_client(staff.back_office), confirmation.get_absolute_url())


# --- what the warehouse reads ---------------------------------------------------------------------

# The contract's prices (1,000.00 and 500.00; 15,000.00 in all) in every way a page could print them.
PRICE_MARKS = (
    "1000.00",
    "1,000.00",
    "500.00",
    "15000",
    "15,000",
    "¥",
    "￥",
    "单价",
    "金额",
    "price",
    "amount",
    "Price",
    "Amount",
)


def test_the_warehouse_reads_quantities_and_customers_never_a_price(staff, web_client):
    # given a requisition on two notes: one to ship, one shipped and confirmed
    order = Order(staff)
    requisition = order.approved_requisition()
    note = order.note(requisition, lines=[Pick(requisition.lines.order_by("pk")[0].pk, "5")])
    outbound = order.outbound(order.note(requisition))
    confirmation = order.confirmation(outbound)
    warehouse = web_client(staff.warehouse)
    pages = [
        reverse("fulfilment:note-list"),
        note.get_absolute_url(),
        reverse("fulfilment:outbound-book", args=[note.pk]),
        reverse("fulfilment:outbound-list"),
        outbound.get_absolute_url(),
        reverse("fulfilment:confirmation-list"),
        confirmation.get_absolute_url(),
    ]
    for url in pages:
        response = warehouse.get(url)
        assert response.status_code == 200, url
        main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        assert order.customer.name in main, url
        assert [mark for mark in PRICE_MARKS if mark in main] == [], url
    # the requisition behind the note is the office's: the warehouse does not open it
    assert warehouse.get(note.requisition.get_absolute_url()).status_code == 404
