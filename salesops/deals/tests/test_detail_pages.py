"""Issue 6 (the kit): the inquiry's, quotation's and contract's pages are the kernel's generic
document page. Their buttons come from the flow (``Flow.allows``) and from one predicate each for
the steps that are not flow actions, never from flags written by hand in a view."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from salesops.deals.services import inquiries as inquiry_services
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f

pytestmark = pytest.mark.django_db


def _buttons(html: str) -> set[str]:
    """The test ids of the page's header buttons (Edit, form actions, the type's own, Print)."""
    start = html.index('data-testid="buttons"')
    block = html[start : html.index("</div>", start)]
    return set(re.findall(r'data-testid="([a-z-]+)"', block)) - {"buttons"}


def _fields(html: str) -> set[str]:
    start = html.index('data-testid="fields"')
    block = html[start : html.index("</dl>", start)]
    return set(re.findall(r'data-testid="([a-z-]+)"', block)) - {"fields"}


def _page(web_client, user, doc) -> str:
    response = web_client(user).get(doc.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("sales_a", {"revise", "won", "lost", "withdraw", "draft-contract", "print"}),
        ("manager1", {"won", "lost", "withdraw", "draft-contract", "print"}),
        ("boss", {"print"}),
    ],
)
def test_an_issued_quotations_buttons_are_what_its_flow_allows_each_user(staff, web_client, who, expected):
    # given an issued quotation of sales_a's
    deal = cf.Deal(staff)
    # when its salesperson, their manager or leadership opens it
    html = _page(web_client, getattr(staff, who), deal.quotation)
    # then each sees exactly the steps open to them
    assert _buttons(html) == expected


def test_a_quotation_with_a_live_contract_offers_neither_a_second_contract_nor_revise(staff, web_client):
    # given an issued quotation whose contract was drafted
    deal = cf.Deal(staff)
    deal.draft()
    # when its salesperson opens it
    html = _page(web_client, staff.sales_a, deal.quotation)
    # then only won remains of its outcomes, and no second contract is offered
    assert _buttons(html) == {"won", "print"}
    # and the manager is not offered a second contract either
    assert "draft-contract" not in _buttons(_page(web_client, staff.manager1, deal.quotation))


def test_revise_and_draft_the_contract_are_posts_without_a_form_page(staff, web_client):
    deal = cf.Deal(staff)
    html = _page(web_client, staff.sales_a, deal.quotation)
    for url_name, testid in (("deals:quotation-revise", "revise"), ("deals:contract-create", "draft-contract")):
        url = reverse(url_name, args=[deal.quotation.pk])
        assert re.search(rf'<form method="post" action="{url}">.*?data-testid="{testid}"', html), testid


def test_the_quotation_page_links_its_inquiry_and_shows_the_declared_fields(staff, web_client):
    the_deal = f.deal(staff)
    quotation = f.issued_quotation(staff, the_deal)
    html = _page(web_client, staff.sales_a, quotation)
    assert {"customer", "inquiry", "owner", "valid-until", "issued-at"} <= _fields(html)
    assert f'<a href="{the_deal.inquiry.get_absolute_url()}">{the_deal.inquiry.number}</a>' in html


@pytest.mark.parametrize(("who", "expected"), [("sales_a", {"sign", "print"}), ("manager1", {"print"})])
def test_only_the_owner_is_offered_the_signing_of_a_confirmed_contract(staff, web_client, who, expected):
    # given a confirmed contract of sales_a's
    contract = cf.confirmed_contract(staff, cf.Deal(staff))
    # then the signing form's button is the owner's, and links to the signing form
    html = _page(web_client, getattr(staff, who), contract)
    assert _buttons(html) == expected
    assert (reverse("deals:contract-sign", args=[contract.pk]) in html) is (who == "sales_a")


def test_a_draft_contract_offers_edit_to_its_owner_and_links_its_quotation(staff, web_client):
    deal = cf.Deal(staff)
    contract = deal.draft()
    html = _page(web_client, staff.sales_a, contract)
    assert _buttons(html) == {"edit", "print"}
    assert _buttons(_page(web_client, staff.manager1, contract)) == {"print"}
    assert f'<a href="{deal.quotation.get_absolute_url()}">{deal.quotation.number}</a>' in html
    assert 'data-testid="side-by-side"' in html


@pytest.mark.parametrize(
    ("bid", "who", "expected"),
    [
        (False, "sales_a", {"edit", "ask-support"}),
        (False, "manager1", {"ask-support"}),
        (False, "boss", set()),
        (True, "sales_a", {"ask-support", "new-quotation"}),
        (True, "manager1", {"ask-support", "new-quotation"}),
    ],
)
def test_an_inquirys_buttons_and_no_print_for_a_type_without_a_printed_form(staff, web_client, bid, who, expected):
    # given a reported inquiry (or one in bidding)
    the_deal = f.deal(staff, bid=bid)
    html = _page(web_client, getattr(staff, who), the_deal.inquiry)
    assert _buttons(html) == expected
    # an inquiry has no printed form: no print link anywhere on its page
    assert reverse("workflow:document-print", args=["deals.inquiry", the_deal.inquiry.pk]) not in html


def test_the_inquiry_page_shows_its_declared_fields_and_unpriced_lines(staff, web_client):
    the_deal = f.deal(staff, bid=False)
    html = _page(web_client, staff.sales_a, the_deal.inquiry)
    assert {"customer", "owner", "source", "title"} <= _fields(html)
    assert html.count('data-testid="line"') == 2 and 'data-testid="total"' not in html


def test_the_waive_button_is_on_a_request_exactly_when_the_support_flow_allows(staff, web_client):
    # given a reported inquiry with one open technical request
    the_deal = f.deal(staff, bid=False)
    request = inquiry_services.support_request_create(
        actor=staff.sales_a, inquiry=the_deal.inquiry, kind="technical", question="型号参数?", due_on=f.in_days(3)
    )
    # then the manager may waive it, the salesperson and leadership may not
    assert 'data-testid="waive"' in _page(web_client, staff.manager1, the_deal.inquiry)
    assert 'data-testid="waive"' not in _page(web_client, staff.sales_a, the_deal.inquiry)
    assert 'data-testid="waive"' not in _page(web_client, staff.boss, the_deal.inquiry)
    # and once answered nobody is offered the waiver
    inquiry_services.support_request_answer(actor=staff.technical, support_request=request, answer="见附件")
    assert 'data-testid="waive"' not in _page(web_client, staff.manager1, the_deal.inquiry)


def test_no_page_writes_a_flow_actions_flag_by_hand():
    # The three pages' views and templates name no can_<action> flag of a flow action: the buttons
    # come from Flow.allows (form actions) and the predicates of the steps that are not flow actions.
    deals = Path(__file__).resolve().parent.parent
    sources = [deals / "views" / name for name in ("inquiries.py", "quotations.py", "contracts.py")]
    sources += [deals / "templates" / "deals" / f"{kind}_detail.html" for kind in ("inquiry", "quotation", "contract")]
    flags = {flag for path in sources for flag in re.findall(r"\bcan_([a-z_]+)", path.read_text())}
    # What remains is no flow action: the inquiry list's can_create (a sales role), the
    # negotiation-note form's can_note, and can_waive (set from SUPPORT_FLOW.allows).
    assert flags <= {"create", "note", "waive"}, flags
