"""The pipeline selector: counts and amounts per stage, scope, filters, fixed queries, chart."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesops.deals.choices import InquiryState, QuotationState
from salesops.deals.models import Contract, Inquiry, Quotation
from salesops.deals.selectors.pipeline import pipeline, pipeline_chart_option, pipeline_funnel_option
from salesops.deals.services import contracts as contract_services
from salesops.deals.tests.contract_factories import (
    Deal,
    customer,
    inquiry,
    negotiation_note,
    product,
    quotation_in_state,
    signed_contract,
    submitted,
)

pytestmark = pytest.mark.django_db


def _by_key(stages) -> dict[str, tuple[int, Decimal]]:
    return {stage.key: (stage.count, stage.amount) for stage in stages}


def _board(staff, owner) -> None:
    """One document in each stage for ``owner`` (amounts: quotations 100 × n, contracts 15 000)."""
    cust = customer(staff, owner)
    goods = product(standard_price=Decimal("100000.00"), floor_price=Decimal("1.00"))
    inquiry(owner, cust, "1000.00", InquiryState.REPORTED)
    inquiry(owner, cust, "2000.00", InquiryState.DECIDING)
    inquiry(owner, cust, "4000.00", InquiryState.BIDDING)
    inquiry(owner, cust, "8000.00", InquiryState.DECLINED)  # out of the pipeline
    quotation_in_state(owner, cust, [(goods, "1", "100.00")], QuotationState.DRAFT)
    quotation_in_state(owner, cust, [(goods, "1", "200.00")], QuotationState.PENDING)
    quotation_in_state(owner, cust, [(goods, "1", "300.00")], QuotationState.ISSUED)
    talked = quotation_in_state(owner, cust, [(goods, "1", "400.00")], QuotationState.ISSUED)
    negotiation_note(talked, owner)
    negotiation_note(talked, owner)  # two notes: still one quotation in negotiation
    quotation_in_state(owner, cust, [(goods, "1", "800.00")], QuotationState.LOST)  # out
    Deal(staff, owner).draft()  # contract draft (its quotation: issued, 15 000)
    submitted(Deal(staff, owner).draft())  # confirmed at once
    signed_contract(staff, Deal(staff, owner))
    voided = Deal(staff, owner).draft()
    contract_services.contract_void(actor=staff.admin, contract=voided, reason="作废")  # out


def test_counts_and_amounts_per_stage(staff):
    # given one of each stage for sales_a
    _board(staff, staff.sales_a)
    # when
    stages = pipeline(user=staff.sales_a)
    # then
    assert [s.key for s in stages] == [
        "inquiry_reported",
        "inquiry_bidding",
        "quotation_draft",
        "quotation_review",
        "quotation_issued",
        "negotiation",
        "contract_draft",
        "contract_pending",
        "contract_confirmed",
        "contract_signed",
        "contract_archived",
    ]
    found = _by_key(stages)
    assert found["inquiry_reported"] == (2, Decimal("3000.00"))
    assert found["inquiry_bidding"] == (1, Decimal("4000.00"))
    assert found["quotation_draft"] == (1, Decimal("100.00"))
    assert found["quotation_review"] == (1, Decimal("200.00"))
    # each deal counts once, at its furthest stage: of the four deals' quotations (15 000 each) only
    # the voided contract's is still a quotation (the others count as their contracts; the signed
    # one's quotation is won); with the 300 one, two
    assert found["quotation_issued"] == (2, Decimal("15300.00"))
    assert found["negotiation"] == (1, Decimal("400.00"))
    assert found["contract_draft"] == (1, Decimal("15000.00"))
    assert found["contract_pending"] == (0, Decimal("0.00"))
    assert found["contract_confirmed"] == (1, Decimal("15000.00"))
    assert found["contract_signed"] == (1, Decimal("15000.00"))
    assert found["contract_archived"] == (0, Decimal("0.00"))
    # money has two places on every database (SQLite sums decimals without their scale)
    assert all(s.amount.as_tuple().exponent == -2 for s in stages)


def test_each_reader_sees_only_their_scope(staff):
    _board(staff, staff.sales_a)
    _board(staff, staff.sales_c)
    mine = _by_key(pipeline(user=staff.sales_a))
    department = _by_key(pipeline(user=staff.manager1))
    everyone = _by_key(pipeline(user=staff.boss))
    assert mine["inquiry_reported"] == department["inquiry_reported"] == (2, Decimal("3000.00"))
    assert everyone["inquiry_reported"] == (4, Decimal("6000.00"))
    assert _by_key(pipeline(user=staff.sales_b))["contract_signed"] == (0, Decimal("0.00"))
    # the sales office sees every contract but no inquiry or quotation
    office = _by_key(pipeline(user=staff.back_office))
    assert office["contract_signed"] == (2, Decimal("30000.00"))
    assert office["inquiry_reported"] == (0, Decimal("0.00")) and office["quotation_issued"][0] == 0


def test_filters_by_salesperson_branch_and_period(staff):
    _board(staff, staff.sales_a)
    _board(staff, staff.sales_c)
    # by salesperson, within the reader's scope
    by_c = _by_key(pipeline(user=staff.boss, salesperson_id=staff.sales_c.pk))
    assert by_c["contract_confirmed"] == (1, Decimal("15000.00"))
    assert _by_key(pipeline(user=staff.sales_a, salesperson_id=staff.sales_c.pk))["contract_confirmed"][0] == 0
    # by branch
    qd = _by_key(pipeline(user=staff.boss, branch_id=staff.branch.pk))
    assert qd["inquiry_bidding"] == (1, Decimal("4000.00"))
    # by period: move sales_a's documents to last month
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    moved = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(12)))
    for model in (Inquiry, Quotation, Contract):
        model.objects.filter(owner=staff.sales_a).update(created_at=moved)
    today = timezone.localdate()
    this_month = _by_key(pipeline(user=staff.boss, date_from=today.replace(day=1), date_to=today))
    that_month = _by_key(pipeline(user=staff.boss, date_from=last_month.replace(day=1), date_to=last_month))
    assert this_month["inquiry_reported"] == (2, Decimal("3000.00"))
    assert that_month["inquiry_reported"] == (2, Decimal("3000.00"))
    assert that_month["contract_signed"] == (1, Decimal("15000.00"))
    # the last day of the period counts in full
    assert _by_key(pipeline(user=staff.boss, date_from=last_month, date_to=last_month))["inquiry_bidding"][0] == 1


def _add(staff, count: int) -> None:
    owners = [staff.sales_a, staff.sales_b, staff.sales_c]
    goods = product(standard_price=Decimal("100000.00"), floor_price=Decimal("1.00"))
    for index in range(count):
        owner = owners[index % 3]
        cust = customer(staff, owner)
        kind = index % 4
        if kind == 0:
            inquiry(owner, cust, "100.00", InquiryState.BIDDING)
        elif kind == 1:
            talked = quotation_in_state(owner, cust, [(goods, "1", "10.00")], QuotationState.ISSUED)
            negotiation_note(talked, owner)
        elif kind == 2:
            quotation_in_state(owner, cust, [(goods, "1", "10.00")], QuotationState.PENDING)
        else:
            Deal(staff, owner).draft()


@pytest.mark.parametrize("user_name", ["sales_a", "manager1", "boss", "back_office"])
def test_the_pipeline_runs_three_queries_whatever_the_data(staff, user_name):
    user = getattr(staff, user_name)
    pipeline(user=user)  # the user's roles are read once and cached
    _add(staff, 5)
    with CaptureQueriesContext(connection) as few:
        pipeline(user=user, date_from=timezone.localdate() - datetime.timedelta(days=7), branch_id=staff.head_office.pk)
    _add(staff, 35)
    with CaptureQueriesContext(connection) as many:
        stages = pipeline(
            user=user, date_from=timezone.localdate() - datetime.timedelta(days=7), branch_id=staff.head_office.pk
        )
    # one aggregate per document type (none for a type the reader sees nothing of)
    assert len(few) == len(many) == (1 if user_name == "back_office" else 3)
    if user_name == "boss":
        assert sum(s.count for s in stages) > 0


def test_the_chart_option_is_json_with_one_bar_per_stage(staff):
    _board(staff, staff.sales_a)
    stages = pipeline(user=staff.sales_a)
    option = pipeline_chart_option(stages)
    assert option["xAxis"]["data"] == [s.label for s in stages]
    counts, amounts = option["series"]
    assert counts["data"] == [s.count for s in stages]
    assert amounts["data"] == [str(s.amount) for s in stages] and amounts["yAxisIndex"] == 1
    json.dumps(option)  # plain data only


def test_the_funnel_sums_the_stages_of_each_step(staff):
    _board(staff, staff.sales_a)
    option = pipeline_funnel_option(pipeline(user=staff.sales_a))
    data = option["series"][0]["data"]
    assert [(d["value"], d["amount"]) for d in data] == [
        (2, "3000.00"),  # inquiries reported
        (1, "4000.00"),  # bidding
        (4, "15600.00"),  # quotations: draft 100, review 200, issued 300 + the voided contract's 15 000
        (1, "400.00"),  # negotiation
        (3, "45000.00"),  # contracts: draft, confirmed, signed
    ]
    json.dumps(option)
