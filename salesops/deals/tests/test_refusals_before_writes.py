"""A refused action writes nothing, even inside a caller's transaction, and the page says why.

The kernel's ``transition`` checks the state, the actor, the guard and a required reason before
its first write, so a caller that catches the refusal and carries on in the same transaction (the
demo loader, a job) finds the document as it was. A plain button whose guard holds it back is shown
disabled with the reason, not offered and then refused.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from salesops.deals.models import Quotation
from salesops.deals.services import quotations
from salesops.deals.tests.factories import approved_quotation, deal, in_days, issued_quotation, snapshot
from salesops.deals.workflows import QUOTATION_FLOW
from salesops.workflow.services import transition

pytestmark = pytest.mark.django_db


def _expired(quote: Quotation) -> Quotation:
    Quotation.objects.filter(pk=quote.pk).update(valid_until=in_days(-1))
    return Quotation.objects.get(pk=quote.pk)


def test_issuing_an_expired_quotation_writes_nothing_in_the_callers_transaction(staff):
    # given an approved quotation whose validity date has passed
    quote = _expired(approved_quotation(staff, deal(staff)))
    before = snapshot(quote)
    # when the issue is refused inside a caller's transaction, which carries on
    with transaction.atomic():
        with pytest.raises(TransitionNotAllowed) as refused:
            transition(QUOTATION_FLOW, quote, "issue", actor=staff.sales_a, values={"issued_at": timezone.now()})
        # then, still inside it, the quotation is as it was: no state, issue time, version or event
        assert snapshot(quote) == before
    assert "修订" in refused.value.message  # "revise it"


def test_a_withdrawal_without_a_reason_names_the_note_and_writes_nothing(staff):
    quote = issued_quotation(staff, deal(staff))
    before = snapshot(quote)
    with transaction.atomic():
        with pytest.raises(InvalidInput) as refused:
            quotations.quotation_withdraw(quotation=quote, actor=staff.sales_a, note="  ")
        assert snapshot(quote) == before
    assert list(refused.value.extra["fields"]) == ["note"]


def test_a_withdrawal_by_a_role_that_may_not_is_refused_for_the_role_before_the_reason(staff):
    quote = issued_quotation(staff, deal(staff))
    before = snapshot(quote)
    with pytest.raises(Forbidden):
        quotations.quotation_withdraw(quotation=quote, actor=staff.boss, note="")
    assert snapshot(quote) == before


def test_the_issue_button_of_an_expired_quotation_is_held_with_the_reason(staff, web_client):
    quote = _expired(approved_quotation(staff, deal(staff)))
    html = web_client(staff.sales_a).get(quote.get_absolute_url()).content.decode()
    assert 'data-testid="held-issue"' in html
    assert 'data-testid="act-issue"' not in html
    assert "修订" in html.split('data-testid="held-issue"')[1].split("</span>")[0]


def test_an_expired_quotation_offers_no_draft_contract_button(staff, web_client):
    quote = issued_quotation(staff, deal(staff))
    assert 'data-testid="draft-contract"' in web_client(staff.sales_a).get(quote.get_absolute_url()).content.decode()
    quote = _expired(quote)
    assert (
        'data-testid="draft-contract"' not in web_client(staff.sales_a).get(quote.get_absolute_url()).content.decode()
    )
