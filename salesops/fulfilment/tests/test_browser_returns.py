"""In Chromium (W8): a salesperson raises a return of delivered goods on the form, the manager
confirms it from My tasks, the salesperson checks the goods, the technical department verifies
them, the manager confirms the detail in red, the sales office issues the red sales outbound note
and the warehouse receives it: the stock page shows the goods back."""

import re

import pytest

from conftest import log_in
from salesops.fulfilment.models import RedNote, ReturnRequest, ReturnState

from .helpers import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _state(page):
    return page.locator("h1 [data-testid=state]")


def test_a_return_from_delivered_goods_back_into_stock_through_every_hand(staff, live_server, chromium):
    from playwright.sync_api import expect

    base = live_server.url
    # given 10 pumps and 10 valves delivered to sales_a's customer (100 of each were in stock)
    order = Order(staff)
    outbound = order.outbound()
    pump_line = outbound.lines.order_by("pk").first()

    # the salesperson raises the return from the list: choosing the customer brings its delivered lines
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}/fulfilment/returns/")
    sales.locator("[data-testid=new]").click()
    form = sales.locator("[data-testid=return-form]")
    form.locator("[data-testid=customer]").select_option(str(order.customer.pk))
    row = form.locator(f"[data-testid=returnable][data-line='{pump_line.pk}']")
    expect(row).to_contain_text(outbound.number)
    expect(row.locator("[data-testid=delivered]")).to_have_text("10")
    row.locator(f"input[name=quantity_{pump_line.pk}]").fill("2")
    form.locator("textarea[name=reason]").fill("客户现场验收发现外壳划伤")
    form.locator("[data-testid=save]").click()
    sales.wait_for_url(re.compile(r"/fulfilment/returns/\d+/$"))
    request = ReturnRequest.objects.get(customer=order.customer)
    return_url = sales.url
    # and submits it to the manager
    sales.locator("[data-testid=actions] [data-testid=act-submit]").click()
    expect(_state(sales)).to_have_attribute("data-state", "pending")

    # the manager confirms it from My tasks, in place
    manager = log_in(chromium, base, "manager1")
    manager.goto(f"{base}/tasks/")
    task = manager.locator(f"[data-testid=task][data-number='{request.number}']")
    task.locator("[data-testid=approve]").click()
    expect(manager.locator("[data-testid=task-outcome]")).to_contain_text(request.number)

    # the salesperson checks name, specification and quantity of the goods
    sales.goto(return_url)
    sales.locator("[data-testid=buttons] [data-testid=check]").click()
    checklist = sales.locator("[data-testid=check-form]")
    # all() does not wait: the form must be on the page before its boxes are listed
    expect(checklist.locator("input[type=checkbox]").first).to_be_visible()
    for box in checklist.locator("input[type=checkbox]").all():
        box.check()
    checklist.locator("[data-testid=save]").click()
    sales.wait_for_url(return_url)
    expect(_state(sales)).to_have_attribute("data-state", "checked")

    # the technical department verifies them
    tech = log_in(chromium, base, "tech")
    tech.goto(return_url)
    tech.locator("[data-testid=buttons] [data-testid=verify]").click()
    tech.locator("textarea[name=notes]").fill("序列号与出库记录一致")
    tech.locator("[data-testid=verify-form] [data-testid=save]").click()
    tech.wait_for_url(return_url)
    expect(_state(tech)).to_have_attribute("data-state", "verified")

    # the manager sees the verified detail in red and confirms it
    manager.goto(return_url)
    expect(manager.locator("[data-testid=red-mark]")).to_be_visible()
    expect(manager.locator("[data-testid=lines] [data-testid=quantity]")).to_have_text("-2")
    manager.locator("[data-testid=actions] [data-testid=act-confirm_red]").click()
    expect(_state(manager)).to_have_attribute("data-state", "red_confirmed")

    # the sales office issues the red sales outbound note
    office = log_in(chromium, base, "office")
    office.goto(return_url)
    office.locator("[data-testid=buttons] [data-testid=issue_red]").click()
    office.wait_for_url(re.compile(r"/fulfilment/red-notes/\d+/$"))
    red = RedNote.objects.get(return_request=request)
    expect(office.locator("[data-testid=red-title]")).to_be_visible()
    expect(office.locator("[data-testid=original-note]")).to_have_text(outbound.note.number)

    # the warehouse receives it into stock
    warehouse = log_in(chromium, base, "warehouse")
    warehouse.goto(f"{base}{red.get_absolute_url()}")
    warehouse.locator("[data-testid=actions] [data-testid=act-receive]").click()
    expect(_state(warehouse)).to_have_attribute("data-state", "received")

    # then the stock page shows the 2 pumps back: 100 - 10 shipped + 2 returned
    warehouse.goto(f"{base}/fulfilment/stock/")
    pump_row = warehouse.locator("[data-testid=stock-row]", has_text=order.pump.name)
    expect(pump_row.locator("[data-testid=on-hand]")).to_have_text("92")
    request.refresh_from_db()
    assert request.state == ReturnState.DONE
