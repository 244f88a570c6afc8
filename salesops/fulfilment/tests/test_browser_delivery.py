"""In Chromium, W4 from end to end as the people do it: a branch salesperson raises a requisition
from a signed contract through the form and submits it; the branch manager and then the sales
manager approve it in My tasks; the sales office issues the delivery note; the warehouse books the
outbound by express with its tracking number; the salesperson records the customer's signed
confirmation with the scan; the sales office archives it. Each step appears in the next person's
My tasks, and each page shows the state it reached."""

import re

import pytest

from conftest import log_in
from salesops.fulfilment.models import Confirmation, DeliveryNote, Outbound, Requisition
from salesops.workflow.tests.kit import fresh

from .helpers import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCAN = {"name": "签收单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% signed and stamped\n"}


def _task(page, base: str, number: str):
    """The task of ``number`` in the user's My tasks (visible)."""
    from playwright.sync_api import expect

    page.goto(f"{base}/tasks/")
    task = page.locator(f"[data-testid=task][data-number='{number}']")
    expect(task).to_be_visible()
    return task


def _approve_in_my_tasks(page, base: str, number: str) -> None:
    from playwright.sync_api import expect

    task = _task(page, base, number)
    task.locator("[data-testid=approve]").click()
    outcome = page.locator("[data-testid=task-outcome]")
    expect(outcome).to_contain_text(number)
    expect(outcome).not_to_have_class(re.compile("list-group-item-danger"))


def _state(page):
    return page.locator("h1 [data-testid=state]")


def test_a_branch_requisition_goes_from_the_form_to_an_archived_confirmation(staff, live_server, chromium):
    from playwright.sync_api import expect

    base = live_server.url
    # given sales_c (at the Qingdao branch) has a signed contract: pump × 10, valve × 10, in stock
    order = Order(staff, staff.sales_c)

    # the salesperson raises the requisition from the list, picking the contract
    sales = log_in(chromium, base, "sales_c")
    sales.goto(f"{base}/fulfilment/requisitions/")
    sales.locator("[data-testid=new]").click()
    sales.locator("#id_contract").select_option(str(order.contract.pk))
    sales.locator("[data-testid=choose-contract]").click()
    form = sales.locator("[data-testid=requisition-form]")
    expect(form.locator("[data-testid=row-0] [data-testid=count]")).to_have_text(["10", "0", "10"])
    # all that is open by default; the salesperson asks for 6 pumps and all the valves
    form.locator("[data-testid=row-0] input").fill("6")
    form.locator("#id_consignee").fill("李工")
    form.locator("#id_consignee_phone").fill("13900000000")
    form.locator("#id_address").fill("山东省青岛市黄岛区长江中路 9 号")
    form.locator("[data-testid=save]").click()
    expect(_state(sales)).to_have_attribute("data-state", "draft")
    requisition = Requisition.objects.get()
    assert [line.quantity for line in requisition.lines.order_by("pk")] == [6, 10]
    sales.locator("[data-testid=act-submit]").click()
    expect(_state(sales)).to_have_attribute("data-state", "pending")

    # the branch manager approves first, then the branch's sales manager (W4.2-4.3)
    _approve_in_my_tasks(log_in(chromium, base, "branchmgr"), base, requisition.number)
    assert fresh(requisition).state == "pending"
    manager = log_in(chromium, base, "manager2")
    _approve_in_my_tasks(manager, base, requisition.number)
    manager.goto(f"{base}{requisition.get_absolute_url()}")
    expect(_state(manager)).to_have_attribute("data-state", "approved")

    # the sales office finds it in My tasks and issues the delivery note
    office = log_in(chromium, base, "office")
    _task(office, base, requisition.number).locator("a").first.click()
    office.locator("[data-testid=issue-note]").click()
    note_form = office.locator("[data-testid=note-form]")
    expect(note_form.locator("#id_consignee")).to_have_value("李工")
    note_form.locator("[data-testid=save]").click()
    expect(_state(office)).to_have_attribute("data-state", "issued")
    note = DeliveryNote.objects.get()
    expect(office.locator("[data-testid=number]")).to_have_text(note.number)

    # the warehouse has the note to ship (copy 2) and books the outbound by express
    warehouse = log_in(chromium, base, "warehouse")
    _task(warehouse, base, note.number).locator("a").first.click()
    warehouse.locator("[data-testid=book-outbound]").click()
    outbound_form = warehouse.locator("[data-testid=outbound-form]")
    # the vehicle and driver show only for the company's own car
    expect(outbound_form.locator("#id_vehicle")).to_be_hidden()
    outbound_form.locator("#id_method").select_option("company_vehicle")
    expect(outbound_form.locator("#id_vehicle")).to_be_visible()
    outbound_form.locator("#id_method").select_option("express")
    expect(outbound_form.locator("#id_driver")).to_be_hidden()
    # no price anywhere on the warehouse's form
    assert not re.search(r"1,?000\.00|500\.00|单价|金额", outbound_form.inner_text())
    outbound_form.locator("#id_carrier").fill("顺丰速运")
    outbound_form.locator("#id_tracking_numbers").fill("SF1234567890123")
    outbound_form.locator("[data-testid=save]").click()
    expect(_state(warehouse)).to_have_attribute("data-state", "shipped")
    expect(warehouse.locator("[data-testid=tracking-numbers]")).to_contain_text("SF1234567890123")
    outbound = Outbound.objects.get()
    assert fresh(note).state == "shipped"

    # the salesperson is asked for the customer's confirmation and records it with the scan
    _task(sales, base, outbound.number).locator("a").first.click()
    sales.locator("[data-testid=confirm]").click()
    confirm_form = sales.locator("[data-testid=confirmation-form]")
    confirm_form.locator("#id_signed_by").fill("李工")
    confirm_form.locator("#id_sign_kind").select_option("both")
    confirm_form.locator("#id_scan").set_input_files(files=[SCAN])
    confirm_form.locator("[data-testid=save]").click()
    expect(_state(sales)).to_have_attribute("data-state", "recorded")
    confirmation = Confirmation.objects.get()
    expect(sales.get_by_role("link", name="签收单.pdf")).to_be_visible()
    assert fresh(outbound).state == "confirmed"

    # the sales office archives the confirmation from its My tasks (W4.6)
    _task(office, base, confirmation.number).locator("a").first.click()
    office.locator("[data-testid=act-archive]").click()
    expect(_state(office)).to_have_attribute("data-state", "archived")
    assert fresh(confirmation).state == "archived"
    office.goto(f"{base}/tasks/")
    expect(office.locator(f"[data-testid=task][data-number='{confirmation.number}']")).to_have_count(0)
