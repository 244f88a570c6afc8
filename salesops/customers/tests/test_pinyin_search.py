"""Customers are found by Chinese, full pinyin and initials, in the list (page and API) and in the
pickers, only within the user's scope; the key follows every write; queries stay fixed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.customers import services
from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory
from salesops.customers.tests.test_excel_import import xlsx
from salesops.customers.tests.test_permission_matrix import admin_form

pytestmark = pytest.mark.django_db

# Chinese, full pinyin, initials, and the mixes people type ("北京zg": the Chinese, then initials).
QUERIES = ["bj", "BJ", "beijing", "Bei Jing", "北京", "bjzg", "北京zg", "bj重工", "beijing重工", "北京 zhonggong"]


@pytest.fixture
def beijing(staff):
    """sales_a's 北京重工, next to sales_a's 上海机电 and sales_c's (another team's) 北京轴承."""
    CustomerFactory(owner=staff.sales_a, region=staff.region, code="SH01", name="上海机电")
    CustomerFactory(owner=staff.sales_c, region=staff.region, code="BJ02", name="北京轴承")
    return CustomerFactory(owner=staff.sales_a, region=staff.region, code="C0001", name="北京重工")


def picker_names(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-label="[^" ]+ ([^"]+)"', response.content.decode())


def listed_names(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r"北京重工|北京轴承|上海机电", response.content.decode()))


@pytest.mark.parametrize("query", QUERIES)
def test_the_list_page_finds_the_customer_by_chinese_pinyin_or_initials(staff, web_client, beijing, query):
    response = web_client(staff.sales_a).get("/customers/", {"q": query})
    # sales_a's customer is found; another team's 北京轴承 is not, neither is 上海机电
    assert listed_names(response) == {"北京重工"}


@pytest.mark.parametrize("query", QUERIES)
def test_the_api_list_finds_the_customer_the_same_way(staff, api_client, beijing, query):
    response = api_client(staff.sales_a).get("/api/customers/", {"q": query})
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["北京重工"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_customer_picker_finds_the_customer_the_same_way(staff, web_client, beijing, query):
    response = web_client(staff.sales_a).get("/pickers/customer/", {"q": query}, headers={"HX-Request": "true"})
    assert picker_names(response) == ["北京重工"]
    assert f'data-value="{beijing.pk}"' in response.content.decode()


def test_another_team_finds_only_its_own_beijing_customer(staff, web_client, api_client, beijing):
    # manager2 leads sales_c's team: 北京轴承 is theirs, 北京重工 is not
    assert picker_names(web_client(staff.manager2).get("/pickers/customer/", {"q": "bj"})) == ["北京轴承"]
    assert listed_names(web_client(staff.manager2).get("/customers/", {"q": "bj"})) == {"北京轴承"}
    items = api_client(staff.manager2).get("/api/customers/", {"q": "beijing"}).json()["items"]
    assert [item["name"] for item in items] == ["北京轴承"]


def test_a_salesperson_never_finds_another_salespersons_customer(staff, web_client, beijing):
    # sales_b (same team as sales_a) owns nothing: neither the list nor the picker shows sales_a's customer
    client = web_client(staff.sales_b)
    for query in ["bj", "beijing", "北京", "C0001", ""]:
        assert picker_names(client.get("/pickers/customer/", {"q": query})) == []
        assert listed_names(client.get("/customers/", {"q": query})) == set()


def test_leadership_and_the_sales_office_find_every_beijing_customer(staff, web_client, beijing):
    for user in (staff.boss, staff.back_office):
        assert picker_names(web_client(user).get("/pickers/customer/", {"q": "bj"})) == ["北京轴承", "北京重工"]


def test_roles_without_customers_are_refused_the_picker(staff, web_client, beijing):
    response = web_client(staff.warehouse).get("/pickers/customer/", {"q": "bj"})
    assert response.status_code == 403
    assert "北京" not in response.content.decode()


def test_the_picker_answers_at_most_twenty_and_skips_inactive(staff, web_client):
    for n in range(25):
        CustomerFactory(owner=staff.sales_a, region=staff.region, code=f"BJ{n:03d}", name=f"北京客户{n}")
    CustomerFactory(owner=staff.sales_a, region=staff.region, code="BJX", name="北京停用", is_active=False)
    names = picker_names(web_client(staff.sales_a).get("/pickers/customer/", {"q": "bjkh"}))
    assert len(names) == 20
    assert names[0] == "北京客户0"
    assert "北京停用" not in picker_names(web_client(staff.sales_a).get("/pickers/customer/", {"q": "bjty"}))


def test_an_empty_search_says_so(staff, web_client, beijing):
    response = web_client(staff.sales_a).get("/pickers/customer/", {"q": "zzzz"})
    assert picker_names(response) == []
    assert "data-picker-empty" in response.content.decode()


# The key follows every write path


def test_renaming_through_the_service_updates_the_key(staff, web_client, beijing):
    services.customer_update(customer=beijing, actor=staff.sales_a, version=beijing.version, name="天津港务")
    client = web_client(staff.sales_a)
    assert picker_names(client.get("/pickers/customer/", {"q": "tjgw"})) == ["天津港务"]
    assert picker_names(client.get("/pickers/customer/", {"q": "bjzg"})) == []
    # one edit event, naming the name only (the key is not an edit of its own)
    from salesops.workflow.models import DocumentEvent

    [event] = DocumentEvent.objects.filter(object_id=beijing.pk, action="edit")
    assert set(event.changes) == {"name"}


def test_renaming_from_the_edit_page_updates_the_key(staff, web_client, beijing):
    from salesops.customers.tests.test_permission_matrix import ui_form

    client = web_client(staff.sales_a)
    assert client.post(f"/customers/{beijing.pk}/edit/", ui_form(beijing, name="天津港务")).status_code == 302
    assert listed_names(client.get("/customers/", {"q": "tianjin"})) == set()
    assert "天津港务" in client.get("/customers/", {"q": "tianjin"}).content.decode()


def test_renaming_in_the_admin_updates_the_key(staff, web_client, beijing):
    client = web_client(staff.admin)
    response = client.post(f"/admin/customers/customer/{beijing.pk}/change/", admin_form(beijing, name="天津港务"))
    assert response.status_code == 302
    assert Customer.objects.get(pk=beijing.pk).search_key == "天津港务 tianjingangwu tjgw"
    # and the admin's own search finds it by initials
    assert "天津港务" in client.get("/admin/customers/customer/", {"q": "tjgw"}).content.decode()


def test_imported_customers_are_found_by_pinyin(staff, web_client, django_capture_on_commit_callbacks):
    from salesops.core.tests.importjobs import import_via_job

    rows = [["X001", "德州农机站", "终端用户", "SD", "sales_a", 5000, "A", "是"]]
    upload = SimpleUploadedFile("c.xlsx", xlsx(rows), content_type="application/octet-stream")
    page = import_via_job(
        web_client(staff.manager1), "/customers/import/", {"file": upload}, django_capture_on_commit_callbacks
    )
    assert page.context["job"].state == "done"
    assert picker_names(web_client(staff.sales_a).get("/pickers/customer/", {"q": "dznjz"})) == ["德州农机站"]


# Pickers of staff


def test_the_salesperson_picker_offers_only_the_managers_team(staff, web_client):
    staff.sales_a.display_name = "曾小明"
    staff.sales_a.save()
    client = web_client(staff.manager1)
    response = client.get("/pickers/salesperson/", {"q": "zxm"})
    assert picker_names_of_staff(response) == ["曾小明"]
    # sales_c is manager2's: not offered, whatever the search
    assert "sales_c" not in client.get("/pickers/salesperson/", {"q": ""}).content.decode()
    assert web_client(staff.sales_a).get("/pickers/salesperson/").status_code == 403


def test_the_user_picker_offers_whom_the_user_sees(staff, web_client):
    def usernames(user, query=""):
        page = web_client(user).get("/pickers/user/", {"q": query}).content.decode()
        return set(re.findall(r"<small class=\"text-muted\">([\w]+)</small>", page))

    assert usernames(staff.sales_a) == {"sales_a"}
    assert usernames(staff.manager1) == {"manager1", "sales_a", "sales_b"}
    assert usernames(staff.branch_mgr) >= {"branchmgr", "manager2", "sales_c"}
    assert "sales_a" not in usernames(staff.branch_mgr)
    assert usernames(staff.boss, "sales") == {"sales_a", "sales_b", "sales_c"}


def picker_names_of_staff(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-label="([^"]+)"', response.content.decode())


# Forms use the pickers


def test_the_intel_form_picks_the_customer_by_type_ahead(staff, web_client, beijing):
    page = web_client(staff.sales_a).get(f"/customers/intel/new/?customer={beijing.pk}").content.decode()
    assert 'hx-get="/pickers/customer/"' in page
    assert f'name="customer" id="id_customer-value" value="{beijing.pk}"' in page
    assert 'value="C0001 北京重工"' in page
    # no list of every customer is sent with the page any more
    assert "上海机电" not in page


def test_a_hand_made_id_of_another_teams_customer_is_still_refused(staff, web_client, beijing):
    other = Customer.objects.get(code="BJ02")
    data = {"subject": "end_user", "customer": other.pk, "market_facts": "需求上升"}
    response = web_client(staff.sales_a).post("/customers/intel/new/", data)
    assert response.status_code == 422
    assert 'data-field-error="customer"' in response.content.decode()
    assert not other.intel.exists()


def test_the_reassign_form_picks_the_salesperson_by_type_ahead(staff, web_client, beijing):
    page = web_client(staff.manager1).get(f"/customers/{beijing.pk}/").content.decode()
    assert 'hx-get="/pickers/salesperson/"' in page
    assert f'name="owner" id="id_owner-value" value="{staff.sales_a.pk}"' in page


# Query counts


def test_a_searched_list_page_and_the_picker_run_a_fixed_number_of_queries(
    staff, web_client, django_assert_max_num_queries
):
    client = web_client(staff.manager1)

    def add(count):
        for _ in range(count):
            for owner in (staff.sales_a, staff.sales_b):
                CustomerFactory(owner=owner, region=staff.region, name="北京客户")

    add(3)
    client.get("/customers/?q=bj&per_page=50")  # warm-up: session, content types
    with django_assert_max_num_queries(12) as few:
        assert client.get("/customers/?q=bj&per_page=50").status_code == 200
    with django_assert_max_num_queries(8) as picker_few:
        client.get("/pickers/customer/?q=bj")
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/customers/?q=bj&per_page=50")
    assert response.content.decode().count("北京客户") >= 50
    with django_assert_max_num_queries(len(picker_few.captured_queries)):
        assert len(picker_names(client.get("/pickers/customer/?q=bj"))) == 20


# In the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_salesperson_picks_a_customer_by_initials_in_the_browser(staff, live_server, chromium):
    from playwright.sync_api import expect

    from conftest import log_in

    # given sales_a's 北京重工 and another team's 北京轴承
    mine = CustomerFactory(owner=staff.sales_a, region=staff.region, code="C0001", name="北京重工")
    CustomerFactory(owner=staff.sales_c, region=staff.region, code="BJ02", name="北京轴承")
    page = log_in(chromium, live_server.url, "sales_a")
    page.goto(f"{live_server.url}/customers/intel/new/")
    page.select_option("select[name=subject]", "end_user")
    # when sales_a types the initials and picks the one match
    page.locator("#id_customer").press_sequentially("bj", delay=50)
    choice = page.locator("#id_customer-results [data-picker-choice]")
    expect(choice).to_have_count(1)
    expect(choice).to_contain_text("北京重工")
    choice.click()
    expect(page.locator("#id_customer")).to_have_value("C0001 北京重工")
    page.fill("textarea[name=market_facts]", "需求上升")
    page.locator("main form button.btn-primary[type=submit]").click()
    # then the entry is saved for that customer
    page.wait_for_url(f"{live_server.url}/customers/{mine.pk}/")
    assert mine.intel.count() == 1
