"""The permit pages: the form, the detail page's notices, the list's search and filters with bounded
queries, My tasks, the printed permit, and the flow's buttons and actors."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from salesops.core.errors import ApplicationError
from salesops.expenses import services
from salesops.expenses.models import CollectionPermit
from salesops.expenses.tests.factories import approved_permit, customer, dealer, permit, snapshot, submitted_permit
from salesops.expenses.workflows import PERMIT_FLOW
from salesops.workflow.approvals import current_step

pytestmark = pytest.mark.django_db


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _form(dealer_, **overrides) -> dict:
    return {
        "customer": dealer_.pk,
        "limit_amount": "12000.00",
        "method": "cheque",
        "valid_from": _day(0).isoformat(),
        "valid_until": _day(7).isoformat(),
        "reason": "经销商出纳休假，支票需当面收取",
        **overrides,
    }


def _numbers(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'data-testid="row" data-number="([^"]+)"', response.content.decode()))


# --- the form ---------------------------------------------------------------------------------


def test_the_form_raises_a_draft_for_one_of_the_users_dealers(staff, web_client, dealer_a):
    client = web_client(staff.sales_a)
    page = client.get(reverse("expenses:permit-create"))
    assert page.status_code == 200 and reverse("pickers:dealer") in page.content.decode()
    response = client.post(reverse("expenses:permit-create"), _form(dealer_a))
    doc = CollectionPermit.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert (doc.customer, doc.limit_amount, doc.state, doc.owner) == (
        dealer_a,
        Decimal("12000.00"),
        "draft",
        staff.sales_a,
    )


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"customer": "END_USER"}, {"customer"}),
        ({"limit_amount": "0"}, {"limit_amount"}),
        ({"valid_until": "YESTERDAY"}, {"valid_until"}),
        ({"valid_until": "IN_100_DAYS"}, {"valid_until"}),
        ({"reason": ""}, {"reason"}),
    ],
)
def test_the_form_names_the_bad_field_and_raises_nothing(staff, web_client, dealer_a, overrides, fields):
    stand_ins = {
        "END_USER": customer(staff, staff.sales_a).pk,
        "YESTERDAY": _day(-1).isoformat(),
        "IN_100_DAYS": _day(100).isoformat(),
    }
    data = _form(dealer_a, **{name: stand_ins.get(value, value) for name, value in overrides.items()})
    response = web_client(staff.sales_a).post(reverse("expenses:permit-create"), data)
    assert response.status_code == 422
    assert set(re.findall(r'data-field-error="(\w+)"', response.content.decode())) == fields
    assert CollectionPermit.objects.count() == 0


def test_the_dealer_picker_offers_the_users_own_dealers_only(staff, web_client, dealer_a):
    end_user = customer(staff, staff.sales_a)
    theirs = dealer(staff, staff.sales_b)
    html = web_client(staff.sales_a).get(reverse("pickers:dealer")).content.decode()
    assert dealer_a.code in html and end_user.code not in html and theirs.code not in html


# --- the detail page --------------------------------------------------------------------------


def test_the_detail_page_shows_the_terms_and_the_remit_rule(staff, web_client, dealer_a):
    doc = approved_permit(staff, dealer_a, "36000.00")
    html = web_client(staff.sales_a).get(doc.get_absolute_url()).content.decode()
    assert doc.number in html and "¥36,000.00" in html and dealer_a.name in html
    assert 'data-testid="permit-usable"' in html and 'data-testid="remit-rule"' in html
    assert 'data-testid="remit-working-days">1<' in html
    assert 'data-testid="act-close"' in html
    assert 'data-testid="expired"' not in html


def test_an_expired_permit_is_marked_on_its_page_and_in_the_list(staff, web_client, dealer_a, days_later):
    doc = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(1))
    days_later(2)
    client = web_client(staff.sales_a)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="expired"' in html and 'data-testid="permit-expired"' in html
    assert 'data-testid="permit-usable"' not in html
    listing = client.get(reverse("expenses:permit-list")).content.decode()
    assert re.search(rf'data-number="{doc.number}".*?bg-secondary', listing, re.DOTALL)


# --- the list ---------------------------------------------------------------------------------


def test_the_list_searches_and_filters_by_state_dealer_and_valid_day(staff, web_client, dealer_a):
    other = dealer(staff, staff.sales_a, name="德州金穗农机经销部")
    now = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(3))
    later = permit(staff.sales_a, other, valid_from=_day(10), valid_until=_day(20))
    client = web_client(staff.sales_a)
    url = reverse("expenses:permit-list")
    page = client.get(url).content.decode()
    assert 'name="valid_on"' in page and 'id="flt-customer"' in page and 'id="flt-state"' in page
    assert _numbers(client.get(url)) == {now.number, later.number}
    assert _numbers(client.get(url, {"state": "approved"})) == {now.number}
    assert _numbers(client.get(url, {"customer": other.pk})) == {later.number}
    assert _numbers(client.get(url, {"valid_on": _day(2).isoformat()})) == {now.number}
    assert _numbers(client.get(url, {"valid_on": _day(15).isoformat()})) == {later.number}
    assert _numbers(client.get(url, {"valid_on": _day(5).isoformat()})) == set()
    assert _numbers(client.get(url, {"valid_on": "not-a-day"})) == {now.number, later.number}  # ignored
    assert _numbers(client.get(url, {"q": "德州"})) == {later.number}
    # the day filtered on stays in the box and in the paging links
    filtered = client.get(url, {"valid_on": _day(2).isoformat()}).content.decode()
    assert f'value="{_day(2).isoformat()}"' in filtered
    # an HTMX request gets the results only
    partial = client.get(url, {"state": "approved"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results">')


def test_the_dealer_filter_offers_the_dealers_of_the_permits_the_user_sees(staff, web_client, dealer_a):
    permit(staff.sales_a, dealer_a)
    theirs = dealer(staff, staff.sales_c)
    permit(staff.sales_c, theirs)
    html = web_client(staff.sales_a).get(reverse("expenses:permit-list")).content.decode()
    assert dealer_a.name in html and theirs.name not in html


def _add_permits(staff, count: int) -> None:
    for i in range(count):
        owner = [staff.sales_a, staff.sales_b][i % 2]
        doc = permit(owner, dealer(staff, owner), f"{1000 + i}.00")
        if i % 3 == 0:
            services.permit_transition(permit=doc, action="submit", actor=owner)


@pytest.mark.parametrize("user_name", ["sales_a", "manager1", "back_office"])
def test_the_list_page_runs_a_fixed_number_of_queries(staff, web_client, user_name):
    client = web_client(getattr(staff, user_name))
    url = reverse("expenses:permit-list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"per_page": 50}).status_code == 200
        return len(captured)

    _add_permits(staff, 4)
    few = queries()
    _add_permits(staff, 30)
    assert queries() == few


def test_the_api_list_runs_a_fixed_number_of_queries(staff, api_client):
    client = api_client(staff.manager1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/expenses/permits", {"page_size": 50}).status_code == 200
        return len(captured)

    _add_permits(staff, 4)
    few = queries()
    _add_permits(staff, 30)
    assert queries() == few


# --- My tasks ---------------------------------------------------------------------------------


def _task_numbers(client) -> set[str]:
    html = client.get(reverse("workflow:my-tasks")).content.decode()
    return set(re.findall(r'data-testid="task" data-number="([^"]*)"', html))


def test_the_manager_approves_from_my_tasks(staff, web_client, dealer_a):
    doc = submitted_permit(staff.sales_a, dealer_a)
    client = web_client(staff.manager1)
    assert doc.number in _task_numbers(client)
    step = current_step(doc)
    response = client.post(
        reverse("workflow:step-decide", args=[step.pk]), {"decision": "approve", "comment": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    doc.refresh_from_db()
    assert doc.state == "approved" and doc.approved_at is not None


def test_an_approved_permit_ending_soon_or_ended_is_a_task_of_its_owner(staff, web_client, dealer_a, days_later):
    ending = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(2))
    running = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(30))
    owner = web_client(staff.sales_a)
    assert _task_numbers(owner) == {ending.number}
    # not the manager's task
    assert ending.number not in _task_numbers(web_client(staff.manager1))
    # still there once it has ended (a new session: the old one idled out meanwhile)
    days_later(5)
    owner = web_client(staff.sales_a)
    assert _task_numbers(owner) == {ending.number}
    # and closed, it is done
    services.permit_transition(permit=ending, action="close", actor=staff.sales_a)
    assert _task_numbers(owner) == set()
    assert running.state == "approved"


# --- the printed permit -----------------------------------------------------------------------


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")


def test_the_printed_permit_carries_the_dealer_limit_in_capitals_validity_and_remit_days(staff, web_client, dealer_a):
    doc = approved_permit(staff, dealer_a, "12345.60")
    url = reverse("workflow:document-print", args=["expenses.collectionpermit", doc.pk])
    text = _pdf_text(web_client(staff.sales_a).get(url))
    assert "经销商收款许可" in text and doc.number in text and dealer_a.name in text
    assert "¥12,345.60" in text and "壹万贰仟叁佰肆拾伍元陆角整" in text
    assert doc.valid_from.isoformat() in text and doc.valid_until.isoformat() in text
    assert "1个工作日内汇回公司" in text
    assert "manager1" in text  # the approver in the chain
    assert "草稿" not in text  # approved: stamped, no draft watermark


def test_a_draft_or_closed_permit_prints_under_the_draft_watermark(staff, web_client, dealer_a):
    doc = approved_permit(staff, dealer_a)
    doc = services.permit_transition(permit=doc, action="close", actor=staff.sales_a)
    url = reverse("workflow:document-print", args=["expenses.collectionpermit", doc.pk])
    assert "草稿" in _pdf_text(web_client(staff.sales_a).get(url))


# --- the flow ---------------------------------------------------------------------------------


def test_the_flow_declares_its_transitions():
    assert {name: (t.sources, t.target) for name, t in PERMIT_FLOW.transitions.items()} == {
        "submit": (("draft", "rejected"), "pending"),
        "approve": (("pending",), "approved"),
        "reject": (("pending",), "rejected"),
        "close": (("approved",), "closed"),
        "cancel": (("draft", "rejected"), "cancelled"),
    }
    assert PERMIT_FLOW.transitions["reject"].needs_comment
    assert PERMIT_FLOW.approval_stamp == "approved_at"


# Each transition: the right role in scope, the right role out of scope, a wrong role, anonymous.
CASES = [
    ("submit", "sales_a", True),
    ("submit", "sales_c", False),
    ("submit", "manager1", False),
    ("submit", None, False),
    ("cancel", "sales_a", True),
    ("cancel", "sales_b", False),
    ("cancel", "finance", False),
    ("cancel", None, False),
    ("approve", "manager1", True),
    ("approve", "manager2", False),
    ("approve", "back_office", False),
    ("approve", None, False),
    ("reject", "manager1", True),
    ("reject", "branch_mgr", False),
    ("reject", "sales_a", False),
    ("reject", None, False),
    ("close", "sales_a", True),
    ("close", "finance", True),
    ("close", "back_office", True),
    ("close", "sales_c", False),
    ("close", "manager1", False),
    ("close", "warehouse", False),
    ("close", None, False),
]


@pytest.mark.parametrize(("action", "user_name", "allowed"), CASES)
def test_each_transition_by_actor(staff, dealer_a, action, user_name, allowed):
    if action in ("approve", "reject"):
        doc = submitted_permit(staff.sales_a, dealer_a)
    elif action == "close":
        doc = approved_permit(staff, dealer_a)
    else:
        doc = permit(staff.sales_a, dealer_a)
    actor = getattr(staff, user_name) if user_name else AnonymousUser()
    before = snapshot(doc)
    if allowed:
        doc = services.permit_transition(permit=doc, action=action, actor=actor, comment="理由")
        assert doc.state == PERMIT_FLOW.transitions[action].target
    else:
        with pytest.raises(ApplicationError):
            services.permit_transition(permit=doc, action=action, actor=actor, comment="理由")
        assert snapshot(doc) == before
