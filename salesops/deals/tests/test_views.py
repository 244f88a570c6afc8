"""The deals pages: who opens what (200, 403, 404), forms naming bad lines (422), one whole deal
driven through the pages, and list pages whose query count does not grow with their rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesops.deals.choices import ContractState, InquiryState, QuotationState, SupportState
from salesops.deals.models import Contract, Inquiry, Quotation, SupportRequest
from salesops.deals.services import inquiries as inquiry_services
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db


def _act(client, doc, action, comment=""):
    url = reverse("workflow:document-act", args=[doc._meta.label_lower, doc.pk])
    return client.post(url, {"action": action, "comment": comment})


# --- who opens what -----------------------------------------------------------------------------

LISTS = [
    ("deals:inquiry-list", {"sales_a", "manager1", "branch_mgr", "boss", "admin"}),
    ("deals:quotation-list", {"sales_a", "manager1", "boss", "admin"}),
    ("deals:contract-list", {"sales_a", "manager1", "boss", "back_office", "admin"}),
    ("deals:phoneorder-list", {"sales_a", "manager1", "back_office"}),
    ("deals:supportrequest-list", {"sales_a", "technical", "purchasing", "manager1"}),
    ("deals:register-list", {"back_office", "boss", "admin"}),
    ("deals:pipeline", {"sales_a", "manager1", "boss"}),
    ("deals:inquiry-create", {"sales_a", "manager1"}),
    ("deals:phoneorder-create", {"sales_a"}),
]
OUTSIDERS = ("finance", "warehouse", "technical", "purchasing", "back_office")


@pytest.mark.parametrize(("url_name", "allowed"), LISTS)
def test_list_and_create_pages_open_for_their_roles_only(staff, web_client, url_name, allowed):
    for name in sorted(allowed):
        response = web_client(getattr(staff, name)).get(reverse(url_name))
        assert response.status_code == 200, (url_name, name)
    for name in OUTSIDERS:
        if name in allowed:
            continue
        response = web_client(getattr(staff, name)).get(reverse(url_name))
        assert response.status_code == 403, (url_name, name)


def test_a_salesperson_never_opens_anothers_inquiry_quotation_or_contract(staff, web_client):
    # given sales_a's inquiry, quotation and contract
    the_deal = f.deal(staff)
    quotation = f.quotation(staff.sales_a, the_deal)
    contract = cf.Deal(staff).draft()
    urls = [
        reverse("deals:inquiry-detail", args=[the_deal.inquiry.pk]),
        reverse("deals:inquiry-update", args=[the_deal.inquiry.pk]),
        reverse("deals:quotation-detail", args=[quotation.pk]),
        reverse("deals:quotation-update", args=[quotation.pk]),
        reverse("deals:contract-detail", args=[contract.pk]),
        reverse("deals:contract-sign", args=[contract.pk]),
        reverse("deals:quotation-create") + f"?inquiry={the_deal.inquiry.pk}",
    ]
    # then the owner and the manager open them, sales_b (same department) gets 404 on each
    for url in urls[::2]:
        assert web_client(staff.sales_a).get(url).status_code == 200, url
        assert web_client(staff.manager1).get(url).status_code == 200, url
    for url in urls:
        assert web_client(staff.sales_b).get(url).status_code == 404, url
    # and a role outside sales is refused at the door
    assert web_client(staff.finance).get(urls[0]).status_code == 403


def test_inquiry_detail_shows_lines_supports_and_the_panel_buttons(staff, web_client):
    # given a reported inquiry with a support request
    the_deal = f.deal(staff, bid=False)
    inquiry_services.support_request_create(
        actor=staff.sales_a, inquiry=the_deal.inquiry, kind="technical", question="型号参数?", due_on=f.in_days(3)
    )
    # when the manager opens it
    response = web_client(staff.manager1).get(the_deal.inquiry.get_absolute_url())
    # then the lines, the request (with the waive form) and the bid/decline buttons are there
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="line"') == 2
    assert "型号参数?" in html
    assert 'data-testid="waive"' in html
    assert 'data-testid="act-bid"' in html
    assert 'data-testid="act-decline"' in html


def test_inquiry_form_creates_an_inquiry_with_its_lines(staff, web_client):
    cust = f.customer(staff, staff.sales_a)
    seeder = f.product()
    data = {
        "customer": cust.pk,
        "kind": "tender",
        "source": "government",
        "title": "政府集中采购",
        "estimated_amount": "5000.00",
        "product_1": seeder.pk,
        "quantity_1": "3",
    }
    response = web_client(staff.sales_a).post(reverse("deals:inquiry-create"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get(title="政府集中采购")
    assert inquiry.state == InquiryState.REPORTED
    assert [(line.product_id, line.quantity) for line in inquiry.lines.all()] == [(seeder.pk, Decimal("3"))]


def test_inquiry_form_with_a_zero_quantity_answers_422_on_that_row(staff, web_client):
    cust = f.customer(staff, staff.sales_a)
    seeder = f.product()
    data = {
        "customer": cust.pk,
        "kind": "inquiry",
        "source": "visit",
        "title": "坏数量",
        "product_2": seeder.pk,
        "quantity_2": "0",
    }
    response = web_client(staff.sales_a).post(reverse("deals:inquiry-create"), data)
    assert response.status_code == 422
    assert 'data-field-error="quantity_2"' in response.content.decode()
    assert not Inquiry.objects.filter(title="坏数量").exists()


def test_quotation_form_with_a_three_decimal_price_answers_422_naming_the_price(staff, web_client):
    the_deal = f.deal(staff)
    url = reverse("deals:quotation-create") + f"?inquiry={the_deal.inquiry.pk}"
    assert web_client(staff.sales_a).get(url).status_code == 200
    data = {
        "valid_until": f.in_days(30).isoformat(),
        "payment_terms": "on_delivery",
        "product_1": the_deal.seeder.pk,
        "quantity_1": "2",
        "unit_price_1": "999.999",
    }
    response = web_client(staff.sales_a).post(url, data)
    assert response.status_code == 422
    assert 'data-field-error="unit_price_1"' in response.content.decode()
    assert not Quotation.objects.filter(inquiry=the_deal.inquiry).exists()


def test_technical_answers_the_request_addressed_to_it_and_sales_cannot(staff, web_client):
    the_deal = f.deal(staff)
    request = inquiry_services.support_request_create(
        actor=staff.sales_a, inquiry=the_deal.inquiry, kind="technical", question="参数", due_on=f.in_days(3)
    )
    detail = reverse("deals:supportrequest-detail", args=[request.pk])
    answer = reverse("deals:supportrequest-answer", args=[request.pk])
    # purchasing does not see a technical request; the salesperson may not answer it
    assert web_client(staff.purchasing).get(detail).status_code == 404
    assert web_client(staff.sales_a).post(answer, {"answer": "x"}).status_code == 403
    # technical sees it in its list and answers it
    tech = web_client(staff.technical)
    assert "参数" in tech.get(reverse("deals:supportrequest-list")).content.decode()
    assert 'data-testid="answer-form"' in tech.get(detail).content.decode()
    assert tech.post(answer, {"answer": ""}).status_code == 422
    assert tech.post(answer, {"answer": "型号 2BYF-4"}).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.answer) == (SupportState.ANSWERED, "型号 2BYF-4")


def test_manager_waives_a_request_from_the_inquiry_page(staff, web_client):
    the_deal = f.deal(staff)
    request = inquiry_services.support_request_create(
        actor=staff.sales_a, inquiry=the_deal.inquiry, kind="purchasing", question="钢材价格", due_on=f.in_days(3)
    )
    url = reverse("deals:supportrequest-waive", args=[request.pk])
    assert web_client(staff.sales_a).post(url, {"reason": "x"}).status_code == 403
    back = the_deal.inquiry.get_absolute_url()
    response = web_client(staff.manager1).post(url, {"reason": "价格已知", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert SupportRequest.objects.get(pk=request.pk).state == SupportState.WAIVED


# --- one whole deal through the pages -----------------------------------------------------------


def test_inquiry_to_signed_contract_through_the_pages(staff, web_client):
    sales, manager = web_client(staff.sales_a), web_client(staff.manager1)
    cust = f.customer(staff, staff.sales_a)
    seeder = f.product(standard="1000.00", floor="800.00")
    # the salesperson records the inquiry
    response = sales.post(
        reverse("deals:inquiry-create"),
        {
            "customer": cust.pk,
            "kind": "inquiry",
            "source": "phone",
            "title": "全流程",
            "product_1": seeder.pk,
            "quantity_1": "2",
        },
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get(title="全流程")
    # the manager decides to bid
    _act(manager, inquiry, "bid")
    inquiry.refresh_from_db()
    assert inquiry.state == InquiryState.BIDDING
    # the salesperson quotes (the form starts from the inquiry's lines at the standard price)
    url = reverse("deals:quotation-create") + f"?inquiry={inquiry.pk}"
    page = sales.get(url).content.decode()
    assert 'value="1000.00"' in page
    response = sales.post(
        url,
        {
            "valid_until": f.in_days(20).isoformat(),
            "payment_terms": "on_delivery",
            "delivery_time": "15 天",
            "product_1": seeder.pk,
            "quantity_1": "2",
            "unit_price_1": "1000.00",
        },
    )
    assert response.status_code == 302
    quotation = Quotation.objects.get(inquiry=inquiry)
    assert quotation.total_amount == Decimal("2000.00")
    # submit, the manager approves, the salesperson issues
    _act(sales, quotation, "submit")
    assert 'data-testid="act-approve"' in manager.get(quotation.get_absolute_url()).content.decode()
    _act(manager, quotation, "approve")
    _act(sales, quotation, "issue")
    quotation.refresh_from_db()
    assert quotation.state == QuotationState.ISSUED
    # a negotiation note, then the contract drafted from the quotation page
    assert (
        sales.post(
            reverse("deals:quotation-note", args=[quotation.pk]),
            {"happened_on": timezone.localdate().isoformat(), "note": "客户要求降价"},
        ).status_code
        == 302
    )
    assert "客户要求降价" in sales.get(quotation.get_absolute_url()).content.decode()
    response = sales.post(reverse("deals:contract-create", args=[quotation.pk]))
    contract = Contract.objects.get(quotation=quotation)
    assert response["Location"] == contract.get_absolute_url()
    page = sales.get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="side-by-side"' in page and 'data-testid="deviation"' not in page
    _act(sales, contract, "submit")
    contract.refresh_from_db()
    assert contract.state == ContractState.CONFIRMED
    # the salesperson records the signing with the scan
    response = sales.post(
        reverse("deals:contract-sign", args=[contract.pk]),
        {"signed_on": timezone.localdate().isoformat(), "scan": cf.scan()},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    # the sales office archives it from the panel
    office = web_client(staff.back_office)
    assert 'data-testid="act-archive"' in office.get(contract.get_absolute_url()).content.decode()
    _act(office, contract, "archive")
    contract.refresh_from_db()
    assert contract.state == ContractState.ARCHIVED


def test_quotation_outcome_lost_with_competitor_and_price(staff, web_client):
    the_deal = f.deal(staff)
    quotation = f.issued_quotation(staff, the_deal)
    rival = f.competitor()
    url = reverse("deals:quotation-lost", args=[quotation.pk])
    sales = web_client(staff.sales_a)
    assert sales.get(url).status_code == 200
    response = sales.post(url, {"note": "价格高", "competitor": rival.pk, "winning_price": "2500.00"})
    assert response.status_code == 302
    quotation.refresh_from_db()
    assert (quotation.state, quotation.lost_to_id, quotation.lost_price) == (
        QuotationState.LOST,
        rival.pk,
        Decimal("2500.00"),
    )
    assert "价格高" in sales.get(quotation.get_absolute_url()).content.decode()


def test_contract_page_marks_the_deviations(staff, web_client):
    deal = cf.Deal(staff)
    contract = cf.deviating(deal.draft(), deal)
    page = web_client(staff.sales_a).get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="deviations"' in page
    assert 'data-testid="deviation"' in page


def test_signing_without_confirmation_is_refused_on_the_form(staff, web_client):
    deal = cf.Deal(staff)
    contract = deal.draft()
    response = web_client(staff.sales_a).post(
        reverse("deals:contract-sign", args=[contract.pk]),
        {"signed_on": timezone.localdate().isoformat(), "scan": cf.scan()},
    )
    assert response.status_code == 409
    contract.refresh_from_db()
    assert contract.state == ContractState.DRAFT


# --- phone orders, register, pipeline -----------------------------------------------------------


def test_phone_order_form_and_detail(staff, web_client):
    cust = f.customer(staff, staff.sales_a)
    pump = f.product()
    sales = web_client(staff.sales_a)
    data = {
        "customer": cust.pk,
        "channel": "fax",
        "received_on": timezone.localdate().isoformat(),
        "reason_without_contract": "老客户",
        "payment_terms": "on_delivery",
        "product_1": pump.pk,
        "quantity_1": "-1",
        "unit_price_1": "10.00",
    }
    bad = sales.post(reverse("deals:phoneorder-create"), data)
    assert bad.status_code == 422
    assert 'data-field-error="quantity_1"' in bad.content.decode()
    response = sales.post(reverse("deals:phoneorder-create"), {**data, "quantity_1": "1"})
    assert response.status_code == 302
    page = sales.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="act-submit"' in page.content.decode()
    assert web_client(staff.sales_b).get(response["Location"]).status_code == 404


def test_register_detail_lists_numbers_in_order_and_exports(staff, web_client):
    first, second = cf.Deal(staff).draft(), cf.Deal(staff).draft()
    period = first.number[2:8]
    office = web_client(staff.back_office)
    page = office.get(reverse("deals:register-detail", args=[period]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(first.number) < html.index(second.number)
    assert 'data-testid="submit"' in html
    assert web_client(staff.boss).get(reverse("deals:register-detail", args=[period])).status_code == 200
    assert web_client(staff.sales_a).get(reverse("deals:register-detail", args=[period])).status_code == 403
    export = office.get(reverse("deals:register-export", args=[period]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert office.get(reverse("deals:register-detail", args=["209913"])).status_code == 404


def test_register_compile_and_submit_from_the_page(staff, web_client):
    today = timezone.localdate()
    period = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y%m")
    office = web_client(staff.back_office)
    url = reverse("deals:register-act", args=[period])
    assert web_client(staff.boss).post(url, {"action": "submit"}).status_code == 403
    office.post(url, {"action": "compile"})
    office.post(url, {"action": "submit"})
    page = office.get(reverse("deals:register-list")).content.decode()
    assert f'data-period="{period}"' in page
    detail = office.get(reverse("deals:register-detail", args=[period])).content.decode()
    assert 'data-testid="submit"' not in detail


def test_pipeline_shows_the_board_and_the_charts(staff, web_client):
    f.deal(staff)
    page = web_client(staff.manager1).get(reverse("deals:pipeline"), {"date_from": "2000-01-01"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="stage"') == 11
    assert 'data-testid="pipeline-chart"' in html and 'data-testid="funnel-chart"' in html
    assert "<script>" not in html and 'style="' not in html


# --- list pages do not grow their queries with their rows ---------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _inquiries(staff, n):
    cust = f.customer(staff, staff.sales_a)
    for _i in range(n):
        f.inquiry(staff.sales_a, cust)


def _quotations(staff, n):
    the_deal = f.deal(staff)
    for _i in range(n):
        f.quotation(staff.sales_a, the_deal)


def _contracts(staff, n):
    for _i in range(n):
        cf.Deal(staff).draft()


def _orders(staff, n):
    cust = f.customer(staff, staff.sales_a)
    pump = f.product()
    for _i in range(n):
        cf.phone_order(staff.sales_a, cust, [(pump, "1", "10.00")])


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("deals:inquiry-list", _inquiries),
        ("deals:quotation-list", _quotations),
        ("deals:contract-list", _contracts),
        ("deals:phoneorder-list", _orders),
    ],
)
def test_list_queries_do_not_grow_with_rows(staff, web_client, url_name, make):
    client = web_client(staff.manager1)
    url = reverse(url_name)
    make(staff, 5)
    with_five = _queries(client, url)
    make(staff, 15)
    assert _queries(client, url) == with_five


def test_contract_edit_form_makes_a_deviation_that_needs_re_confirmation(staff, web_client):
    # given a drafted contract, identical to its quotation
    deal = cf.Deal(staff)
    contract = deal.draft()
    url = reverse("deals:contract-update", args=[contract.pk])
    sales = web_client(staff.sales_a)
    assert 'value="1000.00"' in sales.get(url).content.decode()
    assert web_client(staff.sales_b).get(url).status_code == 404
    data = {
        "version": contract.version,
        "payment_terms": contract.payment_terms,
        "product_1": deal.pump.pk,
        "quantity_1": "10",
        "unit_price_1": "900.00",
        "product_2": deal.valve.pk,
        "quantity_2": "10",
        "unit_price_2": "500.00",
    }
    # when a stale version is posted nothing changes
    assert sales.post(url, {**data, "version": contract.version + 5}).status_code == 409
    # when the first line's price is cut
    assert sales.post(url, data).status_code == 302
    contract.refresh_from_db()
    # then the deviation is marked and the submission waits for the manager
    assert contract.deviations
    assert 'data-testid="deviation"' in sales.get(contract.get_absolute_url()).content.decode()
    _act(sales, contract, "submit")
    contract.refresh_from_db()
    assert contract.state == ContractState.PENDING
    page = web_client(staff.manager1).get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="act-confirm"' in page


def test_phone_order_edit_form(staff, web_client):
    cust = f.customer(staff, staff.sales_a)
    pump = f.product()
    order = cf.phone_order(staff.sales_a, cust, [(pump, "1", "10.00")])
    url = reverse("deals:phoneorder-update", args=[order.pk])
    sales = web_client(staff.sales_a)
    assert sales.get(url).status_code == 200
    data = {
        "version": order.version,
        "customer": cust.pk,
        "channel": "phone",
        "received_on": timezone.localdate().isoformat(),
        "reason_without_contract": "补货",
        "payment_terms": "on_delivery",
        "product_1": pump.pk,
        "quantity_1": "3",
        "unit_price_1": "10.00",
    }
    assert sales.post(url, data).status_code == 302
    order.refresh_from_db()
    assert order.total_amount == Decimal("30.00")
    assert web_client(staff.sales_b).post(url, data).status_code == 404


def test_manager_filters_inquiries_by_salesperson(staff, web_client):
    cust_a, cust_b = f.customer(staff, staff.sales_a), f.customer(staff, staff.sales_b)
    mine = f.inquiry(staff.sales_a, cust_a)
    theirs = f.inquiry(staff.sales_b, cust_b)
    manager = web_client(staff.manager1)
    page = manager.get(reverse("deals:inquiry-list"), {"owner": staff.sales_b.pk}).content.decode()
    assert theirs.number in page and mine.number not in page
    assert 'data-testid="owner-filter"' in page
    # a salesperson's list holds only their own, whatever the filter asks
    page = web_client(staff.sales_a).get(reverse("deals:inquiry-list"), {"owner": staff.sales_b.pk}).content.decode()
    assert theirs.number not in page


def test_panel_buttons_decide_decline_and_leadership_instructs_a_major_inquiry(staff, web_client):
    # given a major (flagged) inquiry and a plain one
    major = f.deal(staff, bid=False, is_flagged_major=True).inquiry
    plain = f.deal(staff, bid=False).inquiry
    manager, boss = web_client(staff.manager1), web_client(staff.boss)
    # the manager declines the plain one with a reason; the reason shows on the page
    _act(manager, plain, "decline", "客户预算不足")
    plain.refresh_from_db()
    assert plain.state == InquiryState.DECLINED
    assert "客户预算不足" in manager.get(plain.get_absolute_url()).content.decode()
    # the manager's bid on the major one waits for leadership, whose page offers the instruction
    _act(manager, major, "bid")
    major.refresh_from_db()
    assert major.state == InquiryState.DECIDING
    assert 'data-testid="act-instruct"' in boss.get(major.get_absolute_url()).content.decode()
    assert 'data-testid="act-instruct"' not in manager.get(major.get_absolute_url()).content.decode()
    _act(boss, major, "instruct")
    major.refresh_from_db()
    assert major.state == InquiryState.BIDDING


def test_quotation_page_warns_of_a_non_standard_price_and_revising_keeps_the_revisions(staff, web_client):
    # given an issued quotation priced under the floor (R4)
    the_deal = f.deal(staff)
    quotation = f.issued_quotation(staff, the_deal, the_deal.lines(seeder_price="700.00"))
    sales = web_client(staff.sales_a)
    page = sales.get(quotation.get_absolute_url()).content.decode()
    assert 'data-testid="non-standard"' in page
    assert 'data-testid="revise"' in page
    # when the salesperson revises it
    response = sales.post(reverse("deals:quotation-revise", args=[quotation.pk]))
    revision = Quotation.objects.get(previous=quotation)
    assert response["Location"] == revision.get_absolute_url()
    # then both revisions are listed on the new one, the earlier one still readable
    page = sales.get(revision.get_absolute_url()).content.decode()
    assert page.count('data-testid="revisions"') == 1 and quotation.get_absolute_url() in page
    assert sales.get(quotation.get_absolute_url()).status_code == 200
    # and another salesperson cannot revise it
    assert web_client(staff.sales_b).post(reverse("deals:quotation-revise", args=[revision.pk])).status_code == 404


def test_a_late_archive_is_badged_on_the_contract_page(staff, web_client):
    from salesops.deals.services import contracts as contract_services

    # given a contract signed today
    contract = cf.signed_contract(staff, cf.Deal(staff))
    office = web_client(staff.back_office)
    assert 'data-testid="archived-late"' not in office.get(contract.get_absolute_url()).content.decode()
    # when the sales office archives it tomorrow
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with cf.clock(cf.local(tomorrow)):
        contract_services.contract_archive(actor=staff.back_office, contract=contract)
    # then the page and the list show it late
    assert 'data-testid="archived-late"' in office.get(contract.get_absolute_url()).content.decode()
    assert "bg-danger" in office.get(reverse("deals:contract-list")).content.decode()


def test_list_search_answers_htmx_with_the_results_block_only(staff, web_client):
    cust = f.customer(staff, staff.sales_a)
    wanted = f.inquiry(staff.sales_a, cust, title="拖拉机配件")
    other = f.inquiry(staff.sales_a, cust, title="收割机")
    response = web_client(staff.sales_a).get(reverse("deals:inquiry-list"), {"q": "拖拉机"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert wanted.number in html and other.number not in html


@pytest.mark.parametrize("url_name", ["deals:contract-list", "deals:phoneorder-list"])
def test_contract_and_order_lists_filter_by_state_salesperson_and_month_and_search(staff, web_client, url_name):
    # given a document of sales_a's and one of sales_b's (same department, manager1)
    if url_name == "deals:contract-list":
        mine, theirs = cf.Deal(staff).draft(), cf.Deal(staff, staff.sales_b).draft()
    else:
        pump = f.product()
        mine = cf.phone_order(staff.sales_a, f.customer(staff, staff.sales_a), [(pump, "1", "10.00")])
        theirs = cf.phone_order(staff.sales_b, f.customer(staff, staff.sales_b), [(pump, "1", "10.00")])
    manager = web_client(staff.manager1)
    url = reverse(url_name)

    def numbers(client, **params) -> set[str]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {n for n in (mine.number, theirs.number) if f'data-number="{n}"' in response.content.decode()}

    # then the manager filters by salesperson, by the number's month and by state, and searches
    page = manager.get(url).content.decode()
    assert 'name="owner"' in page and 'name="month"' in page and 'name="state"' in page
    assert numbers(manager) == {mine.number, theirs.number}
    assert numbers(manager, owner=staff.sales_b.pk) == {theirs.number}
    assert numbers(manager, month=mine.number[:8]) == {mine.number, theirs.number}
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y%m")
    assert numbers(manager, month=f"{mine.number[:2]}{last_month}") == set()
    assert numbers(manager, state="draft") == {mine.number, theirs.number}
    assert numbers(manager, state="confirmed") == set()
    assert numbers(manager, q=theirs.number) == {theirs.number}
    # and a salesperson sees only their own, without a salesperson filter to pick from
    own = web_client(staff.sales_a)
    assert 'name="owner"' not in own.get(url).content.decode()
    assert numbers(own) == numbers(own, owner=staff.sales_b.pk) == {mine.number}
