"""End to end in Chromium (issue 3): a salesperson takes an inquiry through to a signed contract while
the manager, in a second browser context, decides to bid and approves the quotation from My tasks."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import log_in

# A small but well-formed one-page PDF: the signed scan.
SCAN_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(form, field: str, text: str, row) -> None:
    """Type into a type-ahead picker (core.pickers) and click its one match."""
    from playwright.sync_api import expect

    form.locator(f"#id_{field}").press_sequentially(text, delay=30)
    choice = form.locator(f"#id_{field}-results [data-picker-choice]")
    expect(choice).to_have_count(1)
    choice.click()
    expect(form.locator(f"#id_{field}-value")).to_have_value(str(row.pk))


def _state(page):
    return page.locator("h1 [data-testid=state]")


def test_inquiry_taken_to_a_signed_contract_while_the_manager_approves_in_another_context(
    staff, live_server, chromium, tmp_path
):
    from playwright.sync_api import expect

    from salesops.deals.choices import ContractState
    from salesops.deals.models import Contract, Inquiry, Quotation
    from salesops.deals.tests import factories as f

    artifacts = Path(settings.PROJECT_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url
    customer = f.customer(staff, staff.sales_a)
    seeder = f.product(standard="1000.00", floor="800.00")
    meter = f.product(standard="250.00", floor="200.00", name="排种器")
    scan = tmp_path / "signed-contract.pdf"
    scan.write_bytes(SCAN_PDF)

    # given sales_a records an inquiry on the page form
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}/deals/inquiries/new/")
    form = sales.locator("[data-testid=inquiry-form]")
    _pick(form, "customer", customer.code, customer)
    form.locator("select[name=kind]").select_option("inquiry")
    form.locator("select[name=source]").select_option("phone")
    form.locator("input[name=title]").fill("浏览器全流程")
    _pick(form, "product_1", seeder.code, seeder)
    form.locator("input[name=quantity_1]").fill("2")
    _pick(form, "product_2", meter.code, meter)
    form.locator("input[name=quantity_2]").fill("4")
    form.locator("[data-testid=save]").click()
    sales.wait_for_url(re.compile(r"/deals/inquiries/\d+/$"))
    expect(_state(sales)).to_have_attribute("data-state", "reported")
    inquiry_url = sales.url
    inquiry = Inquiry.objects.get(title="浏览器全流程")

    # when manager1, in a second browser context, decides to bid from the inquiry's document panel
    manager = log_in(chromium, base, "manager1")
    manager.goto(inquiry_url)
    manager.locator("[data-testid=actions] [data-testid=act-bid]").click()
    expect(_state(manager)).to_have_attribute("data-state", "bidding")

    # and sales_a quotes from the inquiry (lines prefilled at the standard prices) and submits
    sales.goto(inquiry_url)
    expect(_state(sales)).to_have_attribute("data-state", "bidding")
    sales.locator("[data-testid=new-quotation]").click()
    sales.wait_for_url(re.compile(r"/deals/quotations/new/\?inquiry=\d+$"))
    expect(sales.locator("input[name=unit_price_1]")).to_have_value("1000.00")
    sales.locator("select[name=payment_terms]").select_option("on_delivery")
    sales.locator("input[name=delivery_time]").fill("合同签订后 15 天")
    sales.locator("[data-testid=save]").click()
    sales.wait_for_url(re.compile(r"/deals/quotations/\d+/$"))
    expect(_state(sales)).to_have_attribute("data-state", "draft")
    quotation_url = sales.url
    quotation = Quotation.objects.get(inquiry=inquiry)
    assert quotation.total_amount == 3000
    sales.locator("[data-testid=actions] [data-testid=act-submit]").click()
    expect(_state(sales)).to_have_attribute("data-state", "pending")

    # and manager1 approves it in place from My tasks
    manager.goto(f"{base}/tasks/")
    task = manager.locator(f"[data-testid=task][data-number='{quotation.number}']")
    expect(task).to_be_visible()
    task.locator("input[name=comment]").fill("同意报价")
    task.locator("[data-testid=approve]").click()
    outcome = manager.locator("[data-testid=task-outcome]")
    expect(outcome).to_contain_text(quotation.number)
    assert manager.url == f"{base}/tasks/"  # swapped in place, no navigation

    # and sales_a sees it approved, issues it and drafts the contract from it
    sales.goto(quotation_url)
    expect(_state(sales)).to_have_attribute("data-state", "approved")
    sales.locator("[data-testid=actions] [data-testid=act-issue]").click()
    expect(_state(sales)).to_have_attribute("data-state", "issued")
    sales.locator("[data-testid=draft-contract]").click()
    sales.wait_for_url(re.compile(r"/deals/contracts/\d+/$"))
    expect(_state(sales)).to_have_attribute("data-state", "draft")
    contract_url = sales.url
    expect(sales.locator("[data-testid=side-by-side]")).to_be_visible()
    expect(sales.locator("[data-testid=deviation]")).to_have_count(0)

    # and submits it: no deviations, so it is confirmed at once
    sales.locator("[data-testid=actions] [data-testid=act-submit]").click()
    expect(_state(sales)).to_have_attribute("data-state", "confirmed")

    # and records the signing with the date and the signed scan
    sales.locator("[data-testid=sign]").click()
    sales.wait_for_url(re.compile(r"/deals/contracts/\d+/sign/$"))
    sign_form = sales.locator("[data-testid=form]")
    signed_on = timezone.localdate()  # taken late: the service refuses a date before the confirmation
    sign_form.locator("input[name=signed_on]").fill(signed_on.isoformat())
    sign_form.locator("input[name=scan]").set_input_files(str(scan))
    sign_form.locator("[data-testid=save]").click()

    # then sales_a sees the contract signed on its page, with the scan attached
    sales.wait_for_url(contract_url)
    expect(_state(sales)).to_have_attribute("data-state", "signed")
    expect(sales.locator("[data-testid=actions]").locator("..")).to_contain_text("signed-contract.pdf")
    expect(sales.locator("[data-testid=sign]")).to_have_count(0)
    sales.screenshot(path=str(artifacts / "deals-contract-signed.png"), full_page=True)

    # and the database agrees
    contract = Contract.objects.get(quotation=quotation)
    assert contract.state == ContractState.SIGNED
    assert contract.signed_on == signed_on
    assert contract.owner_id == staff.sales_a.pk
