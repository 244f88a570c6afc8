import re

import pytest

from salesops.customers.models import Competitor, Contact, Customer, MarketIntel
from salesops.customers.tests.factories import ContactFactory, MarketIntelFactory

pytestmark = pytest.mark.django_db


def form_data(staff, **changes):
    data = {
        "code": "W0001",
        "name": "网页客户",
        "kind": "end_user",
        "region": staff.region.pk,
        "credit_days": 30,
        "credit_limit_amount": "5000.00",
        "potential_grade": "B",
        "default_invoice_kind": "ordinary",
        "is_active": "on",
    }
    return {**data, **changes}


def test_salesperson_creates_a_customer_from_the_form(staff, web_client):
    response = web_client(staff.sales_a).post("/customers/new/", form_data(staff))
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.owner == staff.sales_a


def test_the_form_shows_no_owner_choice_to_a_salesperson_but_does_to_a_manager(staff, web_client):
    assert 'name="owner"' not in web_client(staff.sales_a).get("/customers/new/").content.decode()
    page = web_client(staff.manager1).get("/customers/new/").content.decode()
    assert 'name="owner"' in page
    assert "sales_c" not in page  # another manager's salesperson is not offered


def test_bad_money_is_shown_on_its_field_with_422(staff, web_client):
    response = web_client(staff.sales_a).post("/customers/new/", form_data(staff, credit_limit_amount="1.234"))
    assert response.status_code == 422
    assert 'data-field-error="credit_limit_amount"' in response.content.decode()
    assert not Customer.objects.exists()


def test_a_control_character_in_the_form_is_a_422_naming_the_field_and_creates_nothing(staff, web_client):
    # given an otherwise good form whose name holds U+0001 (issue 7, item 3)
    client = web_client(staff.sales_a)
    # when posted
    response = client.post("/customers/new/", form_data(staff, name="潍坊\x01农机"))
    # then a 422 page naming the field, and no customer
    assert response.status_code == 422
    assert "“name”" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_service_refusal_lands_on_the_named_field(staff, web_client, customer_a):
    # the code is unique: the service says so, on the code field
    response = web_client(staff.sales_a).post("/customers/new/", form_data(staff, code=customer_a.code))
    assert response.status_code == 422
    assert 'data-field-error="code"' in response.content.decode()
    assert Customer.objects.count() == 1


def test_a_stale_edit_is_shown_with_409(staff, web_client, customer_a):
    client = web_client(staff.sales_a)
    data = form_data(staff, code=customer_a.code, name="第一次", version=1)
    assert client.post(f"/customers/{customer_a.pk}/edit/", data).status_code == 302
    response = client.post(f"/customers/{customer_a.pk}/edit/", {**data, "name": "第二次"})
    assert response.status_code == 409
    customer_a.refresh_from_db()
    assert customer_a.name == "第一次"


def test_list_search_filter_and_sort(staff, web_client, customer_of):
    customer_of(staff.sales_a, code="L1", name="山东农机经销", kind="dealer")
    customer_of(staff.sales_a, code="L2", name="青岛农场", kind="end_user")
    customer_of(staff.sales_b, code="L3", name="济南农场", kind="end_user")
    client = web_client(staff.sales_a)
    page = client.get("/customers/", {"q": "农场"}).content.decode()
    # codes are matched as cell text (">L1<"): the page's random CSRF token may contain "L1"
    assert ">L2<" in page and ">L1<" not in page and ">L3<" not in page
    page = client.get("/customers/", {"kind": "dealer"}).content.decode()
    assert ">L1<" in page and ">L2<" not in page
    page = client.get("/customers/", {"sort": "-code"}).content.decode()
    assert page.index(">L2<") < page.index(">L1<")


def test_the_owner_filter_is_for_those_who_see_others(staff, web_client, customer_of):
    customer_of(staff.sales_a, code="O1")
    customer_of(staff.sales_b, code="O2")
    assert 'name="owner"' not in web_client(staff.sales_a).get("/customers/").content.decode()
    page = web_client(staff.manager1).get("/customers/", {"owner": staff.sales_b.pk}).content.decode()
    assert 'name="owner"' in page
    # the rows by their code (a bare "O1" can turn up in the page's random CSP nonce)
    assert 'data-code="O2"' in page and 'data-code="O1"' not in page


def test_htmx_gets_only_the_results_block(staff, web_client, customer_a):
    response = web_client(staff.sales_a).get("/customers/", {"q": "甲"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results">')
    assert "export.xlsx?" in body
    assert "<html" not in body and customer_a.code in body


def test_the_export_keeps_the_filters(staff, web_client, customer_of):
    from io import BytesIO

    from openpyxl import load_workbook

    customer_of(staff.sales_a, code="E1", kind="dealer")
    customer_of(staff.sales_a, code="E2", kind="end_user")
    page = web_client(staff.sales_a).get("/customers/", {"kind": "dealer"}).content.decode()
    assert re.search(r"/customers/export.xlsx\?[^\"]*kind=dealer", page)
    response = web_client(staff.sales_a).get("/customers/export.xlsx", {"kind": "dealer"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("客户编码", "客户名称", "客户类型")
    assert [r[0] for r in rows[1:]] == ["E1"]
    assert rows[1][2] == "经销商"


def test_detail_shows_profile_contacts_and_intel(staff, web_client, customer_a):
    customer_a.industry = "粮食种植"
    customer_a.save()
    ContactFactory(customer=customer_a, name="赵厂长")
    MarketIntelFactory(
        owner=staff.sales_a,
        customer=customer_a,
        subject="end_user",
        region=staff.region,
        sales_info="今年计划采购 5 台",
    )
    page = web_client(staff.sales_a).get(f"/customers/{customer_a.pk}/").content.decode()
    for text in ("粮食种植", "赵厂长", "今年计划采购 5 台", f"/customers/{customer_a.pk}/edit/"):
        assert text in page


def test_finance_reads_the_detail_without_edit_buttons(staff, web_client, customer_a):
    page = web_client(staff.finance).get(f"/customers/{customer_a.pk}/").content.decode()
    assert customer_a.name in page
    assert f"/customers/{customer_a.pk}/edit/" not in page
    assert web_client(staff.finance).get(f"/customers/{customer_a.pk}/edit/").status_code == 403


def test_contact_add_and_edit(staff, web_client, customer_a):
    client = web_client(staff.sales_a)
    response = client.post(f"/customers/{customer_a.pk}/contacts/new/", {"name": "钱经理", "email": "bad"})
    assert response.status_code == 422
    assert 'data-field-error="email"' in response.content.decode()
    assert client.post(f"/customers/{customer_a.pk}/contacts/new/", {"name": "钱经理"}).status_code == 302
    contact = Contact.objects.get()
    assert client.post(f"/customers/contacts/{contact.pk}/edit/", {"name": "钱总"}).status_code == 302
    contact.refresh_from_db()
    assert contact.name == "钱总"
    assert web_client(staff.sales_b).get(f"/customers/contacts/{contact.pk}/edit/").status_code == 404


def test_manager_reassigns_from_the_detail_page(staff, web_client, customer_a):
    client = web_client(staff.manager1)
    assert "/reassign/" in client.get(f"/customers/{customer_a.pk}/").content.decode()
    response = client.post(f"/customers/{customer_a.pk}/reassign/", {"owner": staff.sales_b.pk, "version": 1})
    assert response.status_code == 302
    customer_a.refresh_from_db()
    assert customer_a.owner == staff.sales_b
    assert (
        web_client(staff.sales_a).post(f"/customers/{customer_a.pk}/reassign/", {"owner": staff.sales_a.pk}).status_code
        == 403
    )


def test_market_intel_list_and_create(staff, web_client, customer_a):
    client = web_client(staff.sales_a)
    response = client.post(
        "/customers/intel/new/", {"subject": "end_user", "customer": customer_a.pk, "product_structure": "以中型机为主"}
    )
    assert response.status_code == 302
    assert MarketIntel.objects.get().owner == staff.sales_a
    assert "以中型机为主" in client.get("/customers/intel/").content.decode()
    assert "以中型机为主" not in web_client(staff.sales_b).get("/customers/intel/").content.decode()
    response = client.post("/customers/intel/new/", {"subject": "competitor", "market_facts": "x"})
    assert response.status_code == 422
    assert 'data-field-error="competitor"' in response.content.decode()


def test_competitor_list_and_create(staff, web_client):
    client = web_client(staff.sales_a)
    assert client.post("/customers/competitors/new/", {"name": "某农机厂", "products": "播种机"}).status_code == 302
    competitor = Competitor.objects.get()
    assert "某农机厂" in client.get("/customers/competitors/").content.decode()
    assert (
        client.post(
            f"/customers/competitors/{competitor.pk}/edit/", {"name": "某农机厂", "notes": "价格战"}
        ).status_code
        == 302
    )
    assert web_client(staff.finance).get("/customers/competitors/").status_code == 403
    assert web_client(staff.boss).get("/customers/competitors/new/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/customers/", "/customers/new/", "/customers/intel/", "/customers/competitors/", "/customers/import/"]
)
def test_pages_render_for_a_manager_on_a_phone_layout(staff, web_client, path):
    # every table sits in a Bootstrap responsive wrapper; forms use the shared field include
    response = web_client(staff.manager1).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="viewport"' in body
    if "<table" in body:
        assert "table-responsive" in body
    assert "style=" not in body and "<script>" not in body


def test_a_stored_control_character_does_not_break_the_customer_export_for_anyone(staff, web_client, api_client):
    # given a customer whose name got U+0001 before input refused it (issue 7, item 3)
    from io import BytesIO

    from openpyxl import load_workbook

    from salesops.customers.tests.factories import CustomerFactory

    CustomerFactory(owner=staff.sales_a, region=staff.region, name="潍坊\x01农机")
    readers = [staff.sales_a, staff.manager1, staff.back_office, staff.finance, staff.boss]
    for user in readers:
        # when each reader exports, on the page and through the API
        page = web_client(user).get("/customers/export.xlsx")
        api = api_client(user).get("/api/customers/export.xlsx")
        # then both are workbooks (or the role's usual 403), never a server error
        for response in (page, api):
            assert response.status_code in (200, 403), (user.username, response.status_code)
        if page.status_code == 200:
            names = [row[1] for row in load_workbook(BytesIO(page.content)).active.iter_rows(values_only=True)]
            assert "潍坊\ufffd农机" in names
    assert web_client(staff.sales_a).get("/customers/export.xlsx").status_code == 200
