"""negotiation_note_add and negotiation_notes_for (W3.1-2)."""

from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.deals.lines import LineIn
from salesops.deals.models import NegotiationNote
from salesops.deals.selectors.quotations import negotiation_notes_for
from salesops.deals.services import quotations
from salesops.deals.services.negotiations import negotiation_note_add
from salesops.deals.tests.factories import deal, events_of, in_days, issued_quotation, quotation, snapshot
from salesops.workflow.models import Notification

pytestmark = pytest.mark.django_db


def test_the_owner_records_a_round_and_the_manager_is_told(staff):
    # given an issued quotation
    quote = issued_quotation(staff, deal(staff))
    Notification.objects.all().delete()
    # when
    note = negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(0), note="客户要求降价 3%")
    # then
    assert (note.author, note.note, note.asks_instruction) == (staff.sales_a, "客户要求降价 3%", False)
    assert events_of(quote)[-1] == "negotiation"
    assert list(Notification.objects.values_list("user", flat=True)) == [staff.manager1.pk]
    assert quote.number in Notification.objects.get().text


def test_a_major_deal_asks_leadership_for_instruction(staff):
    # given an issued quotation of ¥600,000 (major)
    the_deal = deal(staff)
    big = [LineIn(product_id=the_deal.seeder.pk, quantity=Decimal("600"), unit_price=Decimal("1000.00"))]
    quote = issued_quotation(staff, the_deal, big)
    Notification.objects.all().delete()
    # when
    note = negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(-1), note="对方要求分期")
    # then
    assert note.asks_instruction is True
    told = set(Notification.objects.values_list("user", flat=True))
    assert told == {staff.manager1.pk, staff.boss.pk}


def test_notes_are_kept_after_the_quotation_is_won(staff):
    quote = issued_quotation(staff, deal(staff))
    quote = quotations.quotation_record_won(quotation=quote, actor=staff.sales_a)
    note = negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(0), note="合同条款商谈")
    assert note.quotation == quote


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [("manager1", Forbidden), ("sales_b", NotFound), ("technical", Forbidden), ("boss", Forbidden)],
)
def test_only_the_owner_records_negotiation(staff, actor_name, error):
    quote = issued_quotation(staff, deal(staff))
    before = snapshot(quote)
    with pytest.raises(error):
        negotiation_note_add(actor=getattr(staff, actor_name), quotation=quote, happened_on=in_days(0), note="x")
    assert snapshot(quote) == before and NegotiationNote.objects.count() == 0


def test_no_negotiation_before_the_quotation_is_issued(staff):
    quote = quotation(staff.sales_a, deal(staff))
    before = snapshot(quote)
    with pytest.raises(TransitionNotAllowed):
        negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(0), note="x")
    assert snapshot(quote) == before and NegotiationNote.objects.count() == 0


def test_a_note_needs_text_and_a_date_not_in_the_future(staff):
    quote = issued_quotation(staff, deal(staff))
    before = snapshot(quote)
    with pytest.raises(InvalidInput) as caught:
        negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(1), note="  ")
    assert set(caught.value.extra["fields"]) == {"happened_on", "note"}
    assert snapshot(quote) == before and NegotiationNote.objects.count() == 0


def test_notes_are_seen_by_the_owner_the_manager_and_leadership_only(staff):
    # given two rounds on sales_a's quotation
    quote = issued_quotation(staff, deal(staff))
    second = negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(0), note="第二轮")
    first = negotiation_note_add(actor=staff.sales_a, quotation=quote, happened_on=in_days(-3), note="第一轮")
    # then, in date order
    for reader in (staff.sales_a, staff.manager1, staff.boss):
        assert list(negotiation_notes_for(user=reader, quotation=quote)) == [first, second]
    for outsider in (staff.sales_b, staff.manager2, staff.technical, staff.finance):
        assert list(negotiation_notes_for(user=outsider, quotation=quote)) == []
