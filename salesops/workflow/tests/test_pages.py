"""The generic document page (workflow.pages.DocumentDetailPage) and the state badge, as a user
sees them on the special fee's and the phone order's pages."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from salesops.core import fieldvisibility
from salesops.core.fieldvisibility import FieldRule
from salesops.deals.tests import contract_factories as cf
from salesops.expenses import selectors as fee_selectors
from salesops.expenses.models import SpecialFee
from salesops.expenses.tests.factories import customer, instructed_special_fee, special_fee, submitted_special_fee
from salesops.expenses.workflows import SPECIAL_FEE_FLOW
from salesops.org.roles import Role
from salesops.workflow.pages import DocumentDetailPage

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="badge state-badge ([^"]*)" data-testid="state" data-state="([a-z_]+)"')


def _badge(html: str) -> tuple[str, str]:
    found = BADGE.search(html)
    assert found, "no state badge on the page"
    return found.group(1), found.group(2)


def _testids(html: str) -> set[str]:
    block = html[html.index('data-testid="fields"') : html.index("</dl>", html.index('data-testid="fields"'))]
    return set(re.findall(r'data-testid="([a-z-]+)"', block)) - {"fields"}


@pytest.fixture
def cust(staff):
    return customer(staff, staff.sales_a)


def test_the_badge_takes_its_colour_from_the_flow(staff, web_client, cust, monkeypatch):
    # given a draft special fee, whose flow names no colour for drafts
    fee = special_fee(staff.sales_a, cust)
    client = web_client(staff.sales_a)
    classes, state = _badge(client.get(fee.get_absolute_url()).content.decode())
    assert state == "draft" and "bg-light" in classes.split()
    # when the flow declares drafts "info"
    monkeypatch.setattr(SPECIAL_FEE_FLOW, "state_styles", {"draft": "info"})
    # then the page's badge is "info"
    classes, state = _badge(client.get(fee.get_absolute_url()).content.decode())
    assert state == "draft" and "bg-info" in classes.split() and "bg-light" not in classes.split()


def test_an_unnamed_state_takes_the_kernels_convention(staff, web_client, cust):
    fee = submitted_special_fee(staff.sales_a, cust)
    classes, state = _badge(web_client(staff.sales_a).get(fee.get_absolute_url()).content.decode())
    assert state == "pending" and "bg-warning" in classes.split()


def test_the_page_shows_only_the_declared_fields(staff, cust):
    # given a page declaring two of the special fee's fields
    class TwoFields(DocumentDetailPage):
        get_for = staticmethod(fee_selectors.special_fee_get_for)
        fields = ("amount", "kind")

    fee = special_fee(staff.sales_a, cust, "1234.00")
    request = RequestFactory().get("/")
    request.user = staff.sales_a
    # when the owner opens it
    html = TwoFields.as_view()(request, pk=fee.pk).content.decode()
    # then exactly those two are shown
    assert _testids(html) == {"amount", "kind"}
    assert "¥1,234.00" in html and fee.reason not in html


def test_a_field_the_role_may_not_see_is_not_on_the_page(staff, web_client, cust, monkeypatch):
    # given the fee's amount restricted to finance
    fee = instructed_special_fee(staff, cust, "3000.00")
    monkeypatch.setitem(fieldvisibility._rules, SpecialFee, FieldRule.of(amount=[Role.FINANCE]))
    # then the owner's page has no amount, finance's has it
    owner_html = web_client(staff.sales_a).get(fee.get_absolute_url()).content.decode()
    finance_html = web_client(staff.finance).get(fee.get_absolute_url()).content.decode()
    assert "amount" not in _testids(owner_html) and "¥3,000.00" not in owner_html
    assert "amount" in _testids(finance_html) and "¥3,000.00" in finance_html


@pytest.mark.parametrize(
    ("instructed", "who", "expected"),
    [(True, "finance", True), (False, "finance", False), (True, "sales_a", False), (True, "manager1", False)],
)
def test_a_form_action_button_shows_exactly_when_the_flow_allows(staff, web_client, cust, instructed, who, expected):
    # given an instructed fee (or one still waiting for its approvals)
    fee = instructed_special_fee(staff, cust) if instructed else submitted_special_fee(staff.sales_a, cust)
    user = getattr(staff, who)
    # when the user opens its page
    html = web_client(user).get(fee.get_absolute_url()).content.decode()
    # then the payment form's button is there exactly when the flow allows paying
    assert SPECIAL_FEE_FLOW.allows("pay", fee, user) is expected
    assert ('data-testid="pay"' in html) is expected
    assert (reverse("expenses:specialfee-pay", args=[fee.pk]) in html) is expected


def test_the_edit_button_is_the_owners_while_editable(staff, web_client, cust):
    fee = special_fee(staff.sales_a, cust)
    assert 'data-testid="edit"' in web_client(staff.sales_a).get(fee.get_absolute_url()).content.decode()
    assert 'data-testid="edit"' not in web_client(staff.manager1).get(fee.get_absolute_url()).content.decode()
    submitted = submitted_special_fee(staff.sales_a, cust)
    assert 'data-testid="edit"' not in web_client(staff.sales_a).get(submitted.get_absolute_url()).content.decode()


def test_print_is_offered_only_for_a_type_with_a_printed_form(staff, web_client, cust):
    # given a special fee (printed form) and a phone order (none)
    fee = special_fee(staff.sales_a, cust)
    order = cf.phone_order(staff.sales_a, cf.customer(staff, staff.sales_a), [(cf.product(), "1", "10.00")])
    client = web_client(staff.sales_a)
    fee_html = client.get(fee.get_absolute_url()).content.decode()
    order_html = client.get(order.get_absolute_url()).content.decode()
    # then only the fee's page links to a print, and its print answers
    fee_print = reverse("workflow:document-print", args=["expenses.specialfee", fee.pk])
    assert fee_print in fee_html and client.get(fee_print).status_code == 200
    assert "/print/" not in order_html and 'data-testid="print"' not in order_html
    # and the phone order's page shows its lines and declared fields
    assert 'data-testid="line"' in order_html
    assert _testids(order_html) == {"customer", "received-on", "owner", "reason-without-contract"}


@pytest.mark.parametrize("kind", ["fee", "order"])
def test_out_of_scope_is_404(staff, web_client, kind):
    if kind == "fee":
        doc = special_fee(staff.sales_a, customer(staff, staff.sales_a))
    else:
        doc = cf.phone_order(staff.sales_a, cf.customer(staff, staff.sales_a), [(cf.product(), "1", "10.00")])
    assert web_client(staff.sales_b).get(doc.get_absolute_url()).status_code == 404
    assert web_client(staff.sales_a).get(doc.get_absolute_url()).status_code == 200
