"""Warehouse pages (仓库): everyone signed in reads the list and a warehouse's page; only the admin
adds or edits one, through ``warehouse_create`` / ``warehouse_update``; the keeper is a warehouse
keeper (库管员) or nobody."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from salesops.catalog.models import Warehouse
from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.fulfilment.services import stock_receive
from salesops.org.roles import Role
from salesops.org.tests.factories import make_user
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:warehouse-list")
CREATE = reverse("catalog:warehouse-create")


def _codes(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-testid="warehouse-row" data-code="([^"]+)"', response.content.decode())


def _form(staff, **changes) -> dict:
    return {
        "code": "JN01",
        "name": "济南成品库",
        "branch": staff.head_office.pk,
        "address": "济南市高新区工业南路 1 号",
        "keeper": staff.warehouse.pk,
        "is_active": "on",
        **changes,
    }


def _events(warehouse) -> list[DocumentEvent]:
    content_type = ContentType.objects.get_for_model(Warehouse)
    return list(DocumentEvent.objects.filter(content_type=content_type, object_id=warehouse.pk).order_by("pk"))


def _snapshot() -> list[tuple]:
    return list(
        Warehouse.objects.order_by("pk").values_list("code", "name", "branch", "address", "keeper", "is_active")
    )


# --- the list -------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["sales_a", "warehouse", "technical", "admin"])
def test_everyone_signed_in_reads_the_list_and_a_warehouse_page(staff, web_client, reader):
    # given a warehouse with its keeper
    store = WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office, keeper=staff.warehouse)
    client = web_client(getattr(staff, reader))
    # when the reader opens the list and the warehouse's page
    page = client.get(LIST)
    detail = client.get(reverse("catalog:warehouse-detail", args=[store.pk]))
    # then both show the warehouse, its branch and keeper
    assert _codes(page) == ["JN01"]
    body = page.content.decode()
    assert "济南成品库" in body and "总部" in body and str(staff.warehouse) in body
    assert detail.status_code == 200
    assert 'data-testid="keeper">warehouse' in detail.content.decode()
    # and only the admin is offered "New warehouse" and "Edit"
    writer = reader == "admin"
    assert (CREATE in body) is writer
    assert (reverse("catalog:warehouse-update", args=[store.pk]) in detail.content.decode()) is writer


def test_anonymous_is_sent_to_sign_in_and_an_unknown_warehouse_is_404(staff, client, web_client):
    assert client.get(LIST).status_code == 302
    assert web_client(staff.sales_a).get(reverse("catalog:warehouse-detail", args=[999999])).status_code == 404
    assert web_client(staff.admin).get(reverse("catalog:warehouse-update", args=[999999])).status_code == 404


def test_search_by_code_name_or_address_and_filter_by_branch_and_active(staff, web_client):
    # given warehouses of both branches, one closed
    WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office, address="济南市高新区")
    WarehouseFactory(code="JN02", name="济南配件库", branch=staff.head_office, address="济南市历城区", is_active=False)
    WarehouseFactory(code="QD01", name="青岛成品库", branch=staff.branch, address="青岛市黄岛区")
    client = web_client(staff.sales_a)
    # then the search finds by code, name and address
    assert _codes(client.get(LIST, {"q": "qd0"})) == ["QD01"]
    assert _codes(client.get(LIST, {"q": "配件"})) == ["JN02"]
    assert _codes(client.get(LIST, {"q": "高新区"})) == ["JN01"]
    # and the filters narrow by branch and by active, together with the search
    assert _codes(client.get(LIST, {"branch": staff.branch.pk})) == ["QD01"]
    assert _codes(client.get(LIST, {"active": "0"})) == ["JN02"]
    assert _codes(client.get(LIST, {"branch": staff.head_office.pk, "active": "1"})) == ["JN01"]
    assert _codes(client.get(LIST, {"q": "成品", "branch": staff.head_office.pk})) == ["JN01"]
    # and sorts by name or branch, either way
    assert _codes(client.get(LIST, {"sort": "-code"})) == ["QD01", "JN02", "JN01"]
    assert _codes(client.get(LIST, {"sort": "-branch"}))[0] == "QD01"
    # and a nonsense filter or sort is ignored, not an error
    assert len(_codes(client.get(LIST, {"branch": "abc", "sort": "address"}))) == 3


def test_the_toolbar_reloads_only_the_results_and_the_branch_filter_offers_each_branch(staff, web_client):
    WarehouseFactory(code="JN01", branch=staff.head_office)
    WarehouseFactory(code="QD01", branch=staff.branch)
    client = web_client(staff.warehouse)
    page = client.get(LIST).content.decode()
    assert f'<option value="{staff.branch.pk}">青岛分公司</option>' in page
    partial = client.get(LIST, {"branch": staff.branch.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert 'data-code="QD01"' in partial and 'data-code="JN01"' not in partial


def test_a_long_list_pages_in_a_fixed_number_of_queries(staff, web_client, django_assert_max_num_queries):
    # given more warehouses than a page holds, each with a keeper
    keepers = [make_user(f"keeper{n}", Role.WAREHOUSE, branch=staff.head_office) for n in range(3)]
    for n in range(60):
        WarehouseFactory(code=f"K{n:03d}", branch=staff.head_office, keeper=keepers[n % 3])
    client = web_client(staff.sales_a)
    client.get(LIST)  # the session and the user are warm
    # when a reader opens the first and the last page
    with django_assert_max_num_queries(10):
        first = _codes(client.get(LIST))
    with django_assert_max_num_queries(10):
        last = _codes(client.get(LIST, {"page": 3}))
    # then each page shows its share (25 a page), not the same rows
    assert len(first) == 25 and first[0] == "K000"
    assert last == [f"K{n:03d}" for n in range(50, 60)]


def test_the_stock_link_opens_the_stock_of_that_warehouse_only(staff, web_client):
    # given stock of one product in two warehouses
    jinan = WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office)
    qingdao = WarehouseFactory(code="QD01", name="青岛成品库", branch=staff.branch)
    product = ProductFactory(unit="台")
    stock_receive(actor=staff.warehouse, warehouse_id=jinan.pk, product_id=product.pk, quantity=Decimal("7"))
    stock_receive(actor=staff.warehouse, warehouse_id=qingdao.pk, product_id=product.pk, quantity=Decimal("2"))
    client = web_client(staff.sales_a)
    # when the reader follows the row's "Stock" link
    row = re.search(r'data-code="QD01".*?</tr>', client.get(LIST).content.decode(), re.DOTALL)
    assert row
    link = re.search(r'data-testid="stock-link" href="([^"]+)"', row.group(0))
    assert link and link.group(1) == f"{reverse('fulfilment:stock-list')}?warehouse={qingdao.pk}"
    stock = client.get(link.group(1)).content.decode()
    # then only Qingdao's stock shows
    assert re.findall(r'data-testid="on-hand">([^<]+)<', stock) == ["2"]
    assert "青岛成品库" in stock and "济南成品库</td>" not in stock


# --- create and edit ------------------------------------------------------------------------


def test_admin_adds_a_warehouse_and_its_page_shows_it(staff, web_client):
    client = web_client(staff.admin)
    # the form offers only warehouse keepers
    form = client.get(CREATE)
    assert form.status_code == 200
    keepers = re.search(r'<select name="keeper".*?</select>', form.content.decode(), re.DOTALL)
    assert keepers and f'value="{staff.warehouse.pk}"' in keepers.group(0)
    assert f'value="{staff.sales_a.pk}"' not in keepers.group(0)
    # when the admin saves it
    response = client.post(CREATE, _form(staff))
    # then the warehouse is there, with its create event, and its page shows it
    store = Warehouse.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("catalog:warehouse-detail", args=[store.pk])
    assert (store.code, store.name, store.branch, store.keeper, store.is_active) == (
        "JN01",
        "济南成品库",
        staff.head_office,
        staff.warehouse,
        True,
    )
    assert [(e.action, e.actor) for e in _events(store)] == [("create", staff.admin)]
    page = client.get(response["Location"]).content.decode()
    assert "济南成品库" in page and "济南市高新区工业南路 1 号" in page


def test_admin_edits_a_warehouse_and_the_change_is_recorded(staff, web_client):
    store = WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office, keeper=staff.warehouse)
    url = reverse("catalog:warehouse-update", args=[store.pk])
    client = web_client(staff.admin)
    form = client.get(url).content.decode()
    assert 'value="济南成品库"' in form
    # when the admin moves it to the branch, clears the keeper and closes it
    response = client.post(url, _form(staff, name="青岛中转库", branch=staff.branch.pk, keeper="", is_active=""))
    # then it is saved, and the edit event names what changed
    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.name, store.branch, store.keeper, store.is_active) == ("青岛中转库", staff.branch, None, False)
    edit = _events(store)[-1]
    assert edit.action == "edit" and edit.actor == staff.admin
    assert {"name", "is_active"} <= set(edit.changes)
    assert "停用" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("reader", ["sales_a", "warehouse", "back_office"])
def test_others_may_read_but_not_add_or_edit_and_nothing_changes(staff, web_client, reader):
    store = WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office)
    before = _snapshot()
    client = web_client(getattr(staff, reader))
    update = reverse("catalog:warehouse-update", args=[store.pk])
    # when they open or post the admin's forms
    answers = [
        client.get(CREATE),
        client.post(CREATE, _form(staff, code="JN09")),
        client.get(update),
        client.post(update, _form(staff, name="改名库")),
    ]
    # then every one is refused, and no warehouse changed or appeared
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert _snapshot() == before
    assert _events(store) == []


def test_a_non_keeper_chosen_as_keeper_is_refused_on_the_field(staff, web_client):
    store = WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office, keeper=staff.warehouse)
    before = _snapshot()
    retired = make_user("oldkeeper", Role.WAREHOUSE, branch=staff.head_office, is_active=False)
    client = web_client(staff.admin)
    update = reverse("catalog:warehouse-update", args=[store.pk])
    for keeper in (staff.sales_a, retired):
        # when the admin posts a salesperson, or a keeper who left, as the keeper
        for url, data in (
            (CREATE, _form(staff, code="JN09", keeper=keeper.pk)),
            (update, _form(staff, keeper=keeper.pk)),
        ):
            response = client.post(url, data)
            # then the keeper field says why, in Chinese, and nothing is saved
            assert response.status_code == 422
            body = response.content.decode()
            assert '<div class="invalid-feedback d-block" data-field-error="keeper">不是库管员。</div>' in body
    assert _snapshot() == before


def test_a_taken_code_or_a_missing_name_is_refused_on_its_field(staff, web_client):
    WarehouseFactory(code="JN01", branch=staff.head_office)
    before = _snapshot()
    client = web_client(staff.admin)
    taken = client.post(CREATE, _form(staff, code="JN01"))
    assert taken.status_code == 422
    assert re.search(r'data-field-error="code">[^<]*已存在', taken.content.decode())
    missing = client.post(CREATE, _form(staff, name="", branch=""))
    assert missing.status_code == 422
    body = missing.content.decode()
    assert 'data-field-error="name">此字段为必填项。' in body and 'data-field-error="branch">' in body
    assert _snapshot() == before


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_adds_a_warehouse_in_the_browser_and_a_salesperson_finds_it(staff, live_server, chromium):
    from playwright.sync_api import expect

    from conftest import log_in

    base = live_server.url
    WarehouseFactory(code="JN01", name="济南成品库", branch=staff.head_office)
    # given the admin opens Warehouses from the menu and adds one with the keeper picked from the list
    admin = log_in(chromium, base, "admin")
    admin.locator(f"nav li.dropdown:has(a[href='{LIST}']) > a.dropdown-toggle").click()
    admin.locator(f"nav a.dropdown-item[href='{LIST}']").click()
    expect(admin.locator("[data-testid=warehouse-row]")).to_have_count(1)
    admin.locator(f"a[href='{CREATE}']").click()
    admin.fill("#id_code", "QD01")
    admin.fill("#id_name", "青岛成品库")
    admin.select_option("#id_branch", label="青岛分公司")
    admin.fill("#id_address", "青岛市黄岛区")
    expect(admin.locator("#id_keeper option")).to_have_text(["---------", "warehouse"])
    admin.select_option("#id_keeper", label="warehouse")
    admin.locator("main form button.btn-primary[type=submit]").click()
    # then the warehouse's page shows it
    expect(admin.locator("[data-testid=keeper]")).to_have_text("warehouse")
    expect(admin.locator("[data-testid=branch]")).to_have_text("青岛分公司")
    qingdao = Warehouse.objects.get(code="QD01")

    # when a salesperson types a code in the search box, then filters by branch (the results reload in place)
    sales = log_in(chromium, base, "sales_a")
    sales.goto(f"{base}{LIST}")
    expect(sales.locator(f"a[href='{CREATE}']")).to_have_count(0)
    sales.locator("#list-q").press_sequentially("qd0", delay=30)
    expect(sales.locator("[data-testid=warehouse-row]")).to_have_count(1)
    expect(sales.locator("[data-testid=warehouse-row]")).to_have_attribute("data-code", "QD01")
    sales.locator("#list-q").fill("")
    sales.select_option("#flt-branch", label="总部")
    expect(sales.locator("[data-testid=warehouse-row]")).to_have_attribute("data-code", "JN01")
    # and follows Qingdao's stock link from its page
    sales.goto(f"{base}{reverse('catalog:warehouse-detail', args=[qingdao.pk])}")
    sales.locator("a[data-testid=stock-link]").click()
    sales.wait_for_url(f"{base}{reverse('fulfilment:stock-list')}?warehouse={qingdao.pk}")
    expect(sales.locator("#flt-warehouse")).to_have_value(str(qingdao.pk))
