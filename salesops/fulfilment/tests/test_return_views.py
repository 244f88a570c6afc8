"""The forms of returns and exchanges (W8) and of shipment delays (R7), through the Django test
client: each form's happy path, a refusal that changes nothing and names its field, and a denial
by role or scope; the return and red note pages as the manager and the warehouse read them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.fulfilment import services
from salesops.fulfilment.models import (
    DeliveryNote,
    OutboundLine,
    RedNote,
    ReturnLine,
    ReturnRequest,
    ReturnState,
    ShipmentDelay,
)
from salesops.fulfilment.services import Discrepancy, Pick
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import pending_step

from .helpers import Order, decide_all, verified_return

pytestmark = pytest.mark.django_db

CREATE = reverse("fulfilment:return-create")


def html(response) -> str:
    return response.content.decode()


def first_line(outbound) -> OutboundLine:
    return outbound.lines.order_by("pk").first()


def confirmed_return(order: Order, outbound, quantity: str = "2", kind: str = "return") -> ReturnRequest:
    """A return of ``quantity`` of the outbound's first line, confirmed by the manager: to check."""
    request = services.return_create(
        actor=order.owner,
        customer_id=order.customer.pk,
        kind=kind,
        reason="外壳划伤",
        lines=[Pick(first_line(outbound).pk, quantity)],
    )
    return decide_all(act_on(request, "submit", actor=order.owner), ReturnState.CONFIRMED)


def checked_return(order: Order, outbound, quantity: str = "2") -> ReturnRequest:
    request = confirmed_return(order, outbound, quantity)
    checks = {line.pk: (True, True, True) for line in request.lines.all()}
    return services.return_check(request=request, actor=order.owner, checks=checks)


def step_url(name: str, request) -> str:
    return reverse(f"fulfilment:{name}", args=[request.pk])


# --- a new return or exchange -------------------------------------------------------------------


def test_the_return_list_offers_new_return_to_requesters_only(staff, web_client):
    assert 'data-testid="new"' in html(web_client(staff.sales_a).get(reverse("fulfilment:return-list")))
    assert 'data-testid="new"' not in html(web_client(staff.warehouse).get(reverse("fulfilment:return-list")))


def test_choosing_the_customer_lists_their_delivered_lines_with_what_is_left(staff, web_client):
    # given 10 pumps and 10 valves delivered, 3 pumps already claimed by a request in flight
    order = Order(staff)
    outbound = order.outbound()
    services.return_create(
        actor=staff.sales_a,
        customer_id=order.customer.pk,
        kind="return",
        reason="先退 3 台",
        lines=[Pick(first_line(outbound).pk, "3")],
    )
    # when the salesperson picks the customer (the select's HTMX request)
    response = web_client(staff.sales_a).get(CREATE, {"customer": order.customer.pk}, HTTP_HX_REQUEST="true")
    # then only the lines block comes back: each line with delivered, claimed and at most what is left
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.count('data-testid="returnable"') == 2
    assert outbound.number in page
    assert 'max="7"' in page and 'max="10"' in page
    # the customer select is the one the page offers: only customers whose deliveries sales_a sees
    full = html(web_client(staff.sales_a).get(CREATE))
    assert order.customer.name in full
    other = Order(staff, staff.sales_c)
    assert other.customer.name not in full


def test_a_return_request_is_saved_with_the_quantities_typed(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    pump, valve = outbound.lines.order_by("pk")
    data = {
        "customer": order.customer.pk,
        "kind": "exchange",
        "reason": "阀门密封圈损坏，换新",
        f"quantity_{pump.pk}": "",
        f"quantity_{valve.pk}": "2",
    }
    response = web_client(staff.sales_a).post(CREATE, data)

    request = ReturnRequest.objects.get(customer=order.customer)
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.kind, request.state, request.owner) == ("exchange", ReturnState.DRAFT, staff.sales_a)
    assert [(line.outbound_line_id, line.quantity) for line in request.lines.all()] == [(valve.pk, 2)]
    valve.refresh_from_db()
    assert valve.claimed == 2


def test_more_than_delivered_less_claimed_is_refused_on_that_line_and_nothing_is_saved(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    pump = first_line(outbound)
    data = {"customer": order.customer.pk, "kind": "return", "reason": "退货", f"quantity_{pump.pk}": "11"}
    response = web_client(staff.sales_a).post(CREATE, data)

    assert response.status_code == 422
    assert f'data-field-error="quantity_{pump.pk}"' in html(response)
    assert "10" in html(response)
    assert not ReturnRequest.objects.exists()
    pump.refresh_from_db()
    assert pump.claimed == 0


def test_a_request_without_a_reason_or_a_line_is_refused_naming_them(staff, web_client):
    order = Order(staff)
    pump = first_line(order.outbound())
    client = web_client(staff.sales_a)

    no_reason = client.post(CREATE, {"customer": order.customer.pk, "kind": "return", f"quantity_{pump.pk}": "1"})
    no_line = client.post(CREATE, {"customer": order.customer.pk, "kind": "return", "reason": "退货"})

    assert no_reason.status_code == 422 and 'data-field-error="reason"' in html(no_reason)
    assert no_line.status_code == 422 and 'data-field-error="lines"' in html(no_line)
    assert not ReturnRequest.objects.exists()


def test_only_requesters_raise_returns_and_only_for_customers_they_see(staff, web_client):
    order = Order(staff)
    pump = first_line(order.outbound())
    data = {"customer": order.customer.pk, "kind": "return", "reason": "退货", f"quantity_{pump.pk}": "1"}

    # the warehouse and the technical department are refused at the door
    for user in (staff.warehouse, staff.technical, staff.back_office):
        assert web_client(user).get(CREATE).status_code == 403
        assert web_client(user).post(CREATE, data).status_code == 403
    # another salesperson cannot choose sales_a's customer, nor see its lines
    response = web_client(staff.sales_c).post(CREATE, data)
    assert response.status_code == 422 and 'data-field-error="customer"' in html(response)
    assert 'data-testid="returnable"' not in html(response)
    assert not ReturnRequest.objects.exists()


def test_a_confirmation_with_discrepancies_prefills_the_request_and_closes_its_follow_up(staff, web_client):
    # given the customer signed for the outbound noting 1 pump short and 2 damaged
    order = Order(staff)
    outbound = order.outbound()
    pump = first_line(outbound)
    confirmation = order.confirmation(
        outbound, discrepancies=[Discrepancy(pump.pk, short="1", damaged="2", remark="外包装破损")]
    )
    url = f"{CREATE}?confirmation={confirmation.pk}"
    client = web_client(staff.sales_a)

    # when the salesperson opens the form from the confirmation
    page = html(client.get(url))
    # then the customer, the discrepancy's quantity and the remark are filled in
    assert f'<option value="{order.customer.pk}" selected>' in page
    assert f'name="quantity_{pump.pk}" value="3"' in page
    assert "外包装破损" in page and confirmation.number in page
    # and saving it links the request to the confirmation, whose follow-up is closed
    data = {
        "customer": order.customer.pk,
        "kind": "return",
        "reason": "外包装破损",
        "confirmation": confirmation.pk,
        f"quantity_{pump.pk}": "3",
    }
    assert client.post(url, data).status_code == 302
    request = ReturnRequest.objects.get()
    confirmation.refresh_from_db()
    assert request.confirmation_id == confirmation.pk
    assert not confirmation.follow_up_open and request.number in confirmation.follow_up


def test_another_salespersons_confirmation_is_not_found(staff, web_client):
    order = Order(staff)
    confirmation = order.confirmation()
    assert web_client(staff.sales_c).get(f"{CREATE}?confirmation={confirmation.pk}").status_code == 404


# --- W8.2 check ---------------------------------------------------------------------------------


def test_the_owner_checks_every_line(staff, web_client):
    order = Order(staff)
    request = confirmed_return(order, order.outbound())
    line = request.lines.get()
    client = web_client(staff.sales_a)
    assert 'data-testid="check"' in html(client.get(request.get_absolute_url()))

    response = client.post(
        step_url("return-check", request),
        {f"name_{line.pk}": "on", f"spec_{line.pk}": "on", f"quantity_{line.pk}": "on"},
    )

    request.refresh_from_db()
    line.refresh_from_db()
    assert response.status_code == 302
    assert request.state == ReturnState.CHECKED and request.checked_at is not None
    assert (line.name_ok, line.spec_ok, line.quantity_ok) == (True, True, True)


def test_goods_that_do_not_match_are_refused_on_the_form_and_nothing_changes(staff, web_client):
    order = Order(staff)
    request = confirmed_return(order, order.outbound())
    line = request.lines.get()

    # the specification does not match
    response = web_client(staff.sales_a).post(
        step_url("return-check", request), {f"name_{line.pk}": "on", f"quantity_{line.pk}": "on"}
    )

    assert response.status_code == 422
    assert 'data-field-error="checks"' in html(response)
    request.refresh_from_db()
    line.refresh_from_db()
    assert (request.state, request.checked_at) == (ReturnState.CONFIRMED, None)
    assert (line.name_ok, line.spec_ok, line.quantity_ok) == (None, None, None)


def test_only_the_owner_checks(staff, web_client):
    order = Order(staff)
    request = confirmed_return(order, order.outbound())
    line = request.lines.get()
    url = step_url("return-check", request)
    ticks = {f"{key}_{line.pk}": "on" for key in ("name", "spec", "quantity")}

    assert web_client(staff.technical).post(url, ticks).status_code == 403
    assert web_client(staff.manager1).post(url, ticks).status_code == 403
    assert web_client(staff.sales_b).post(url, ticks).status_code == 404
    # the manager, who sees the request, is sent back to it from the form
    assert web_client(staff.manager1).get(url).status_code == 302
    request.refresh_from_db()
    assert request.state == ReturnState.CONFIRMED


# --- W8.3 verify or fail ------------------------------------------------------------------------


def test_the_technical_department_verifies_and_the_page_shows_the_detail_in_red(staff, web_client):
    order = Order(staff)
    request = checked_return(order, order.outbound())
    tech = web_client(staff.technical)
    page = html(tech.get(request.get_absolute_url()))
    assert 'data-testid="verify"' in page and 'data-testid="fail"' in page

    response = tech.post(step_url("return-verify", request), {"notes": "序列号与出库记录一致"})

    request.refresh_from_db()
    assert response.status_code == 302
    assert (request.state, request.verified_by, request.verification) == (
        ReturnState.VERIFIED,
        staff.technical,
        "序列号与出库记录一致",
    )
    # the manager confirms in red what the page shows in red
    page = html(web_client(staff.manager1).get(request.get_absolute_url()))
    assert 'data-testid="red-mark"' in page and 'data-testid="red-detail"' in page
    assert 'class="table-danger"' in page and ">-2<" in page
    assert 'data-testid="act-confirm_red"' in page


def test_a_failure_without_notes_is_refused_on_the_notes_and_a_failure_with_them_ends_the_return(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    request = checked_return(order, outbound)
    tech = web_client(staff.technical)

    refused = tech.post(step_url("return-fail", request), {"notes": "  "})
    request.refresh_from_db()
    assert refused.status_code == 422 and 'data-field-error="notes"' in html(refused)
    assert request.state == ReturnState.CHECKED

    assert tech.post(step_url("return-fail", request), {"notes": "铭牌序列号非我司产品"}).status_code == 302
    request.refresh_from_db()
    pump = first_line(outbound)
    assert (request.state, request.verification, pump.claimed) == (ReturnState.FAILED, "铭牌序列号非我司产品", 0)


def test_only_the_technical_department_verifies(staff, web_client):
    order = Order(staff)
    request = checked_return(order, order.outbound())
    for user in (staff.sales_a, staff.manager1, staff.back_office):
        assert web_client(user).post(step_url("return-verify", request), {"notes": "ok"}).status_code == 403
        assert web_client(user).post(step_url("return-fail", request), {"notes": "no"}).status_code == 403
    request.refresh_from_db()
    assert request.state == ReturnState.CHECKED


# --- W8.5 the red note, and an exchange's new delivery note ------------------------------------


def test_the_office_issues_the_red_note_from_the_return_page(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    request = verified_return(order, outbound)
    office = web_client(staff.back_office)
    assert 'data-testid="issue_red"' in html(office.get(request.get_absolute_url()))

    response = office.post(step_url("return-issue-red", request))

    red = RedNote.objects.get(return_request=request)
    request.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == red.get_absolute_url()
    assert (request.state, red.warehouse) == (ReturnState.RED_ISSUED, order.warehouse)
    # the red note's page: red title, the 红字 mark, each line with its original delivery note, linked
    page = html(office.get(red.get_absolute_url()))
    note = outbound.note
    assert 'data-testid="red-title"' in page and 'data-testid="red-mark"' in page
    assert f'<a href="{note.get_absolute_url()}">{note.number}</a>' in page and ">-2<" in page
    # the return page lists it
    assert red.number in html(office.get(request.get_absolute_url()))


def test_the_red_note_may_go_to_another_warehouse(staff, web_client):
    from salesops.catalog.tests.factories import WarehouseFactory

    order = Order(staff)
    request = verified_return(order, order.outbound())
    other = WarehouseFactory(branch=staff.head_office, name="退货库")
    office = web_client(staff.back_office)
    assert office.get(step_url("return-issue-red", request)).status_code == 200

    assert office.post(step_url("return-issue-red", request), {"warehouse": other.pk}).status_code == 302
    assert RedNote.objects.get(return_request=request).warehouse == other


def test_a_red_note_before_the_manager_confirmed_in_red_is_refused_and_none_is_issued(staff, web_client):
    order = Order(staff)
    request = checked_return(order, order.outbound())
    request = services.return_verify(request=request, actor=staff.technical, passed=True, notes="真品")

    response = web_client(staff.back_office).post(step_url("return-issue-red", request))

    assert response.status_code == 409
    assert not RedNote.objects.exists()
    request.refresh_from_db()
    assert request.state == ReturnState.VERIFIED


def test_only_the_sales_office_issues_red_notes(staff, web_client):
    order = Order(staff)
    request = verified_return(order, order.outbound())
    for user in (staff.sales_a, staff.manager1, staff.warehouse, staff.technical):
        assert web_client(user).post(step_url("return-issue-red", request)).status_code == 403
    assert not RedNote.objects.exists()


def test_an_exchange_gets_its_delivery_note_once_the_red_note_is_out(staff, web_client):
    order = Order(staff)
    request = verified_return(order, order.outbound(), "1", kind="exchange")
    office = web_client(staff.back_office)
    url = step_url("return-exchange-note", request)

    # before the red note: no button, and a post is refused with a message, nothing issued
    assert 'data-testid="issue-exchange-note"' not in html(office.get(request.get_absolute_url()))
    refused = office.post(url, follow=True)
    assert refused.status_code == 200 and "alert-danger" in html(refused)
    assert not DeliveryNote.objects.filter(return_request=request).exists()

    services.red_note_issue(actor=staff.back_office, return_id=request.pk)
    assert web_client(staff.sales_a).post(url).status_code == 403
    assert 'data-testid="issue-exchange-note"' in html(office.get(request.get_absolute_url()))
    response = office.post(url)

    note = DeliveryNote.objects.get(return_request=request)
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert [line.quantity for line in note.lines.all()] == [1]
    page = html(office.get(request.get_absolute_url()))
    assert 'data-testid="exchange-notes"' in page and note.number in page
    # everything is on a note now: the button is gone
    assert 'data-testid="issue-exchange-note"' not in page


def test_the_warehouse_reads_quantities_and_customers_never_prices(staff, web_client):
    order = Order(staff)
    outbound = order.outbound()
    request = verified_return(order, outbound)
    red = services.red_note_issue(actor=staff.back_office, return_id=request.pk)
    warehouse = web_client(staff.warehouse)

    for url in (request.get_absolute_url(), red.get_absolute_url()):
        page = html(warehouse.get(url))
        assert order.customer.name in page and ">-2<" in page
        # the contract's prices (1,000.00 and 500.00) and the list price (2,000,000.00) are nowhere
        for price in ("1,000.00", "1000.00", "500.00", "2,000,000", "2000000", "¥"):
            assert price not in page, (url, price)
    # and the warehouse receives it from its page
    assert 'data-testid="act-receive"' in html(warehouse.get(red.get_absolute_url()))


# --- R7 shipment delays -------------------------------------------------------------------------

DELAY = reverse("fulfilment:delay-create")


def test_a_delay_is_recorded_and_goes_to_the_manager_at_once(staff, web_client):
    order = Order(staff)
    client = web_client(staff.sales_a)
    assert 'data-testid="new"' in html(client.get(reverse("fulfilment:delay-list")))
    page = html(client.get(f"{DELAY}?contract={order.contract.pk}"))
    assert f'<option value="{order.contract.pk}" selected>' in page

    ship_on = timezone.localdate() + datetime.timedelta(days=5)
    data = {"contract": order.contract.pk, "reason": "out_of_stock", "ship_on": ship_on.isoformat()}
    response = client.post(f"{DELAY}?contract={order.contract.pk}", data)

    delay = ShipmentDelay.objects.get(contract=order.contract)
    assert response.status_code == 302 and response["Location"] == delay.get_absolute_url()
    assert (delay.state, delay.reason, delay.ship_on) == ("pending", "out_of_stock", ship_on)
    assert pending_step(delay).approver == staff.manager1


def test_other_without_its_detail_is_refused_on_the_detail_and_nothing_is_recorded(staff, web_client):
    order = Order(staff)
    data = {"contract": order.contract.pk, "reason": "other", "detail": "", "ship_on": timezone.localdate()}
    response = web_client(staff.sales_a).post(DELAY, data)

    assert response.status_code == 422 and 'data-field-error="detail"' in html(response)
    assert not ShipmentDelay.objects.exists()


def test_delays_are_recorded_by_sales_and_the_office_only_on_contracts_they_see(staff, web_client):
    order = Order(staff)
    data = {"contract": order.contract.pk, "reason": "transport", "ship_on": timezone.localdate()}
    for user in (staff.warehouse, staff.technical, staff.finance):
        assert web_client(user).get(DELAY).status_code == 403
        assert web_client(user).post(DELAY, data).status_code == 403
    # a salesperson of another branch does not see the contract
    assert web_client(staff.sales_c).get(f"{DELAY}?contract={order.contract.pk}").status_code == 404
    refused = web_client(staff.sales_c).post(DELAY, data)
    assert refused.status_code == 422 and 'data-field-error="contract"' in html(refused)
    assert not ShipmentDelay.objects.exists()


# --- bounded pages ------------------------------------------------------------------------------


def test_the_return_form_reads_a_bounded_number_of_queries_whatever_the_lines(
    staff, web_client, django_assert_max_num_queries
):
    order = Order(staff)
    for _i in range(3):
        note = order.note(order.approved_requisition(lines=[(0, "1"), (1, "1")]))
        order.outbound(note)
    client = web_client(staff.sales_a)
    with django_assert_max_num_queries(20):
        response = client.get(CREATE, {"customer": order.customer.pk})
    assert html(response).count('data-testid="returnable"') == 6
    assert ReturnLine.objects.count() == 0
    assert Decimal(0) == sum(line.claimed for line in OutboundLine.objects.all())
