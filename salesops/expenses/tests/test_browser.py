"""End to end in Chromium: a salesperson files and submits an expense, the manager approves it in place
from My tasks, and the salesperson sees it approved (R3)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_expense_filed_submitted_and_approved_in_place(staff, live_server, chromium):
    from playwright.sync_api import expect

    artifacts = Path(settings.PROJECT_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url

    # given sales_a files an expense request and submits it
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}/expenses/new/")
    sales.select_option("select[name=category]", "entertainment")
    sales.fill("input[name=amount]", "860.00")
    sales.fill("input[name=planned_on]", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    sales.fill("textarea[name=purpose]", "招待青岛客户技术交流")
    sales.click("[data-testid=save]")
    sales.wait_for_url(f"{base}/expenses/*/")
    number = sales.locator("h1 [data-testid=number]").inner_text()
    expense_url = sales.url
    sales.click("[data-testid=act-submit]")
    expect(sales.locator("h1 [data-testid=state]")).to_have_attribute("data-state", "pending")

    # when manager1, in a second browser context, approves it in place from My tasks
    manager = log_in(chromium, base, "manager1")
    task = manager.locator(f"[data-testid=task][data-number='{number}']")
    expect(task).to_be_visible()
    expect(task).to_contain_text("¥860.00")
    manager.screenshot(path=str(artifacts / "my-tasks-before-approval.png"), full_page=True)
    task.locator("input[name=comment]").fill("同意")
    task.locator("[data-testid=approve]").click()
    outcome = manager.locator("[data-testid=task-outcome]")
    expect(outcome).to_contain_text(number)
    assert manager.url == f"{base}/tasks/"  # swapped in place, no navigation
    manager.screenshot(path=str(artifacts / "my-tasks-after-approval.png"), full_page=True)

    # then sales_a reloads the expense and sees it approved
    sales.goto(expense_url)
    expect(sales.locator("h1 [data-testid=state]")).to_have_attribute("data-state", "approved")
    expect(sales.locator("[data-testid=steps] [data-testid=step-status]")).to_have_count(1)

    # and the expense list draws its chart (ECharts from a vendored file, allowed by the CSP)
    sales.goto(f"{base}/expenses/")
    expect(sales.locator(f"[data-testid=row][data-number='{number}']")).to_be_visible()
    expect(sales.locator("[data-testid=category-chart] canvas")).to_have_count(1)
    expect(sales.locator("[data-testid=total-amount]")).to_have_text("¥860.00")
    sales.screenshot(path=str(artifacts / "expense-list.png"), full_page=True)

    # filtering reloads the results in place (HTMX) and the chart is drawn again
    sales.select_option("#flt-category", "travel")
    expect(sales.locator("[data-testid=total-amount]")).to_have_text("¥0.00")
    expect(sales.locator("[data-testid=row]")).to_have_count(0)
    sales.select_option("#flt-category", "entertainment")
    expect(sales.locator("[data-testid=total-amount]")).to_have_text("¥860.00")
    expect(sales.locator("[data-testid=category-chart] canvas")).to_have_count(1)
    assert "category=entertainment" in sales.url
