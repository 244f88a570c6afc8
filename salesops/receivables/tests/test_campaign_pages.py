"""The statement campaign pages (R13): the list, a new campaign, a campaign's figures, chart and
statements with their filters, and who may open them."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesops.receivables.models import StatementRun, StatementState
from salesops.receivables.services.statements import default_cut_off

from .statement_data import campaign, paying_customer, sent, statement_of

pytestmark = pytest.mark.django_db


def _figure(html: str, key: str) -> int:
    found = re.search(rf'data-testid="figure-{key}">(\d+)<', html)
    assert found, key
    return int(found.group(1))


def _numbers(html: str) -> set[str]:
    return set(re.findall(r'data-testid="statement-row" data-number="([^"]+)"', html))


def test_the_new_campaign_form_offers_the_last_half_year_end_and_creates_the_campaign(staff, web_client):
    client = web_client(staff.back_office)
    page = client.get(reverse("receivables:statement-run-create"))
    assert page.status_code == 200
    assert default_cut_off(timezone.localdate()).isoformat() in page.content.decode()
    today = timezone.localdate()
    answer = client.post(reverse("receivables:statement-run-create"), {"period_end": today, "reply_working_days": 7})
    run = StatementRun.objects.get(period_end=today)
    assert answer.status_code == 302 and answer["Location"] == run.get_absolute_url()
    assert (run.reply_working_days, run.created_by) == (7, staff.back_office)
    # and the list shows it
    listing = client.get(reverse("receivables:statement-run-list")).content.decode()
    assert f'data-run="{run.pk}"' in listing


def test_a_second_campaign_at_the_same_cut_off_is_refused_on_its_field_and_changes_nothing(staff, web_client):
    today = timezone.localdate()
    first = campaign(staff, prepare=False)
    client = web_client(staff.finance)
    answer = client.post(reverse("receivables:statement-run-create"), {"period_end": today, "reply_working_days": 10})
    assert answer.status_code == 422
    assert set(answer.context["form"].errors) == {"period_end"}
    assert list(StatementRun.objects.values_list("pk", flat=True)) == [first.pk]
    # a reply time out of bounds is refused on its own field
    answer = client.post(
        reverse("receivables:statement-run-create"),
        {"period_end": today - timezone.timedelta(days=1), "reply_working_days": 0},
    )
    assert answer.status_code == 422 and set(answer.context["form"].errors) == {"reply_working_days"}
    assert StatementRun.objects.count() == 1


def test_the_campaign_page_shows_its_figures_chart_and_statements(staff, web_client):
    agreed_customer = paying_customer(staff)
    waiting_customer = paying_customer(staff, staff.sales_b)
    paying_customer(staff, staff.sales_c)
    run = campaign(staff)
    from salesops.fulfilment.tests.helpers import scan
    from salesops.receivables import services

    done = sent(statement_of(run, agreed_customer), staff.finance)
    services.statement_reply(
        statement=done, actor=staff.finance, agreed=True, replied_on=timezone.localdate(), signatory="李", scan=scan()
    )
    sent(statement_of(run, waiting_customer), staff.finance)
    html = web_client(staff.finance).get(run.get_absolute_url()).content.decode()
    assert (_figure(html, "prepared"), _figure(html, "sent"), _figure(html, "agreed")) == (3, 2, 1)
    assert (_figure(html, "disagreed"), _figure(html, "overdue")) == (0, 0)
    chart = json.loads(re.search(r'data-chart="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert [slice_["value"] for slice_ in chart["series"][0]["data"]] == [1, 1, 0, 1, 0]
    assert len(_numbers(html)) == 3


def test_the_campaign_statements_filter_by_state_salesperson_and_overdue_reply(staff, web_client, monkeypatch):
    mine = paying_customer(staff)
    theirs = paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    late = sent(statement_of(run, mine), staff.finance)
    client = web_client(staff.finance)
    url = run.get_absolute_url()
    assert _numbers(client.get(url, {"state": StatementState.SENT}).content.decode()) == {late.number}
    assert _numbers(client.get(url, {"owner": staff.sales_b.pk}).content.decode()) == {statement_of(run, theirs).number}
    assert _numbers(client.get(url, {"overdue": "1"}).content.decode()) == set()
    # once the reply date has passed
    later = late.reply_due + timezone.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    html = client.get(url, {"overdue": "1"}).content.decode()
    assert _numbers(html) == {late.number} and _figure(html, "overdue") == 1
    assert _numbers(client.get(url, {"overdue": "0"}).content.decode()) == {statement_of(run, theirs).number}


def test_a_manager_sees_the_figures_of_their_people_only(staff, web_client):
    paying_customer(staff)
    paying_customer(staff, staff.sales_c)  # the branch's: not manager1's
    run = campaign(staff)
    html = web_client(staff.manager1).get(run.get_absolute_url()).content.decode()
    assert _figure(html, "prepared") == 1 and len(_numbers(html)) == 1


def test_the_campaign_page_reads_a_bounded_number_of_queries(staff, web_client):
    for _ in range(3):
        paying_customer(staff)
    run = campaign(staff)
    client = web_client(staff.finance)
    client.get(run.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(run.get_absolute_url())
    for _ in range(4):
        paying_customer(staff, staff.sales_b)
    from salesops.receivables import services

    services.statements_prepare(actor=staff.finance, run=run)
    with CaptureQueriesContext(connection) as more:
        page = client.get(run.get_absolute_url())
    assert len(_numbers(page.content.decode())) == 7
    assert len(more) == len(few)


@pytest.mark.parametrize("role", ["sales_a", "warehouse"])
def test_the_campaign_pages_are_not_for_salespeople_nor_the_warehouse(staff, web_client, role):
    paying_customer(staff)
    run = campaign(staff)
    client = web_client(getattr(staff, role))
    for name, args in (
        ("statement-run-list", ()),
        ("statement-run-create", ()),
        ("statement-run", (run.pk,)),
        ("statement-run-email", (run.pk,)),
        ("statement-run-pdfs", (run.pk,)),
    ):
        assert client.get(reverse(f"receivables:{name}", args=args)).status_code == 403, name
    assert client.post(reverse("receivables:statement-run-prepare", args=[run.pk])).status_code == 403
    assert client.post(reverse("receivables:statement-run-create"), {"period_end": "2020-06-30"}).status_code == 403
    assert StatementRun.objects.count() == 1


def test_the_warehouse_opens_no_statement_page(staff, web_client):
    customer = paying_customer(staff)
    statement = statement_of(campaign(staff), customer)
    client = web_client(staff.warehouse)
    for name in ("statement-detail", "statement-send", "statement-agree", "statement-disagree"):
        assert client.get(reverse(f"receivables:{name}", args=[statement.pk])).status_code == 403, name
    assert client.get(reverse("receivables:statement-unanswered")).status_code == 403
    print_url = reverse("workflow:document-print", args=["receivables.statement", statement.pk])
    assert client.get(print_url).status_code == 404


def test_a_salesperson_sees_only_their_customers_statements(staff, web_client):
    mine = paying_customer(staff)
    theirs = paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    client = web_client(staff.sales_a)
    assert client.get(statement_of(run, mine).get_absolute_url()).status_code == 200
    assert client.get(statement_of(run, theirs).get_absolute_url()).status_code == 404
    assert client.get(reverse("receivables:statement-send", args=[statement_of(run, theirs).pk])).status_code == 404
    listing = client.get(reverse("receivables:statement-list")).content.decode()
    assert statement_of(run, mine).number in listing and statement_of(run, theirs).number not in listing


def test_the_statement_page_offers_the_steps_its_state_allows(staff, web_client):
    customer = paying_customer(staff)
    statement = statement_of(campaign(staff), customer)
    html = web_client(staff.sales_a).get(statement.get_absolute_url()).content.decode()
    assert reverse("receivables:statement-send", args=[statement.pk]) in html
    assert reverse("receivables:statement-agree", args=[statement.pk]) not in html
    assert 'data-testid="print"' in html
    assert 'data-testid="campaign"' not in html  # the campaign page is not the salesperson's
    sent(statement, staff.sales_a)
    html = web_client(staff.finance).get(statement.get_absolute_url()).content.decode()
    assert reverse("receivables:statement-send", args=[statement.pk]) not in html
    assert reverse("receivables:statement-agree", args=[statement.pk]) in html
    assert reverse("receivables:statement-disagree", args=[statement.pk]) in html
    assert 'data-testid="campaign"' in html
