"""End to end in Chromium: the manager opens "rules at risk", confirms one violation and waives
another with a reason; the salesperson sees both and appeals the confirmed one (issue 8)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import log_in
from salesops.compliance import services
from salesops.compliance.models import Violation
from salesops.expenses.tests import factories as ef

from .helpers import acknowledge_everyone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_confirms_and_waives_the_salesperson_appeals(staff, live_server, chromium):
    from playwright.sync_api import expect

    artifacts = Path(settings.PROJECT_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url
    # given two expenses sales_a spent before approval (R3), found by the sweep
    acknowledge_everyone()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ef.expense(staff.sales_a, incurred_on=yesterday, purpose="招待客户（先垫付）")
    ef.expense(staff.sales_a, incurred_on=yesterday, amount="120.00", purpose="打车")
    services.sweep(codes=["R3"])
    first, second = Violation.objects.order_by("pk")

    # when manager1 opens "rules at risk": both were found today, with the charts
    manager = log_in(chromium, base, "manager1")
    manager.goto(f"{base}/compliance/at-risk/")
    found = manager.locator("[data-testid=found-today]")
    expect(found).to_contain_text(first.number)
    expect(found).to_contain_text(second.number)
    expect(manager.locator("[data-testid=chart-by-rule] canvas")).to_have_count(1)
    manager.screenshot(path=str(artifacts / "rules-at-risk.png"), full_page=True)

    # and confirms the first and waives the second with a reason
    manager.click(f"text={first.number}")
    expect(manager.locator("[data-testid=rule-text]")).to_contain_text("销售费用应事先与销售经理核对")
    manager.click("[data-testid=act-confirm]")
    expect(manager.locator("h1 [data-testid=state]")).to_have_attribute("data-state", "confirmed")
    manager.goto(f"{base}/compliance/violations/{second.pk}/")
    waive = manager.locator("form:has([data-testid=act-waive])")
    waive.locator("input[name=comment]").fill("金额小，初犯，口头提醒")
    waive.locator("[data-testid=act-waive]").click()
    expect(manager.locator("h1 [data-testid=state]")).to_have_attribute("data-state", "waived")

    # then sales_a sees both in the list, and appeals the confirmed one
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}/compliance/violations/")
    expect(sales.locator(f"[data-testid=row][data-number='{first.number}']")).to_be_visible()
    expect(sales.locator(f"[data-testid=row][data-number='{second.number}']")).to_be_visible()
    sales.goto(f"{base}/compliance/violations/{first.pk}/")
    appeal = sales.locator("form:has([data-testid=act-appeal])")
    appeal.locator("input[name=comment]").fill("经理电话同意过")
    appeal.locator("[data-testid=act-appeal]").click()
    expect(sales.locator("h1 [data-testid=state]")).to_have_attribute("data-state", "appealed")
    sales.screenshot(path=str(artifacts / "violation-appealed.png"), full_page=True)
    # and the appeal waits for leadership in the boss's My tasks
    boss = log_in(chromium, base, "boss")
    expect(boss.locator(f"[data-testid=task][data-number='{first.number}']")).to_be_visible()
