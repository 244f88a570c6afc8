"""The overview's pages and API as their readers use them: who sees which customers (finance all, a
salesperson their own, another salesperson 404, the warehouse 403), the figures shown, the ageing
export, the dunning list, the collection rate and its targets, and a page's queries bounded."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesops.customers.tests.factories import CustomerFactory
from salesops.receivables.models import BillCounting, CollectionTarget, ReceivablesSettings

from .helpers import Sale

pytestmark = pytest.mark.django_db

D = Decimal
ACCOUNT_ROW = re.compile(r'data-testid="account-row" data-customer="(\d+)"')
PAGES = ["receivables:accounts", "receivables:ageing", "receivables:dunning", "receivables:collection-rate"]


@pytest.fixture
def sales(staff):
    """sales_a's customer: 5,500.00 invoiced (due today), 2,000.00 paid; sales_c's (the branch): 1,000.00
    invoiced, nothing paid."""
    ours = Sale(staff)
    ours.invoice(ours.approved_invoice_request(lines=[(0, "4"), (1, "3")]))
    ours.receipt("2000.00")
    theirs = Sale(staff, owner=staff.sales_c)
    theirs.invoice(theirs.approved_invoice_request(lines=[(0, "1")]))
    return ours, theirs


def _customers(response) -> set[int]:
    return {int(pk) for pk in ACCOUNT_ROW.findall(response.content.decode())}


def test_finance_sees_every_account_a_salesperson_their_own(staff, web_client, sales):
    ours, theirs = sales
    finance = web_client(staff.finance).get(reverse("receivables:accounts"))
    assert _customers(finance) == {ours.customer.pk, theirs.customer.pk}
    assert finance.context["totals"]["invoiced"] == D("6500.00")
    mine = web_client(staff.sales_a).get(reverse("receivables:accounts"))
    assert _customers(mine) == {ours.customer.pk}
    row = mine.context["rows"][0]
    assert (row.invoiced_amount, row.paid_amount, row.balance_amount) == (D("5500.00"), D("2000.00"), D("3500.00"))
    assert _customers(web_client(staff.manager2).get(reverse("receivables:accounts"))) == {theirs.customer.pk}


def test_the_accounts_list_searches_filters_and_sorts(staff, web_client, sales):
    ours, theirs = sales
    client = web_client(staff.finance)
    url = reverse("receivables:accounts")
    assert _customers(client.get(url, {"q": theirs.customer.name})) == {theirs.customer.pk}
    assert _customers(client.get(url, {"salesperson": staff.sales_c.pk})) == {theirs.customer.pk}
    assert _customers(client.get(url, {"branch": staff.head_office.pk})) == {ours.customer.pk}
    assert _customers(client.get(url, {"overdue": "1"})) == set()  # both are due today
    assert [c.pk for c in client.get(url, {"sort": "-balance"}).context["rows"]] == [
        ours.customer.pk,
        theirs.customer.pk,
    ]
    assert [c.pk for c in client.get(url, {"sort": "balance"}).context["rows"]] == [
        theirs.customer.pk,
        ours.customer.pk,
    ]
    # a salesperson is offered no salesperson filter, and one sent is ignored
    mine = web_client(staff.sales_a).get(url, {"salesperson": staff.sales_c.pk})
    assert _customers(mine) == {ours.customer.pk}
    assert "salesperson" not in {flt.param for flt, _value in mine.context["filters"]}


def test_the_account_page_opens_for_whoever_sees_the_customer_and_is_404_for_others(staff, web_client, sales):
    ours, _theirs = sales
    url = reverse("receivables:account-detail", args=[ours.customer.pk])
    for who in ("sales_a", "manager1", "finance", "back_office", "boss"):
        response = web_client(getattr(staff, who)).get(url)
        assert response.status_code == 200, who
        detail = response.context["detail"]
        assert (detail.account.balance, detail.not_invoiced_value) == (D("3500.00"), D("9500.00"))
    for who in ("sales_b", "sales_c", "manager2", "branch_mgr"):
        assert web_client(getattr(staff, who)).get(url).status_code == 404, who
    assert web_client(staff.finance).get(reverse("receivables:account-detail", args=[10**9])).status_code == 404


@pytest.mark.parametrize("who", ["warehouse", "technical", "purchasing"])
def test_roles_that_see_no_customers_are_refused_every_page(staff, web_client, sales, who):
    client = web_client(getattr(staff, who))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("receivables:account-detail", args=[sales[0].customer.pk])).status_code == 403
    assert client.get(reverse("receivables:ageing"), {"format": "xlsx"}).status_code == 403


def test_every_page_opens_for_each_reader(staff, web_client, sales):
    for who in ("sales_a", "manager1", "branch_mgr", "finance", "back_office", "boss", "admin"):
        client = web_client(getattr(staff, who))
        for name in PAGES:
            assert client.get(reverse(name)).status_code == 200, (who, name)


def _sheet_rows(response) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_ageing_page_and_its_export_show_the_reader_s_customers(staff, web_client, sales):
    ours, theirs = sales
    response = web_client(staff.finance).get(reverse("receivables:ageing"))
    assert {row.customer for row in response.context["report"].rows} == {ours.customer, theirs.customer}
    assert '{"value": "4500.00"' in response.context["chart_option"]  # not due: 3,500.00 + 1,000.00
    # the export: a header row, one row per customer, the total; amounts as numbers
    rows = _sheet_rows(web_client(staff.finance).get(reverse("receivables:ageing"), {"format": "xlsx"}))
    assert len(rows) == 4
    assert rows[-1][3:] == (4500, 0, 0, 0, 0, 0, 4500)  # not due … over 90, overdue, open
    # a salesperson's export holds their own customer only, through the same selector
    mine = _sheet_rows(web_client(staff.sales_a).get(reverse("receivables:ageing"), {"format": "xlsx"}))
    assert [row[0] for row in mine[1:-1]] == [ours.customer.code]
    # and a filter narrows the export as it narrows the page
    narrowed = _sheet_rows(
        web_client(staff.finance).get(reverse("receivables:ageing"), {"format": "xlsx", "branch": staff.branch.pk})
    )
    assert [row[0] for row in narrowed[1:-1]] == [theirs.customer.code]


def test_the_dunning_page_groups_overdue_invoices_by_salesperson(staff, web_client, sales):
    # nothing is overdue on the due date itself
    assert web_client(staff.boss).get(reverse("receivables:dunning")).context["groups"] == []


def test_the_collection_rate_page_shows_the_rate_against_the_target(staff, web_client, sales):
    # given a target of 50 % for sales_a this month, set by their manager through the form
    today = timezone.localdate()
    response = web_client(staff.manager1).post(
        reverse("receivables:collection-target"),
        {
            "salesperson_id": staff.sales_a.pk,
            "period_kind": "month",
            "period_on": today.isoformat(),
            "target_percent": "50",
        },
    )
    assert response.status_code == 302
    # when leadership opens this month's collection rate
    page = web_client(staff.boss).get(reverse("receivables:collection-rate"), {"kind": "month"})
    report = page.context["report"]
    rows = {row.subject: (row.due, row.collected, row.rate, row.target) for row in report.rows}
    # then sales_a: 5,500.00 due, 2,000.00 collected (36.36 %) against 50 %; sales_c nothing collected
    assert rows == {
        staff.sales_a: (D("5500.00"), D("2000.00"), D("0.3636"), D("0.5000")),
        staff.sales_c: (D("1000.00"), D("0.00"), D("0.0000"), None),
    }
    assert report.period.start == today.replace(day=1)
    assert page.context["can_set_targets"] is False
    # and per branch, this quarter
    by_branch = web_client(staff.boss).get(reverse("receivables:collection-rate"), {"kind": "quarter", "by": "branch"})
    assert {row.subject for row in by_branch.context["report"].rows} == {staff.head_office, staff.branch}
    # and a named period is read from its label
    named = web_client(staff.boss).get(reverse("receivables:collection-rate"), {"kind": "year", "period": "2025"})
    assert named.context["report"].period.label == "2025" and named.context["report"].rows == []


def test_a_refused_target_shows_the_form_again_and_sets_nothing(staff, web_client):
    response = web_client(staff.manager1).post(
        reverse("receivables:collection-target"),
        {"period_kind": "month", "period_on": timezone.localdate().isoformat(), "target_percent": "90"},
    )
    assert response.status_code == 422
    assert not CollectionTarget.objects.exists()
    # a salesperson may not open the form
    assert web_client(staff.sales_a).get(reverse("receivables:collection-target")).status_code == 403


def test_only_the_admin_opens_the_settings(staff, web_client):
    assert web_client(staff.finance).get(reverse("receivables:settings")).status_code == 403
    client = web_client(staff.admin)
    assert client.get(reverse("receivables:settings")).status_code == 200
    assert client.post(reverse("receivables:settings"), {"bills_count": "maturity"}).status_code == 302
    assert ReceivablesSettings.current().bills_count == BillCounting.MATURITY


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_a_page_of_accounts_costs_the_same_queries_whatever_the_number_of_customers(
    staff, web_client, sales, django_assert_max_num_queries
):
    client = web_client(staff.finance)
    url = reverse("receivables:accounts")
    few = _queries(client, url)
    # given many more customers, and more invoices and receipts on one of them
    CustomerFactory.create_batch(30, owner=staff.sales_a, region=staff.region)
    ours, _theirs = sales
    ours.invoice(ours.approved_invoice_request(lines=[(0, "1")]))
    ours.receipt("10.00")
    # then a page (and the page of a filtered, sorted list) costs the same
    assert _queries(client, url) == few
    assert _queries(client, url, {"sort": "-overdue", "overdue": "0", "page": 2}) == few
    with django_assert_max_num_queries(few):
        client.get(url, {"salesperson": staff.sales_a.pk})


def test_the_reports_cost_the_same_queries_whatever_the_number_of_invoices(staff, web_client, sales):
    client = web_client(staff.boss)
    ReceivablesSettings.current()  # the settings' row is made on the first read, once
    counts = {name: _queries(client, reverse(name)) for name in PAGES[1:]}
    ours, theirs = sales
    for sale in (ours, theirs, ours):
        sale.invoice(sale.approved_invoice_request(lines=[(1, "1")]))
        sale.receipt("100.00")
    later = {name: _queries(client, reverse(name)) for name in PAGES[1:]}
    assert later == counts


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_answers_the_accounts_list_with_totals(staff, api_client, sales):
    ours, theirs = sales
    body = api_client(staff.finance).get("/api/receivables/accounts", {"sort": "-balance"}).json()
    assert [row["customer_id"] for row in body["items"]] == [ours.customer.pk, theirs.customer.pk]
    assert body["items"][0]["balance_amount"] == "3500.00"
    assert body["totals"]["balance"] == "4500.00"
    mine = api_client(staff.sales_a).get("/api/receivables/accounts").json()
    assert [row["customer_id"] for row in mine["items"]] == [ours.customer.pk]
    assert api_client(staff.warehouse).get("/api/receivables/accounts").status_code == 403


def test_the_api_answers_one_account_and_404_outside_the_scope(staff, api_client, sales):
    ours, _theirs = sales
    body = api_client(staff.sales_a).get(f"/api/receivables/accounts/{ours.customer.pk}").json()
    assert (body["balance"], body["paid"], body["overdue"]) == ("3500.00", "2000.00", "0.00")
    assert [row["open"] for row in body["by_contract"]] == ["3500.00"]
    assert [row["value"] for row in body["delivered_not_invoiced"]] == ["6000.00", "3500.00"]
    assert body["by_delivery"][0]["value"] == "15000.00"
    assert api_client(staff.sales_b).get(f"/api/receivables/accounts/{ours.customer.pk}").status_code == 404


def test_the_api_answers_the_reports(staff, api_client, sales):
    client = api_client(staff.manager1)
    ageing = client.get("/api/receivables/ageing").json()
    assert [row["customer_id"] for row in ageing["rows"]] == [sales[0].customer.pk]
    assert ageing["totals"]["amounts"]["not_due"] == "3500.00"
    assert client.get("/api/receivables/dunning").json() == {"rows": []}
    rate = client.get("/api/receivables/collection-rate", {"period": timezone.localdate().strftime("%Y-%m")}).json()
    assert [(row["subject_id"], row["rate"]) for row in rate["rows"]] == [(staff.sales_a.pk, "0.3636")]
    assert client.get("/api/receivables/collection-rate", {"period": "2026-13"}).status_code == 422


def test_the_api_sets_a_target_within_the_manager_s_team(staff, api_client):
    payload = {
        "salesperson_id": staff.sales_a.pk,
        "period_kind": "quarter",
        "period_on": "2026-05-20",
        "target_percent": "88.5",
    }
    response = api_client(staff.manager1).post("/api/receivables/collection-targets", payload, "application/json")
    assert response.status_code == 200
    assert (response.json()["period_start"], response.json()["target_rate"]) == ("2026-04-01", "0.8850")
    refused = api_client(staff.manager1).post(
        "/api/receivables/collection-targets", {**payload, "salesperson_id": staff.sales_c.pk}, "application/json"
    )
    assert refused.status_code == 422 and "salesperson_id" in refused.json()["extra"]["fields"]
    assert (
        api_client(staff.sales_a).post("/api/receivables/collection-targets", payload, "application/json").status_code
        == 403
    )
    assert CollectionTarget.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_finance_reads_the_accounts_and_the_charts_draw(staff, live_server, chromium):
    from playwright.sync_api import expect

    from conftest import log_in

    # given two customers with open invoices
    ours = Sale(staff)
    ours.invoice(ours.approved_invoice_request(lines=[(0, "4"), (1, "3")]))
    ours.receipt("2000.00")
    base = live_server.url
    page = log_in(chromium, base, "finance")
    # when finance opens the accounts list and follows a customer to their account
    page.goto(f"{base}/receivables/accounts/")
    row = page.locator(f"[data-testid=account-row][data-customer='{ours.customer.pk}']")
    expect(row.locator("[data-testid=balance]")).to_have_text("¥3,500.00")
    row.locator("a").first.click()
    expect(page.locator("[data-testid=account-figures] [data-testid=balance]")).to_have_text("¥3,500.00")
    expect(page.locator("[data-testid=not-invoiced-value]")).to_have_text("¥9,500.00")
    # then the ageing and the collection rate draw their charts
    page.goto(f"{base}/receivables/ageing/")
    expect(page.locator("[data-testid=ageing-chart] canvas")).to_have_count(1)
    page.goto(f"{base}/receivables/collection-rate/")
    expect(page.locator("[data-testid=collection-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=trend-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=collection-row] [data-testid=rate]")).to_have_text("36.4%")
