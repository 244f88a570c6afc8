"""Issue 6, defect 6: R4 beyond prices. A warranty, delivery time or other terms that differ from
the company's standard terms (admin-configured) make a quotation non-standard, with the reason;
whoever wrote a quotation's prices does not approve them.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.core.errors import Forbidden
from salesops.deals.choices import QuotationState
from salesops.deals.models import StandardTerms
from salesops.deals.services import quotations
from salesops.deals.services.terms import standard_terms_update
from salesops.deals.tests import factories as f
from salesops.workflow.approvals import current_step
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def _standard(staff, **terms) -> StandardTerms:
    return standard_terms_update(actor=staff.admin, **terms)


@pytest.mark.parametrize(
    ("term", "standard", "given"),
    [
        ("warranty", "一年", "两年"),
        ("delivery_time", "合同签订后 15 天", "合同签订后 60 天"),
        ("other_terms", "运费由买方承担", "运费由我方承担"),
    ],
)
def test_a_term_differing_from_the_standard_makes_the_quotation_non_standard(staff, term, standard, given):
    # given the company's standard for the term
    _standard(staff, **{term: standard})
    the_deal = f.deal(staff)
    # when a quotation at standard prices gives another term
    quote = f.quotation(staff.sales_a, the_deal, **{term: given})
    # then it is non-standard, and the reason names both terms like the price reasons do
    quote.refresh_from_db()
    assert quote.is_non_standard
    assert len(quote.non_standard_reasons) == 1
    assert given in quote.non_standard_reasons[0] and standard in quote.non_standard_reasons[0]
    # and the review says so: the quotation carries the non_standard flag
    assert "non_standard" in quote.approval_flags()


def test_the_standard_terms_as_given_are_standard(staff):
    _standard(staff, warranty="一年", delivery_time="合同签订后 15 天", other_terms="")
    # blanks around or inside a term are not a difference
    quote = f.quotation(staff.sales_a, f.deal(staff), warranty=" 一年 ", delivery_time="合同签订后  15 天")
    quote.refresh_from_db()
    assert (quote.is_non_standard, quote.non_standard_reasons) == (False, [])


def test_an_empty_standard_sets_no_standard_and_a_missing_term_differs(staff):
    # no standard configured: anything goes (the default)
    quote = f.quotation(staff.sales_a, f.deal(staff), warranty="三个月")
    assert not quote.is_non_standard
    # a standard warranty: a quotation that leaves it out is non-standard
    _standard(staff, warranty="一年")
    quote = f.quotation(staff.sales_a, f.deal(staff), warranty="")
    assert quote.is_non_standard and "一年" in quote.non_standard_reasons[0]


def test_the_flag_is_derived_again_when_the_standard_changes_before_submission(staff):
    the_deal = f.deal(staff)
    quote = f.quotation(staff.sales_a, the_deal, warranty="两年")
    assert not quote.is_non_standard
    _standard(staff, warranty="一年")
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    quote.refresh_from_db()
    assert quote.is_non_standard and "两年" in quote.non_standard_reasons[0]


def test_the_admin_edits_the_standard_terms_in_the_admin_site_and_the_edit_is_audited(staff, web_client):
    # given the registered defaults: one row, no standard set
    terms = StandardTerms.objects.current()
    client = web_client(staff.admin)
    url = f"/admin/deals/standardterms/{terms.pk}/change/"
    assert client.get(url).status_code == 200
    # when the admin sets the warranty
    response = client.post(url, {"warranty": "一年", "delivery_time": "", "other_terms": ""})
    # then it is stored, with who changed what
    assert response.status_code == 302
    assert StandardTerms.objects.get().warranty == "一年"
    event = DocumentEvent.objects.get(number="R4-terms", action="edit")
    assert (event.actor, event.changes["warranty"]) == (staff.admin, ["", "一年"])
    # one row only: no second one can be added, none deleted
    assert client.get("/admin/deals/standardterms/add/").status_code == 403
    assert web_client(staff.manager1).get(url).status_code == 302  # to the admin log-in


def test_only_the_admin_sets_the_standard_terms(staff):
    before = StandardTerms.objects.current().warranty
    with pytest.raises(Forbidden):
        standard_terms_update(actor=staff.manager1, warranty="十年")
    assert StandardTerms.objects.current().warranty == before


# Whoever wrote the prices does not approve them.


def test_whoever_drafted_the_quotation_is_excluded_from_approving_it(staff):
    # given the manager drafting the quotation for sales_a's inquiry
    the_deal = f.deal(staff)
    quote = f.quotation(staff.manager1, the_deal)
    assert quote.owner == staff.sales_a
    # then the owner and the manager who wrote the prices are excluded, read in one query
    with CaptureQueriesContext(connection) as queries:
        excluded = quote.excluded_approver_ids()
    assert excluded == {staff.sales_a.pk, staff.manager1.pk}
    assert len(queries) == 1


def test_a_revision_keeps_the_writers_of_the_prices_it_copies(staff):
    # given the manager's prices on sales_a's quotation, approved by leadership and issued
    the_deal = f.deal(staff)
    quote = quotations.quotation_submit(quotation=f.quotation(staff.manager1, the_deal), actor=staff.sales_a)
    quote = quotations.quotation_approve(quotation=quote, actor=staff.boss)
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    # when sales_a revises it (the prices are copied)
    revision = quotations.quotation_revise(quotation=quote, actor=staff.sales_a)
    # then the manager still may not approve them
    assert revision.excluded_approver_ids() == {staff.sales_a.pk, staff.manager1.pk}


# needs kernel hook excluded_approver_ids
def test_a_manager_who_drafted_the_prices_cannot_approve_them_and_someone_else_does(staff):
    # given the manager drafts the quotation for sales_a's inquiry, and sales_a submits it
    the_deal = f.deal(staff)
    quote = f.quotation(staff.manager1, the_deal)
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    before = f.snapshot(quote)
    # when that manager (sales_a's own manager) tries to approve
    with pytest.raises(Forbidden):
        quotations.quotation_approve(quotation=quote, actor=staff.manager1)
    # then nothing changed, and the chain waits for someone else, who approves
    assert f.snapshot(quote) == before
    step = current_step(quote)
    assert step is not None and not step.can_decide(staff.manager1)
    approved = quotations.quotation_approve(quotation=quote, actor=staff.boss)
    assert approved.state == QuotationState.APPROVED
