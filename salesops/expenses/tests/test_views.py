"""The HTML pages: lists, details, forms, payment; thin over services, so the checks are of the interface."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from salesops.expenses import services
from salesops.expenses.models import ExpenseRequest, ExpenseState, SpecialFee, SpecialFeeState
from salesops.expenses.tests.factories import events_of, expense, instructed_special_fee, snapshot, submitted_expense

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "category": "travel",
        "customer": "",
        "amount": "1200.50",
        # ahead of today: a past planned date would make the submission an R3 breach
        "planned_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "purpose": "去青岛拜访客户",
    }
    data.update(overrides)
    return data


def _in_english(client):
    """These checks read English messages; the UI speaks Chinese unless the language cookie says otherwise."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_create_form_makes_a_draft_and_shows_it(staff, web_client, cust_a):
    # given
    client = web_client(staff.sales_a)
    # when
    response = client.post(reverse("expenses:expense-create"), _form(customer=cust_a.pk))
    # then
    doc = ExpenseRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert (doc.amount, doc.customer, doc.state, doc.owner) == (Decimal("1200.50"), cust_a, "draft", staff.sales_a)
    page = client.get(doc.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert doc.number in html and "¥1,200.50" in html
    assert 'data-testid="act-submit"' in html and 'data-testid="edit"' in html
    assert 'data-testid="r3-breach"' not in html


def test_create_form_names_the_bad_field_with_422(staff, web_client):
    client = web_client(staff.sales_a)
    response = client.post(reverse("expenses:expense-create"), _form(amount="-3", purpose=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert set(re.findall(r'data-field-error="(\w+)"', html)) == {"amount", "purpose"}
    assert ExpenseRequest.objects.count() == 0


def test_recording_as_already_incurred_needs_the_date_and_shows_the_red_banner(staff, web_client):
    client = web_client(staff.sales_a)
    # given the box ticked without a date
    response = client.post(reverse("expenses:expense-create"), _form(already_incurred="on"))
    assert response.status_code == 422
    assert 'data-field-error="incurred_on"' in response.content.decode()
    # when the date is given
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(reverse("expenses:expense-create"), _form(already_incurred="on", incurred_on=day))
    # then the expense is flagged and its page carries the red banner
    doc = ExpenseRequest.objects.get()
    assert doc.incurred_before_approval and doc.incurred_on == day
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="r3-breach"' in html and "alert-danger" in html


def test_a_date_without_the_box_is_ignored(staff, web_client):
    client = web_client(staff.sales_a)
    client.post(reverse("expenses:expense-create"), _form(incurred_on="2026-01-01"))
    assert ExpenseRequest.objects.get().incurred_before_approval is False


def test_edit_form_saves_with_the_version(staff, web_client):
    # given
    doc = expense(staff.sales_a, "800.00")
    client = web_client(staff.sales_a)
    page = client.get(reverse("expenses:expense-update", args=[doc.pk]))
    assert page.status_code == 200
    assert re.search(r'type="hidden" name="version" value="1"', page.content.decode())
    # when
    response = client.post(reverse("expenses:expense-update", args=[doc.pk]), _form(amount="950.00", version=1))
    # then
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.amount, doc.version) == (Decimal("950.00"), 2)


def test_a_stale_edit_shows_a_message_and_changes_nothing(staff, web_client):
    # given somebody saved after this form was loaded
    doc = expense(staff.sales_a, "800.00")
    services.expense_update(expense=doc, actor=staff.sales_a, version=1, amount=Decimal("900.00"))
    before = snapshot(doc)
    # when the old form is sent
    response = _in_english(web_client(staff.sales_a)).post(
        reverse("expenses:expense-update", args=[doc.pk]), _form(amount="1.00", version=1)
    )
    # then
    assert response.status_code == 409
    assert "Somebody else saved this document first" in response.content.decode()
    assert snapshot(doc) == before


def test_edit_without_version_is_refused(staff, web_client):
    doc = expense(staff.sales_a)
    response = _in_english(web_client(staff.sales_a)).post(reverse("expenses:expense-update", args=[doc.pk]), _form())
    assert response.status_code == 422
    assert "This form is out of date" in response.content.decode()
    doc.refresh_from_db()
    assert doc.version == 1


def test_edit_page_of_a_submitted_expense_sends_back_to_the_document(staff, web_client):
    doc = submitted_expense(staff.sales_a)
    client = web_client(staff.sales_a)
    response = client.get(reverse("expenses:expense-update", args=[doc.pk]))
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    before = snapshot(doc)
    response = client.post(reverse("expenses:expense-update", args=[doc.pk]), _form(version=doc.version))
    assert response.status_code == 409
    assert snapshot(doc) == before


def test_submit_and_approve_through_the_document_panel(staff, web_client):
    # given a draft
    doc = expense(staff.sales_a)
    act = reverse("workflow:document-act", args=["expenses.expenserequest", doc.pk])
    # when the owner submits and the manager approves from the detail page
    web_client(staff.sales_a).post(act, {"action": "submit"})
    manager = web_client(staff.manager1)
    html = manager.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="act-approve"' in html and 'data-testid="act-reject"' in html
    manager.post(act, {"action": "approve", "comment": "同意"})
    # then
    doc.refresh_from_db()
    assert doc.state == ExpenseState.APPROVED
    assert events_of(doc) == ["create", "submit", "approve"]


def test_list_filters_totals_and_chart(staff, web_client):
    # given expenses of two categories, one of them already incurred
    expense(staff.sales_a, "100.00", category="travel")
    expense(staff.sales_a, "250.25", category="travel")
    expense(staff.sales_a, "1000.00", category="gifts", incurred_on=timezone.localdate())
    expense(staff.sales_c, "7.00")  # another branch, not visible to sales_a
    client = _in_english(web_client(staff.sales_a))
    # when
    html = client.get(reverse("expenses:expense-list")).content.decode()
    # then totals and chart cover sales_a's rows only
    assert 'data-testid="total-amount">¥1,350.25<' in html
    assert 'id="results"' in html
    chart = json.loads(re.search(r'data-chart="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert chart["series"][0]["data"] == ["1000.00", "350.25"]
    assert chart["xAxis"]["data"] == ["Gifts and samples", "Travel"]
    # when filtered by category, by breach, by search
    html = client.get(reverse("expenses:expense-list"), {"category": "travel"}).content.decode()
    assert 'data-testid="total-amount">¥350.25<' in html and html.count('data-testid="row"') == 2
    html = client.get(reverse("expenses:expense-list"), {"breach": "1"}).content.decode()
    assert 'data-testid="total-amount">¥1,000.00<' in html and html.count('data-testid="row"') == 1
    # sorting by amount ascending
    html = client.get(reverse("expenses:expense-list"), {"sort": "amount"}).content.decode()
    amounts = re.findall(r'<td class="text-end">(¥[\d,.]+)</td>', html)
    assert amounts == ["¥100.00", "¥250.25", "¥1,000.00"]


def test_the_owner_filter_is_offered_to_managers_only(staff, web_client):
    expense(staff.sales_a)
    expense(staff.sales_b, "20.00")
    url = reverse("expenses:expense-list")
    assert 'name="owner"' not in web_client(staff.sales_a).get(url).content.decode()
    html = web_client(staff.manager1).get(url, {"owner": staff.sales_b.pk}).content.decode()
    assert 'name="owner"' in html and html.count('data-testid="row"') == 1
    assert 'data-testid="total-amount">¥20.00<' in html


def test_list_pages(staff, web_client):
    for _ in range(30):
        expense(staff.sales_a, "10.00")
    client = web_client(staff.sales_a)
    html = client.get(reverse("expenses:expense-list")).content.decode()
    assert html.count('data-testid="row"') == 25 and "1 / 2" in html
    html = client.get(reverse("expenses:expense-list"), {"page": 2}).content.decode()
    assert html.count('data-testid="row"') == 5
    assert 'data-testid="total-amount">¥300.00<' in html


def test_export_is_an_excel_file_of_the_filtered_rows(staff, web_client):
    import io

    from openpyxl import load_workbook

    expense(staff.sales_a, "100.00", category="travel")
    expense(staff.sales_a, "55.50", category="gifts")
    response = web_client(staff.sales_a).get(reverse("expenses:expense-export"), {"category": "gifts"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and Decimal(str(rows[0][6])) == Decimal("55.50")


def test_export_writes_a_formula_like_purpose_as_text_and_survives_a_control_character(staff, web_client):
    # given expenses whose purpose looks like a formula, or holds U+0001 from before input refused it
    import io
    import zipfile

    from openpyxl import load_workbook

    expense(staff.sales_a, purpose='=HYPERLINK("http://evil.example","点击")')
    expense(staff.sales_a, purpose="拜访\x01客户")
    for user in (staff.sales_a, staff.manager1, staff.finance, staff.boss):
        # when each reader exports
        response = web_client(user).get(reverse("expenses:expense-export"))
        # then a workbook without a formula, the text as text
        assert response.status_code == 200, user.username
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
        sheet = load_workbook(io.BytesIO(response.content)).active
        purposes = {row[10].value: row[10] for row in sheet.iter_rows(min_row=2)}
        assert purposes['=HYPERLINK("http://evil.example","点击")'].data_type == "s"
        assert "拜访\ufffd客户" in purposes


def test_special_fee_list_detail_and_payment_form(staff, web_client, cust_a):
    # given an instructed fee
    fee = instructed_special_fee(staff, cust_a, "3000.00")
    finance = web_client(staff.finance)
    html = finance.get(reverse("expenses:specialfee-list")).content.decode()
    assert fee.number in html and 'data-testid="total-amount">¥3,000.00<' in html
    html = finance.get(fee.get_absolute_url()).content.decode()
    # the generic "pay" button is replaced by the payment form
    assert 'data-testid="act-pay"' not in html and 'data-testid="pay"' in html
    # when finance records the payment
    url = reverse("expenses:specialfee-pay", args=[fee.pk])
    assert finance.get(url).status_code == 200
    response = finance.post(url, {"paid_on": timezone.localdate().isoformat(), "reference": "BANK-9"})
    # then
    assert response.status_code == 302
    fee.refresh_from_db()
    assert (fee.state, fee.payment_reference) == (SpecialFeeState.PAID, "BANK-9")
    assert 'data-testid="paid-on"' in finance.get(fee.get_absolute_url()).content.decode()


def test_payment_form_refuses_an_uninstructed_fee_with_409(staff, web_client, cust_a):
    from salesops.expenses.tests.factories import submitted_special_fee

    fee = submitted_special_fee(staff.sales_a, cust_a)
    before = snapshot(fee)
    response = web_client(staff.finance).post(
        reverse("expenses:specialfee-pay", args=[fee.pk]),
        {"paid_on": timezone.localdate().isoformat(), "reference": "BANK-9"},
    )
    assert response.status_code == 409
    assert snapshot(fee) == before


def test_payment_form_is_closed_to_salespeople(staff, web_client, cust_a):
    fee = instructed_special_fee(staff, cust_a)
    before = snapshot(fee)
    response = web_client(staff.sales_a).post(
        reverse("expenses:specialfee-pay", args=[fee.pk]), {"paid_on": "2026-01-01", "reference": "X"}
    )
    assert response.status_code == 403
    assert snapshot(fee) == before


def test_special_fee_create_and_edit(staff, web_client, cust_a):
    client = web_client(staff.sales_a)
    data = {"customer": cust_a.pk, "kind": "temp_workers", "amount": "600.00", "reason": "装卸临时工"}
    response = client.post(reverse("expenses:specialfee-create"), data)
    fee = SpecialFee.objects.get()
    assert response.status_code == 302 and fee.kind == "temp_workers"
    response = client.post(
        reverse("expenses:specialfee-update", args=[fee.pk]), {**data, "amount": "650", "version": 1}
    )
    fee.refresh_from_db()
    assert response.status_code == 302 and fee.amount == Decimal("650.00")
    response = client.post(reverse("expenses:specialfee-create"), {**data, "customer": ""})
    assert response.status_code == 422 and 'data-field-error="customer"' in response.content.decode()
