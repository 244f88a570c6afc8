"""permit_create / permit_update / permit_transition / collection_settings_update: dealer collection
permits (经销商收款许可, R2)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.expenses import services
from salesops.expenses.models import CollectionPermit, CollectionSettings, PermitState
from salesops.expenses.tests.factories import (
    approved_permit,
    customer,
    dealer,
    events_of,
    permit,
    snapshot,
    submitted_permit,
)
from salesops.workflow.approvals import steps_of
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _create(staff, actor, **change):
    fields = {
        "customer_id": None,
        "limit_amount": Decimal("20000.00"),
        "method": "cash",
        "reason": "经销商在外地，现款需当面收取",
        "valid_from": TODAY(),
        "valid_until": TODAY() + datetime.timedelta(days=10),
        **change,
    }
    return services.permit_create(actor=actor, **fields)


# --- the happy path ---------------------------------------------------------------------------


def test_raised_submitted_approved_by_the_manager_then_closed_by_the_owner(staff, dealer_a):
    # given a draft permit of sales_a's for his dealer
    doc = permit(staff.sales_a, dealer_a, "30000.00", method="cash")
    assert doc.number.startswith("SQ") and doc.state == PermitState.DRAFT
    assert (doc.owner, doc.customer, doc.limit_amount) == (staff.sales_a, dealer_a, Decimal("30000.00"))
    assert doc.remit_working_days == 1  # the company's default
    # when he submits it
    doc = services.permit_transition(permit=doc, action="submit", actor=staff.sales_a)
    # then it waits for his sales manager, named by the reporting line
    assert doc.state == PermitState.PENDING
    assert [(s.role, s.status, s.approver_id) for s in steps_of(doc)] == [
        ("sales_manager", "pending", staff.manager1.pk)
    ]
    # when the manager approves
    doc = services.permit_transition(permit=doc, action="approve", actor=staff.manager1, comment="同意")
    # then it may be used from now on
    assert doc.state == PermitState.APPROVED and doc.approved_at is not None
    assert doc.is_usable() and not doc.is_expired
    # when the owner closes it once the money is remitted
    doc = services.permit_transition(permit=doc, action="close", actor=staff.sales_a, comment="已汇回")
    # then
    assert doc.state == PermitState.CLOSED and doc.closed_at is not None and not doc.is_usable()
    assert events_of(doc) == ["create", "submit", "approve", "close"]


def test_rejected_then_edited_and_resubmitted(staff, dealer_a):
    doc = submitted_permit(staff.sales_a, dealer_a, "80000.00")
    doc = services.permit_transition(permit=doc, action="reject", actor=staff.manager1, comment="金额过大")
    assert doc.state == PermitState.REJECTED
    doc = services.permit_update(permit=doc, actor=staff.sales_a, version=doc.version, limit_amount=Decimal("20000"))
    doc = services.permit_transition(permit=doc, action="submit", actor=staff.sales_a)
    assert (doc.state, doc.limit_amount) == (PermitState.PENDING, Decimal("20000.00"))
    assert [s.round for s in steps_of(doc) if s.status == "pending"] == [2]


@pytest.mark.parametrize("closer", ["finance", "back_office"])
def test_finance_or_the_sales_office_closes_an_approved_permit(staff, dealer_a, closer):
    doc = approved_permit(staff, dealer_a)
    doc = services.permit_transition(permit=doc, action="close", actor=getattr(staff, closer))
    assert doc.state == PermitState.CLOSED


def test_a_manager_cancels_nothing_and_the_owner_cancels_a_draft(staff, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    before = snapshot(doc)
    with pytest.raises(Forbidden):
        services.permit_transition(permit=doc, action="cancel", actor=staff.manager1)
    assert snapshot(doc) == before
    assert services.permit_transition(permit=doc, action="cancel", actor=staff.sales_a).state == "cancelled"


# --- refusals change nothing ------------------------------------------------------------------


def _refused_create(staff, actor, field: str | None, error=InvalidInput, **change) -> ApplicationError:
    events = DocumentEvent.objects.count()
    with pytest.raises(error) as refused:
        _create(staff, actor, **change)
    assert CollectionPermit.objects.count() == 0 and DocumentEvent.objects.count() == events
    if field is not None:
        assert field in refused.value.extra["fields"]
    return refused.value


def test_a_customer_who_is_no_dealer_is_refused(staff):
    end_user = customer(staff, staff.sales_a)  # kind end_user
    _refused_create(staff, staff.sales_a, "customer", customer_id=end_user.pk)


def test_another_salespersons_dealer_is_refused(staff):
    theirs = dealer(staff, staff.sales_b)
    _refused_create(staff, staff.sales_a, "customer", customer_id=theirs.pk)


def test_an_inactive_dealer_is_refused(staff):
    gone = dealer(staff, staff.sales_a, is_active=False)
    _refused_create(staff, staff.sales_a, "customer", customer_id=gone.pk)


def test_no_dealer_is_refused(staff):
    _refused_create(staff, staff.sales_a, "customer", customer_id=None)


def test_valid_until_before_valid_from_is_refused(staff, dealer_a):
    _refused_create(
        staff,
        staff.sales_a,
        "valid_until",
        customer_id=dealer_a.pk,
        valid_from=TODAY() + datetime.timedelta(days=5),
        valid_until=TODAY() + datetime.timedelta(days=4),
    )


def test_a_first_day_in_the_past_is_refused(staff, dealer_a):
    # R2: permission before the collection, never for money already taken
    _refused_create(
        staff, staff.sales_a, "valid_from", customer_id=dealer_a.pk, valid_from=TODAY() - datetime.timedelta(days=1)
    )


def test_longer_than_the_longest_permit_is_refused(staff, dealer_a):
    # 90 days, both ends counted: the 91st day is one too many
    start = TODAY()
    _refused_create(
        staff,
        staff.sales_a,
        "valid_until",
        customer_id=dealer_a.pk,
        valid_from=start,
        valid_until=start + datetime.timedelta(days=90),
    )
    ok = _create(
        staff, staff.sales_a, customer_id=dealer_a.pk, valid_from=start, valid_until=start + datetime.timedelta(days=89)
    )
    assert ok.state == PermitState.DRAFT


@pytest.mark.parametrize("amount", ["0", "-100.00", "10.001", "NaN"])
def test_a_limit_that_is_not_a_positive_amount_in_fen_is_refused(staff, dealer_a, amount):
    _refused_create(staff, staff.sales_a, "limit_amount", customer_id=dealer_a.pk, limit_amount=Decimal(amount))


def test_every_bad_field_is_named_at_once(staff):
    end_user = customer(staff, staff.sales_a)
    refused = _refused_create(
        staff,
        staff.sales_a,
        None,
        customer_id=end_user.pk,
        limit_amount=Decimal("0"),
        valid_until=TODAY() - datetime.timedelta(days=1),
    )
    assert set(refused.extra["fields"]) == {"customer", "limit_amount", "valid_until"}


def test_a_method_that_is_not_offered_is_refused(staff, dealer_a):
    _refused_create(staff, staff.sales_a, "method", customer_id=dealer_a.pk, method="bitcoin")


@pytest.mark.parametrize("role", ["warehouse", "finance", "back_office", "technical"])
def test_a_role_that_raises_no_permits_is_refused(staff, dealer_a, role):
    _refused_create(staff, getattr(staff, role), None, error=Forbidden, customer_id=dealer_a.pk)


def test_the_owner_cannot_approve_their_own_permit(staff):
    # given manager1's own permit (his chain goes up the line, past himself)
    doc = submitted_permit(staff.manager1, dealer(staff, staff.manager1))
    before = snapshot(doc)
    # when he approves it himself
    with pytest.raises(Forbidden):
        services.permit_transition(permit=doc, action="approve", actor=staff.manager1)
    # then nothing changed
    assert snapshot(doc) == before and doc.state == PermitState.PENDING


@pytest.mark.parametrize(
    ("user_name", "error"), [("sales_a", Forbidden), ("sales_b", NotFound), ("manager2", NotFound)]
)
def test_approval_by_someone_else_than_the_manager_is_refused(staff, dealer_a, user_name, error):
    doc = submitted_permit(staff.sales_a, dealer_a)
    before = snapshot(doc)
    with pytest.raises(error):
        services.permit_transition(permit=doc, action="approve", actor=getattr(staff, user_name))
    assert snapshot(doc) == before


@pytest.mark.parametrize(
    ("user_name", "error"), [("manager1", Forbidden), ("sales_b", NotFound), ("warehouse", NotFound)]
)
def test_closing_by_anyone_else_is_refused(staff, dealer_a, user_name, error):
    doc = approved_permit(staff, dealer_a)
    before = snapshot(doc)
    with pytest.raises(error):
        services.permit_transition(permit=doc, action="close", actor=getattr(staff, user_name))
    assert snapshot(doc) == before


def test_a_draft_is_not_closed(staff, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        services.permit_transition(permit=doc, action="close", actor=staff.sales_a)
    assert snapshot(doc) == before


def test_a_permit_whose_last_day_passed_is_neither_submitted_nor_approved(staff, dealer_a, days_later):
    # given a draft and a pending permit that both ended yesterday
    draft = permit(staff.sales_a, dealer_a, valid_until=TODAY() + datetime.timedelta(days=2))
    pending = submitted_permit(staff.sales_a, dealer_a, valid_until=TODAY() + datetime.timedelta(days=2))
    days_later(3)
    for doc, action, actor in ((draft, "submit", staff.sales_a), (pending, "approve", staff.manager1)):
        before = snapshot(doc)
        with pytest.raises(TransitionNotAllowed):
            services.permit_transition(permit=doc, action=action, actor=actor)
        assert snapshot(doc) == before
    # and the manager may still reject the pending one
    assert services.permit_transition(
        permit=pending, action="reject", actor=staff.manager1, comment="已过期"
    ).state == (PermitState.REJECTED)


# --- edits ------------------------------------------------------------------------------------


def test_the_owner_edits_a_draft(staff, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    other = dealer(staff, staff.sales_a)
    doc = services.permit_update(
        permit=doc,
        actor=staff.sales_a,
        version=1,
        customer_id=other.pk,
        method="bank_draft",
        valid_until=doc.valid_from + datetime.timedelta(days=5),
    )
    assert (doc.customer, doc.method, doc.version) == (other, "bank_draft", 2)
    assert events_of(doc) == ["create", "edit"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"limit_amount": Decimal("-1")}, "limit_amount"),
        ({"valid_until": "VALID_FROM_MINUS_ONE"}, "valid_until"),
        ({"valid_from": "YESTERDAY"}, "valid_from"),
        ({"customer_id": "END_USER"}, "customer"),
        ({"state": "approved"}, "state"),
        ({"approved_at": "2026-01-01T00:00:00Z"}, "approved_at"),
        ({"remit_working_days": 30}, "remit_working_days"),
        ({"reason": ""}, "reason"),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(staff, dealer_a, change, field):
    doc = permit(staff.sales_a, dealer_a, valid_from=TODAY() + datetime.timedelta(days=3))
    stand_ins = {
        "VALID_FROM_MINUS_ONE": doc.valid_from - datetime.timedelta(days=1),
        "YESTERDAY": TODAY() - datetime.timedelta(days=1),
        "END_USER": customer(staff, staff.sales_a).pk,
    }
    change = {name: stand_ins.get(value, value) if isinstance(value, str) else value for name, value in change.items()}
    before = snapshot(doc)
    with pytest.raises(InvalidInput) as refused:
        services.permit_update(permit=doc, actor=staff.sales_a, version=1, **change)
    assert field in refused.value.extra["fields"]
    assert snapshot(doc) == before


def test_only_the_owner_edits_and_only_while_draft_or_rejected(staff, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    before = snapshot(doc)
    with pytest.raises(Forbidden):
        services.permit_update(permit=doc, actor=staff.manager1, version=1, reason="经理改的")
    with pytest.raises(NotFound):
        services.permit_update(permit=doc, actor=staff.sales_b, version=1, reason="别人改的")
    assert snapshot(doc) == before
    doc = services.permit_transition(permit=doc, action="submit", actor=staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        services.permit_update(permit=doc, actor=staff.sales_a, version=doc.version, reason="审批中修改")
    assert snapshot(doc) == before


def test_a_rejected_permit_whose_first_day_passed_is_still_edited_without_moving_it(staff, dealer_a, days_later):
    doc = submitted_permit(staff.sales_a, dealer_a)
    doc = services.permit_transition(permit=doc, action="reject", actor=staff.manager1, comment="补充说明")
    days_later(2)
    doc = services.permit_update(permit=doc, actor=staff.sales_a, version=doc.version, reason="补充：经销商账户冻结")
    assert doc.reason.startswith("补充")


# --- the remit days come from the company's setting -------------------------------------------


def test_the_remit_days_are_the_settings_at_submission_and_stay_once_approved(staff, dealer_a):
    # given a draft raised under the default of one working day
    doc = permit(staff.sales_a, dealer_a)
    assert doc.remit_working_days == 1
    # when the administrator sets two days, then it is submitted
    services.collection_settings_update(actor=staff.admin, remit_working_days=2)
    doc = services.permit_transition(permit=doc, action="submit", actor=staff.sales_a)
    # then the permit the manager approves carries two
    assert doc.remit_working_days == 2
    doc = services.permit_transition(permit=doc, action="approve", actor=staff.manager1)
    # and a later change of the setting leaves it alone
    services.collection_settings_update(actor=staff.admin, remit_working_days=0)
    doc.refresh_from_db()
    assert doc.remit_working_days == 2
    assert permit(staff.sales_a, dealer_a).remit_working_days == 0


def test_the_remit_due_day_counts_working_days(staff, dealer_a):
    doc = permit(staff.sales_a, dealer_a)
    # collected on Friday 5 June 2026: due the next working day, Monday 8 June
    assert doc.remit_due_on(datetime.date(2026, 6, 5)) == datetime.date(2026, 6, 8)


def test_settings_are_the_administrators_and_within_range(staff):
    before = tuple(CollectionSettings.objects.values_list("remit_working_days", "max_validity_days"))
    with pytest.raises(Forbidden):
        services.collection_settings_update(actor=staff.manager1, remit_working_days=3)
    for bad in ({"remit_working_days": -1}, {"remit_working_days": 31}, {"max_validity_days": 0}, {"number": 5}):
        with pytest.raises(InvalidInput) as refused:
            services.collection_settings_update(actor=staff.admin, **bad)
        assert set(refused.value.extra["fields"]) == set(bad)
    assert tuple(CollectionSettings.objects.values_list("remit_working_days", "max_validity_days")) == before
    assert services.collection_settings_update(actor=staff.admin, max_validity_days=30).max_validity_days == 30
