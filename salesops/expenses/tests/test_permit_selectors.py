"""The reads the receivables app's R2 check uses: ``permit_covering`` (was this salesperson allowed to
collect this dealer's money that day?) and ``permits_usable_by``; and when a permit is expired."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesops.expenses import services
from salesops.expenses.models import PermitState
from salesops.expenses.selectors import permit_covering, permits_usable_by
from salesops.expenses.tests.factories import approved_permit, dealer, permit, submitted_permit

pytestmark = pytest.mark.django_db


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _covering(staff, dealer_, offset: int, salesperson=None):
    return permit_covering(salesperson_id=(salesperson or staff.sales_a).pk, customer_id=dealer_.pk, on=_day(offset))


def test_an_approved_permit_covers_each_day_of_its_validity_and_no_other(staff, dealer_a):
    # given sales_a's permit for days 0..9, approved today
    doc = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(9))
    # then it covers day 0 to day 9 of that salesperson and dealer
    assert _covering(staff, dealer_a, 0) == doc
    assert _covering(staff, dealer_a, 9) == doc
    assert _covering(staff, dealer_a, 10) is None
    assert _covering(staff, dealer_a, -1) is None


def test_it_covers_only_its_own_salesperson_and_dealer(staff, dealer_a):
    approved_permit(staff, dealer_a)
    other_dealer = dealer(staff, staff.sales_a)
    assert _covering(staff, other_dealer, 1) is None
    assert _covering(staff, dealer_a, 1, salesperson=staff.sales_b) is None


def test_a_permit_not_approved_covers_nothing(staff, dealer_a):
    draft = permit(staff.sales_a, dealer_a)
    pending = submitted_permit(staff.sales_a, dealer_a)
    rejected = services.permit_transition(
        permit=submitted_permit(staff.sales_a, dealer_a), action="reject", actor=staff.manager1, comment="不同意"
    )
    cancelled = services.permit_transition(permit=permit(staff.sales_a, dealer_a), action="cancel", actor=staff.sales_a)
    assert {d.state for d in (draft, pending, rejected, cancelled)} == {"draft", "pending", "rejected", "cancelled"}
    assert _covering(staff, dealer_a, 0) is None


def test_leave_given_after_the_collection_covers_nothing_before_it(staff, dealer_a, days_later):
    # given a permit valid from today, approved only two days later
    doc = submitted_permit(staff.sales_a, dealer_a, valid_from=_day(0), valid_until=_day(9))
    days_later(2)
    services.permit_transition(permit=doc, action="approve", actor=staff.manager1)
    # then money collected before the approval day was collected without permission (R2)
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=_day(-1)) is None
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=_day(-2)) is None
    # and from the approval day on it covers
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=_day(0)) == doc


def test_a_closed_permit_still_covers_the_days_it_was_open_and_none_after(staff, dealer_a, days_later):
    # given a permit valid 0..9, closed on day 3 once the money was remitted
    doc = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(9))
    days_later(3)
    doc = services.permit_transition(permit=doc, action="close", actor=staff.sales_a)
    assert doc.state == PermitState.CLOSED
    # then a receipt of day 1 or of the closing day is still covered, one of day 4 is not
    start = _day(-3)
    on = {n: start + datetime.timedelta(days=n) for n in (1, 3, 4)}
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=on[1]) == doc
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=on[3]) == doc
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=on[4]) is None


def test_of_two_covering_permits_the_one_approved_last(staff, dealer_a, days_later):
    first = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(20))
    second = submitted_permit(staff.sales_a, dealer_a, valid_from=_day(1), valid_until=_day(5))
    days_later(1)
    second = services.permit_transition(permit=second, action="approve", actor=staff.manager1)
    assert _covering(staff, dealer_a, 0) == second  # "today" is day 1 now: _day(0) is the second's first day
    assert permit_covering(salesperson_id=staff.sales_a.pk, customer_id=dealer_a.pk, on=_day(-1)) == first


def test_permit_covering_is_one_query(staff, dealer_a):
    approved_permit(staff, dealer_a)
    with CaptureQueriesContext(connection) as captured:
        found = _covering(staff, dealer_a, 1)
        assert found.customer.name and found.owner.username  # read along, no more queries
    assert len(captured) == 1


def test_permits_usable_by_the_owner_today(staff, dealer_a, days_later):
    doc = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(4))
    later = approved_permit(staff, dealer_a, valid_from=_day(10), valid_until=_day(20))
    assert list(permits_usable_by(staff.sales_a, dealer_a)) == [doc]
    assert list(permits_usable_by(staff.sales_a, dealer_a, on=_day(12))) == [later]
    # not for someone else, not for another dealer
    assert list(permits_usable_by(staff.manager1, dealer_a)) == []
    assert list(permits_usable_by(staff.sales_a, dealer(staff, staff.sales_a))) == []
    # not once closed
    services.permit_transition(permit=doc, action="close", actor=staff.sales_a)
    assert list(permits_usable_by(staff.sales_a, dealer_a)) == []


def test_an_approved_permit_past_its_last_day_is_expired(staff, dealer_a, days_later):
    doc = approved_permit(staff, dealer_a, valid_from=_day(0), valid_until=_day(2))
    draft = permit(staff.sales_a, dealer_a, valid_from=_day(0), valid_until=_day(2))
    assert not doc.is_expired and doc.is_usable()
    days_later(2)
    assert not doc.is_expired and doc.is_usable()  # its last day still counts
    days_later(3)
    assert doc.is_expired and not doc.is_usable()
    assert not draft.is_expired  # only a permit that could be used expires
    assert list(permits_usable_by(staff.sales_a, dealer_a)) == []
