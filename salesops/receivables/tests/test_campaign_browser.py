"""End to end in Chromium (R13): finance starts the half-year's campaign, prepares every statement in
the background, follows the figures and chart, sends one statement and records the customer's
disagreement with its differences."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import log_in
from salesops.receivables.models import Statement, StatementState

from .statement_data import paying_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_runs_a_campaign_and_records_a_disagreement(staff, live_server, chromium):
    from playwright.sync_api import expect

    artifacts = Path(settings.PROJECT_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url
    customer = paying_customer(staff)
    paying_customer(staff, staff.sales_b, email="cw@example.cn")

    # finance creates the campaign at today's cut-off and prepares every statement
    page = log_in(chromium, base, "finance")
    page.goto(f"{base}/receivables/statements/campaigns/")
    page.click("[data-testid=new-run]")
    page.fill("#id_period_end", timezone.localdate().isoformat())
    page.click("form[novalidate] button[type=submit]")
    page.click("[data-testid=prepare-all]")
    expect(page.locator("[data-testid=job-summary]")).to_be_visible()
    expect(page.locator("[data-testid=figure-prepared]")).to_have_text("2")
    expect(page.locator("[data-testid=progress-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=statement-row]")).to_have_count(2)
    page.screenshot(path=str(artifacts / "statement-campaign.png"), full_page=True)

    # sends sales_a's customer's statement by post, then records the customer's disagreement
    statement = Statement.objects.get(customer=customer)
    page.click(f"text={statement.number}")
    page.click("[data-testid=send]")
    page.select_option("#id_method", "post")
    page.fill("#id_sent_to", "客户财务部 李会计")
    page.click("form[data-testid=send-form] button[type=submit]")
    page.click("[data-testid=disagree]")
    page.fill("#id_signatory", "李会计")
    page.fill("#id_item_0", "SK 收款")
    page.fill("#id_ours_0", "-800.00")
    page.fill("#id_theirs_0", "-700.00")
    page.click("form[data-testid=disagree-form] button[type=submit]")
    expect(page.locator("[data-testid=differences]")).to_contain_text("-700.00")
    page.screenshot(path=str(artifacts / "statement-disagreed.png"), full_page=True)
    statement.refresh_from_db()
    assert statement.state == StatementState.DISAGREED
