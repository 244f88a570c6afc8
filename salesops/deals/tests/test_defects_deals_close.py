"""Issue 6, defect 3: signing a contract closes the deal.

The quotation is won and its inquiry too (audited, the signer acting); a quotation with a live
contract is neither revised nor lost nor withdrawn; the pipeline counts each deal once, at its
furthest stage.
"""

import pytest
from django.utils import timezone

from salesops.core.errors import TransitionNotAllowed
from salesops.deals.choices import ContractState, InquiryState, QuotationState
from salesops.deals.models import Quotation
from salesops.deals.selectors.pipeline import pipeline
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import quotations
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as f
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def _contract_of(staff, the_deal):
    """sales_a's issued quotation for the deal's inquiry, and its contract, confirmed (no deviations)."""
    quote = f.issued_quotation(staff, the_deal)
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    contract = contract_services.contract_submit(actor=staff.sales_a, contract=contract)
    assert contract.state == ContractState.CONFIRMED
    return quote, contract


def _sign(staff, contract):
    return contract_services.contract_sign(
        actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=cf.scan()
    )


def _counts(user) -> dict[str, int]:
    return {stage.key: stage.count for stage in pipeline(user=user)}


def test_signing_the_contract_wins_the_quotation_and_the_inquiry(staff):
    # given an inquiry in bidding, its issued quotation and the confirmed contract
    the_deal = f.deal(staff)
    quote, contract = _contract_of(staff, the_deal)
    # when the salesperson records the signing
    signed = _sign(staff, contract)
    # then the deal is closed: quotation won, inquiry won
    quote.refresh_from_db()
    the_deal.inquiry.refresh_from_db()
    assert signed.state == ContractState.SIGNED
    assert quote.state == QuotationState.WON
    assert the_deal.inquiry.state == InquiryState.WON
    # each through its flow, audited, by the signer, naming the contract
    for doc in (quote, the_deal.inquiry):
        event = DocumentEvent.objects.filter(object_id=doc.pk, number=doc.number, action="win").get()
        assert event.actor == staff.sales_a
        assert signed.number in event.comment
    assert signed.number in quote.outcome_note


def test_a_quotation_already_recorded_won_is_contracted_and_signed(staff):
    # given a quotation the customer accepted (recorded won) before its contract
    the_deal = f.deal(staff)
    quote = f.issued_quotation(staff, the_deal)
    quote = quotations.quotation_record_won(quotation=quote, actor=staff.sales_a, note="客户已确认")
    # when its contract is drafted, confirmed and signed
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    signed = _sign(staff, contract_services.contract_submit(actor=staff.sales_a, contract=contract))
    # then all stay closed, with one win each
    quote.refresh_from_db()
    assert (signed.state, quote.state) == (ContractState.SIGNED, QuotationState.WON)
    assert DocumentEvent.objects.filter(number=quote.number, action="win").count() == 1


@pytest.mark.parametrize("action", ["revise", "lose", "withdraw"])
def test_a_quotation_with_a_live_contract_is_not_revised_lost_or_withdrawn(staff, action):
    # given an issued quotation with a drafted contract
    the_deal = f.deal(staff)
    quote = f.issued_quotation(staff, the_deal)
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    before = f.snapshot(quote)
    quotations_before = Quotation.objects.count()
    # when the salesperson tries to revise it, mark it lost or withdraw it
    with pytest.raises(TransitionNotAllowed) as refused:
        if action == "revise":
            quotations.quotation_revise(quotation=quote, actor=staff.sales_a)
        elif action == "lose":
            quotations.quotation_record_lost(quotation=quote, actor=staff.sales_a, note="客户选了别家")
        else:
            quotations.quotation_withdraw(quotation=quote, actor=staff.sales_a, note="不做了")
    # then it is refused naming the contract, and nothing changed (no revision either)
    assert contract.number in refused.value.message
    assert f.snapshot(quote) == before
    assert Quotation.objects.count() == quotations_before
    assert f.snapshot(the_deal.inquiry)[0] == InquiryState.BIDDING


def test_once_the_contract_is_voided_the_quotation_may_be_lost_again(staff):
    the_deal = f.deal(staff)
    quote = f.issued_quotation(staff, the_deal)
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    contract_services.contract_void(actor=staff.manager1, contract=contract, reason="客户改主意")
    lost = quotations.quotation_record_lost(quotation=quote, actor=staff.sales_a, note="客户选了别家")
    assert lost.state == QuotationState.LOST


def test_the_pipeline_counts_one_deal_once_at_its_furthest_stage(staff):
    # given an inquiry in bidding
    the_deal = f.deal(staff)
    assert _counts(staff.sales_a)["inquiry_bidding"] == 1
    # when its quotation is drafted: the deal is a quotation, not an inquiry any more
    quote = f.quotation(staff.sales_a, the_deal)
    counts = _counts(staff.sales_a)
    assert (counts["inquiry_bidding"], counts["quotation_draft"]) == (0, 1)
    # issued and contracted: the deal is a contract only
    quote = quotations.quotation_submit(quotation=quote, actor=staff.sales_a)
    quote = quotations.quotation_approve(quotation=quote, actor=staff.manager1)
    quote = quotations.quotation_issue(quotation=quote, actor=staff.sales_a)
    contract = contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=quote)
    counts = _counts(staff.sales_a)
    assert (counts["inquiry_bidding"], counts["quotation_issued"], counts["contract_draft"]) == (0, 0, 1)
    # signed: one deal, one document counted
    contract = _sign(staff, contract_services.contract_submit(actor=staff.sales_a, contract=contract))
    counts = _counts(staff.sales_a)
    assert counts["contract_signed"] == 1
    assert sum(counts.values()) == 1


def test_a_quotation_with_a_live_contract_offers_no_lost_withdraw_or_revise_button(staff, web_client):
    from django.urls import reverse

    deal = cf.Deal(staff)
    page = web_client(staff.sales_a).get(reverse("deals:quotation-detail", args=[deal.quotation.pk])).content.decode()
    assert 'data-testid="lost"' in page and 'data-testid="revise"' in page
    deal.draft()
    page = web_client(staff.sales_a).get(reverse("deals:quotation-detail", args=[deal.quotation.pk])).content.decode()
    for button in ("lost", "withdraw", "revise"):
        assert f'data-testid="{button}"' not in page, button
    assert 'data-testid="won"' in page


def test_one_deal_has_one_live_contract_even_through_a_sibling_quotation(staff):
    from salesops.workflow.tests.kit import assert_refused_unchanged

    # given an inquiry with two issued quotations, and a contract drafted from the first
    deal = f.deal(staff)
    first = f.issued_quotation(staff, deal)
    second = f.issued_quotation(staff, deal)
    contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=first)
    # then neither a contract from the sibling nor a new quotation of the inquiry is possible
    assert_refused_unchanged(
        second,
        lambda: contract_services.contract_draft_from_quotation(actor=staff.sales_a, quotation=second),
        TransitionNotAllowed,
    )
    with pytest.raises(TransitionNotAllowed):
        f.quotation(staff.sales_a, deal)
