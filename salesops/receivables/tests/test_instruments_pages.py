"""The register's pages and API as people and programs use them: the list searched and filtered,
one instrument with its range and parts and the steps its reader may take, the forms, and the same
answers over the API (401/403/404/409/422 as the kernel's)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables.models.instruments import Instrument, InstrumentState
from salesops.receivables.services import instruments as services
from salesops.workflow.tests.kit import fresh

from .samples_instruments import bill, cheque, customer_of, package_number

pytestmark = pytest.mark.django_db
S = InstrumentState
ROW = re.compile(r'<tr data-testid="row" data-number="([A-Z0-9]+)"')
LIST = reverse("receivables:instrument-list")


def today() -> datetime.date:
    return timezone.localdate()


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def signed(staff, instrument):
    return services.instrument_sign(instrument=instrument, actor=staff.finance)


# -- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_reader_their_rows_and_the_warehouse_nothing(staff, web_client):
    mine, theirs = bill(staff, staff.sales_a), bill(staff, staff.sales_b)

    assert listed(web_client(staff.sales_a)) == [mine.number]
    assert sorted(listed(web_client(staff.finance))) == sorted([mine.number, theirs.number])
    assert sorted(listed(web_client(staff.back_office))) == sorted([mine.number, theirs.number])
    assert web_client(staff.warehouse).get(LIST).status_code == 403
    assert web_client(staff.warehouse).get(mine.get_absolute_url()).status_code == 403
    assert web_client(staff.sales_b).get(mine.get_absolute_url()).status_code == 404


def test_the_list_is_searched_by_package_number_drawer_and_customer(staff, web_client):
    customer = customer_of(staff)
    electronic = bill(staff, customer=customer, issuer="淄博鲁中化工有限公司")
    paper = cheque(staff, issuer="临沂金源贸易有限公司")
    client = web_client(staff.finance)

    assert listed(client, q=electronic.package_number[-12:]) == [electronic.number]
    assert listed(client, q="鲁中化工") == [electronic.number]
    assert listed(client, q=customer.name) == [electronic.number]
    assert listed(client, q=paper.instrument_number) == [paper.number]


def test_the_list_filters_by_kind_medium_state_and_due_within_days(staff, web_client):
    soon = bill(staff, issued_on=today() - datetime.timedelta(days=60), due_on=today() + datetime.timedelta(days=6))
    later = bill(staff)  # due in about 80 days
    paper = signed(staff, cheque(staff))
    client = web_client(staff.finance)

    assert listed(client, kind="cheque") == [paper.number]
    assert sorted(listed(client, medium="electronic")) == sorted([soon.number, later.number])
    assert listed(client, state="signed") == [paper.number]
    assert listed(client, due="7") == [soon.number]
    assert sorted(listed(client, due="60")) == [soon.number]
    assert sorted(listed(client, due="bogus")) == sorted([soon.number, later.number, paper.number])
    page = client.get(LIST, {"due": "7"}).content.decode()
    assert 'value="7" selected' in page or "due=7" in page


def test_the_list_runs_the_same_queries_for_three_rows_or_thirty(staff, web_client, django_assert_max_num_queries):
    client = web_client(staff.finance)
    for _n in range(3):
        bill(staff)
    client.get(LIST)  # warm the session and the menu
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for _n in range(27):
        cheque(staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(ROW.findall(response.content.decode())) == 25


# -- one instrument ----------------------------------------------------------------------------------


def test_finance_signs_from_the_page_and_then_sees_its_next_steps(staff, web_client):
    found = bill(staff)
    page = web_client(staff.finance).get(found.get_absolute_url()).content.decode()
    assert 'data-testid="act-sign"' in page and 'data-testid="r12-notice"' in page
    assert "1 – 100000000" in page
    owners_page = web_client(staff.sales_a).get(found.get_absolute_url()).content.decode()
    assert 'data-testid="act-sign"' not in owners_page

    response = web_client(staff.finance).post(
        reverse("workflow:document-act", args=["receivables.instrument", found.pk]), {"action": "sign"}
    )
    assert response.status_code == 302
    assert fresh(found).state == S.SIGNED
    page = web_client(staff.finance).get(found.get_absolute_url()).content.decode()
    for testid in ("endorse", "discount", "collect", "link-receipt", "act-dishonour"):
        assert f'data-testid="{testid}"' in page, testid
    assert 'data-testid="act-sign"' not in page


def test_a_part_endorsed_from_the_form_shows_the_bill_and_its_parts(staff, web_client):
    held = signed(staff, bill(staff))
    url = reverse("receivables:instrument-endorse", args=[held.pk])
    client = web_client(staff.finance)
    assert client.get(url).status_code == 200

    response = client.post(url, {"endorsee": "济南宏远钢材有限公司", "endorsed_on": today(), "amount": "300000.00"})

    assert response.status_code == 302 and response["Location"] == held.get_absolute_url()
    endorsed, kept = fresh(held).children.order_by("pk")
    page = client.get(held.get_absolute_url()).content.decode()
    rows = re.findall(r'data-testid="family-row" data-number="(\w+)" data-depth="(\d)"', page)
    assert rows == [(held.number, "0"), (endorsed.number, "1"), (kept.number, "1")]
    kept_page = client.get(kept.get_absolute_url()).content.decode()
    assert "30000001 – 100000000" in kept_page and 'data-testid="warning"' in kept_page


def test_a_refused_step_is_shown_on_its_field_and_changes_nothing(staff, web_client):
    held = signed(staff, bill(staff))
    url = reverse("receivables:instrument-endorse", args=[held.pk])

    response = web_client(staff.finance).post(url, {"endorsee": "甲公司", "endorsed_on": today(), "amount": "2000000"})

    assert response.status_code == 422
    assert 'data-field-error="amount"' in response.content.decode()
    assert fresh(held).state == S.SIGNED and not Instrument.objects.filter(parent=held).exists()
    assert web_client(staff.sales_a).get(url).status_code == 403
    assert web_client(staff.sales_a).post(url, {"endorsee": "甲", "endorsed_on": today()}).status_code == 403


def test_finance_links_the_receipt_from_the_page(staff, web_client):
    from salesops.receivables.services import receipt_record

    customer = customer_of(staff)
    held = signed(staff, cheque(staff, customer=customer, amount="5800.00"))
    receipt = receipt_record(
        actor=staff.finance,
        customer_id=customer.pk,
        received_on=today(),
        method="cheque",
        amount=Decimal("5800.00"),
        allocate="none",
    )
    url = reverse("receivables:instrument-link-receipt", args=[held.pk])
    page = web_client(staff.finance).get(url).content.decode()
    assert receipt.number in page

    assert web_client(staff.finance).post(url, {"receipt_id": receipt.pk}).status_code == 302
    assert fresh(held).receipt == receipt
    page = web_client(staff.sales_a).get(held.get_absolute_url()).content.decode()
    assert receipt.number in page and 'data-testid="link-receipt"' not in page


# -- registering -------------------------------------------------------------------------------------


def _form(customer, **extra) -> dict:
    issued = today() - datetime.timedelta(days=7)
    values = {
        "kind": "bank_acceptance",
        "medium": "electronic",
        "customer": customer.pk,
        "package_number": package_number(),
        "range_start": 1,
        "range_end": 5_000_000,
        "issuer": "潍坊恒达机械有限公司",
        "acceptor": "中国工商银行潍坊分行",
        "issued_on": issued,
        "due_on": issued + datetime.timedelta(days=180),
        "is_transferable": "on",
    }
    values.update(extra)
    return values


def test_a_salesperson_registers_a_bill_from_the_form(staff, web_client):
    client = web_client(staff.sales_a)
    url = reverse("receivables:instrument-create")
    page = client.get(url).content.decode()
    assert 'data-testid="instrument-form"' in page and 'name="received_by"' not in page

    response = client.post(url, _form(customer_of(staff)))

    found = Instrument.objects.get()
    assert response.status_code == 302 and response["Location"] == found.get_absolute_url()
    assert (found.owner, found.amount, found.state) == (staff.sales_a, Decimal("50000.00"), S.PENDING_SIGN)


def test_the_office_names_who_received_it_and_a_long_term_is_registered_with_a_warning(staff, web_client):
    client = web_client(staff.back_office)
    url = reverse("receivables:instrument-create")
    issued = today() - datetime.timedelta(days=7)
    form = _form(customer_of(staff, staff.sales_b), due_on=issued + datetime.timedelta(days=200))

    refused = client.post(url, form)
    assert refused.status_code == 422 and 'data-field-error="received_by"' in refused.content.decode()

    response = client.post(url, {**form, "received_by": staff.sales_b.pk}, follow=True)
    found = Instrument.objects.get()
    assert (found.owner, found.term_too_long) == (staff.sales_b, True)
    assert 'data-testid="term-notice"' in response.content.decode()


def test_a_bad_range_is_refused_on_its_field(staff, web_client):
    response = web_client(staff.sales_a).post(
        reverse("receivables:instrument-create"), _form(customer_of(staff), range_start=100, range_end=99)
    )
    assert response.status_code == 422
    assert 'data-field-error="range_end"' in response.content.decode()
    assert not Instrument.objects.exists()


# -- the API -----------------------------------------------------------------------------------------

API = "/api/receivables/instruments"


def _payload(customer, **extra) -> dict:
    issued = today() - datetime.timedelta(days=7)
    values = {
        "kind": "bank_acceptance",
        "medium": "electronic",
        "customer_id": customer.pk,
        "package_number": package_number(),
        "range_start": 1,
        "range_end": 100_000_000,
        "issuer": "潍坊恒达机械有限公司",
        "acceptor": "中国工商银行潍坊分行",
        "issued_on": issued.isoformat(),
        "due_on": (issued + datetime.timedelta(days=90)).isoformat(),
    }
    values.update(extra)
    return values


def test_the_api_registers_signs_endorses_a_part_and_collects(staff, api_client):
    sales, finance = api_client(staff.sales_a), api_client(staff.finance)
    created = sales.post(API, _payload(customer_of(staff)), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["amount"], body["range_end"], body["is_splittable"]) == (
        "pending_sign",
        "1000000.00",
        100_000_000,
        True,
    )
    pk = body["id"]

    assert sales.post(f"{API}/{pk}/sign", content_type="application/json").status_code == 403
    assert finance.post(f"{API}/{pk}/sign", content_type="application/json").json()["state"] == "signed"

    part = finance.post(
        f"{API}/{pk}/endorse",
        {"endorsee": "济南宏远钢材有限公司", "endorsed_on": today().isoformat(), "amount": "300000.00"},
        content_type="application/json",
    )
    assert part.status_code == 200, part.content
    assert (part.json()["state"], part.json()["parent_id"], part.json()["range_end"]) == ("endorsed", pk, 30_000_000)
    parent = sales.get(f"{API}/{pk}").json()
    assert parent["state"] == "split"
    assert [(c["range_start"], c["range_end"]) for c in parent["children"]] == [
        (1, 30_000_000),
        (30_000_001, 100_000_000),
    ]
    again = finance.post(
        f"{API}/{pk}/endorse", {"endorsee": "乙", "endorsed_on": today().isoformat()}, content_type="application/json"
    )
    assert again.status_code == 409

    listed = finance.get(API, {"state": "signed"}).json()
    assert (listed["count"], listed["items"][0]["amount"], listed["total_amount"]) == (1, "700000.00", "700000.00")


def test_the_api_answers_bad_input_and_other_peoples_instruments_as_the_kernel_does(staff, api_client):
    customer = customer_of(staff)
    sales = api_client(staff.sales_a)
    bad = sales.post(API, _payload(customer, package_number="6" + "0" * 29), content_type="application/json")
    assert bad.status_code == 422 and "package_number" in bad.json()["extra"]["fields"]
    found = bill(staff, staff.sales_a)
    assert api_client(staff.sales_b).get(f"{API}/{found.pk}").status_code == 404
    assert api_client(staff.warehouse).get(API).status_code == 403
    due = api_client(staff.finance).get(API, {"due": "7"}).json()
    assert due["count"] == 0


def test_a_cheques_page_offers_no_discount_and_a_split_bills_page_no_step(staff, web_client):
    paper = signed(staff, cheque(staff))
    page = web_client(staff.finance).get(paper.get_absolute_url()).content.decode()
    assert 'data-testid="collect"' in page and 'data-testid="discount"' not in page

    held = signed(staff, bill(staff))
    services.instrument_endorse(instrument=held, actor=staff.finance, endorsee="甲", endorsed_on=today(), amount="1")
    page = web_client(staff.finance).get(held.get_absolute_url()).content.decode()
    for testid in ("endorse", "discount", "collect", "act-dishonour", "act-sign"):
        assert f'data-testid="{testid}"' not in page, testid
