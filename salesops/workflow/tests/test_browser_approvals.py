"""In Chromium: approvers decide from My tasks, in place. A manager approves a contract that deviates
from its quotation; a sales manager's own quotation reaches the manager's superior, who approves it."""

import pytest

from conftest import log_in
from salesops.workflow.registry import document_type
from salesops.workflow.tests.kit import fresh, pending_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted(sample):
    return document_type(sample.doc._meta.label_lower).act(sample.doc, sample.start, actor=sample.starter)


def _approve_in_my_tasks(page, base: str, number: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/tasks/")
    task = page.locator(f"[data-testid=task][data-number='{number}']")
    expect(task).to_be_visible()
    before = int(page.locator("[data-testid=task-count]").inner_text())
    task.locator("[data-testid=approve]").click()
    outcome = page.locator("[data-testid=task-outcome]")
    expect(outcome).to_contain_text(number)
    expect(outcome).not_to_have_class("list-group-item-danger")
    # the count follows the decision without a reload
    expect(page.locator("[data-testid=task-count]")).to_have_text(str(before - 1))


def test_a_manager_approves_a_deviating_contract_from_my_tasks(staff, live_server, chromium):
    from playwright.sync_api import expect

    from salesops.deals.tests import samples

    # given sales_a's contract lowers a price from the quotation and goes for re-confirmation
    contract = _submitted(samples.contract(staff, staff.sales_a))
    assert contract.state == "pending" and pending_step(contract).approver == staff.manager1
    manager = log_in(chromium, live_server.url, "manager1")
    # the task says why it needs approval
    manager.goto(f"{live_server.url}/tasks/")
    expect(manager.locator(f"[data-testid=task][data-number='{contract.number}']")).to_contain_text("与报价不一致")
    # when the manager approves it in place
    _approve_in_my_tasks(manager, live_server.url, contract.number)
    # then the contract is confirmed, ready to sign
    assert fresh(contract).state == "confirmed"
    manager.goto(f"{live_server.url}{contract.get_absolute_url()}")
    expect(manager.locator("h1 [data-testid=state]")).to_contain_text("已确认")


def test_a_managers_own_quotation_is_approved_by_the_managers_superior(staff, live_server, chromium):
    from playwright.sync_api import expect

    from salesops.deals.tests import samples

    # given manager1 reports to leadership (boss) and drafts a quotation of their own
    staff.manager1.manager = staff.boss
    staff.manager1.save(update_fields=["manager"])
    quotation = _submitted(samples.quotation(staff, staff.manager1))
    assert pending_step(quotation).approver == staff.boss
    # the manager's own My tasks does not offer it to them, nor to the other sales manager
    for name in ("manager1", "manager2"):
        page = log_in(chromium, live_server.url, name)
        page.goto(f"{live_server.url}/tasks/")
        expect(page.locator(f"[data-testid=task][data-number='{quotation.number}']")).to_have_count(0)
    # when the superior approves it from My tasks
    boss = log_in(chromium, live_server.url, "boss")
    _approve_in_my_tasks(boss, live_server.url, quotation.number)
    # then it is approved, ready to issue
    assert fresh(quotation).state == "approved"
