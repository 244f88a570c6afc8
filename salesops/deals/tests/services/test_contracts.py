"""contract_draft_from_quotation / contract_update / contract_submit / contract_confirm /
contract_reject / contract_sign / contract_archive / contract_void / the registry's act_on (W3.3-5)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.core.models import NumberSequence
from salesops.deals.choices import ContractState, PaymentTerms, QuotationState
from salesops.deals.deviations import side_by_side
from salesops.deals.models import Contract, Quotation
from salesops.deals.selectors.contracts import archive_tasks, contract_get_for, contract_list
from salesops.deals.services import contracts as services
from salesops.deals.tests.contract_factories import (
    Deal,
    clock,
    confirmed_contract,
    deviating,
    events_of,
    line_ins,
    local,
    product,
    scan,
    signed_contract,
    snapshot,
    submitted,
)
from salesops.workflow.approvals import steps_of
from salesops.workflow.models import ApprovalRule, Attachment, Notification
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db


def _contract_count() -> int:
    return Contract.objects.count()


def _drawn(period: str | None = None) -> int:
    period = period or timezone.localdate().strftime("%Y%m")
    return NumberSequence.objects.filter(prefix="HT", period=period).values_list("last", flat=True).first() or 0


# Drafting from the quotation


def test_a_contract_is_drafted_from_an_issued_quotation_with_its_lines_and_terms(staff):
    # given an issued quotation of sales_a's
    deal = Deal(staff, payment_terms="net_30", warranty="两年")
    # when sales_a drafts its contract
    contract = deal.draft()
    # then it copies customer, lines, terms and total, has a contract number and no deviation
    assert contract.number == f"HT{timezone.localdate():%Y%m}0001"
    assert contract.state == ContractState.DRAFT
    assert (contract.owner, contract.customer, contract.quotation) == (staff.sales_a, deal.customer, deal.quotation)
    assert (contract.payment_terms, contract.warranty) == ("net_30", "两年")
    assert list(contract.lines.order_by("pk").values_list("product_id", "quantity", "unit_price")) == [
        (deal.pump.pk, Decimal("10.000"), Decimal("1000.00")),
        (deal.valve.pk, Decimal("10.000"), Decimal("500.00")),
    ]
    assert contract.total_amount == deal.quotation.total_amount == Decimal("15000.00")
    assert contract.deviations == []
    assert events_of(contract) == ["create"]


def test_the_manager_drafts_the_contract_for_his_salesperson(staff):
    deal = Deal(staff)
    contract = deal.draft(actor=staff.manager1)
    assert contract.owner == staff.sales_a
    assert contract_get_for(user=staff.sales_a, pk=contract.pk) == contract


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("sales_b", NotFound),  # a colleague does not see the quotation
        ("manager2", NotFound),  # another department's manager
        ("back_office", NotFound),  # the sales office sees contracts, not quotations
        ("boss", Forbidden),  # sees it, but drafting is the salesperson's or manager's
        ("finance", NotFound),
    ],
)
def test_others_cannot_draft_the_contract(staff, actor_name, error):
    deal = Deal(staff)
    with pytest.raises(error):
        deal.draft(actor=getattr(staff, actor_name))
    assert _contract_count() == 0 and _drawn() == 0


def test_a_quotation_past_its_validity_is_refused_for_a_contract_with_a_clear_message(staff):
    # given an issued quotation whose validity ended yesterday
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    deal = Deal(staff, valid_until=yesterday)
    # when / then
    with pytest.raises(InvalidInput) as caught, translation.override("en"):
        deal.draft()
    assert deal.quotation.number in caught.value.message
    assert "valid until" in caught.value.message
    assert list(caught.value.extra["fields"]) == ["quotation"]
    # nothing was created and no number was drawn
    assert _contract_count() == 0 and _drawn() == 0


def test_a_quotation_valid_until_today_may_still_become_a_contract(staff):
    deal = Deal(staff, valid_until=timezone.localdate())
    assert deal.draft().state == ContractState.DRAFT


@pytest.mark.parametrize("state", [QuotationState.DRAFT, QuotationState.PENDING, QuotationState.APPROVED, "lost"])
def test_only_an_issued_quotation_becomes_a_contract(staff, state):
    deal = Deal(staff)
    Quotation.objects.filter(pk=deal.quotation.pk).update(state=state)
    with pytest.raises(TransitionNotAllowed):
        deal.draft()
    assert _contract_count() == 0 and _drawn() == 0


def test_a_quotation_has_one_live_contract(staff):
    # given a drafted contract
    deal = Deal(staff)
    first = deal.draft()
    # when drafted again
    with pytest.raises(TransitionNotAllowed) as caught:
        deal.draft()
    assert first.number in caught.value.message
    assert _contract_count() == 1
    # but once the first is voided, a new one may be drafted
    services.contract_void(actor=staff.manager1, contract=first, reason="客户要求重新签订")
    assert deal.draft().number.endswith("0002")


# Editing and deviations


def test_editing_lines_and_terms_stores_the_deviations_and_the_new_total(staff):
    # given a draft identical to its quotation
    deal = Deal(staff)
    contract = deal.draft()
    extra = deal.pump.__class__.objects.create(
        code="EXTRA", name="配件", unit="件", standard_price=Decimal("10"), floor_price=Decimal("1")
    )
    # when the salesperson changes a quantity, a price, adds a line and changes the payment terms
    lines = [(deal.pump, "12", "1000.00"), (deal.valve, "10", "480.00"), (extra, "1", "10.00")]
    contract = services.contract_update(
        actor=staff.sales_a, contract=contract, version=1, lines=line_ins(lines), payment_terms="net_30"
    )
    # then each difference is one JSON-safe deviation
    assert contract.deviations == [
        {"field": "quantity", "line": 0, "quotation": "10.000", "contract": "12.000"},
        {"field": "unit_price", "line": 1, "quotation": "500.00", "contract": "480.00"},
        {"field": "line", "line": 2, "quotation": "", "contract": f"{extra} × 1.000 @ 10.00"},
        {"field": "payment_terms", "line": None, "quotation": "on_delivery", "contract": "net_30"},
    ]
    assert contract.total_amount == Decimal("16810.00")  # 12 000 + 4 800 + 10
    assert contract.version == 2
    assert contract.approval_flags() == {"deviation"}
    # one edit event names the terms, the lines, the total and the deviations together
    assert events_of(contract) == ["create", "edit"]
    assert {"payment_terms", "lines", "total_amount", "deviations"} <= set(last_changes(contract))


def test_a_line_removed_in_the_middle_is_found_by_its_product(staff):
    # given a quotation of pump and valve; the contract keeps only the valve, at another price
    deal = Deal(staff)
    contract = deal.draft()
    contract = services.contract_update(
        actor=staff.sales_a, contract=contract, version=1, lines=line_ins([(deal.valve, "10", "520.00")])
    )
    # then the pump is removed and the valve's price deviates (not "the pump became a valve")
    assert contract.deviations == [
        {"field": "line", "line": 0, "quotation": f"{deal.pump} × 10.000 @ 1000.00", "contract": ""},
        {"field": "unit_price", "line": 0, "quotation": "500.00", "contract": "520.00"},
    ]
    rows = [r for r in side_by_side(contract) if r["kind"] == "line"]
    assert [(r["line"], r["deviates"]) for r in rows] == [(None, ["line"]), (0, ["unit_price"])]
    assert rows[0]["contract"] is None and rows[0]["quotation"]["product"] == str(deal.pump)


def test_a_changed_product_at_the_same_place_is_one_deviation(staff):
    deal = Deal(staff)
    contract = deal.draft()
    spare = product(name="备件")
    contract = services.contract_update(
        actor=staff.sales_a,
        contract=contract,
        version=1,
        lines=line_ins([(spare, "10", "1000.00"), (deal.valve, "10", "500.00")]),
    )
    assert contract.deviations == [
        {"field": "product", "line": 0, "quotation": str(deal.pump), "contract": str(spare)},
    ]


def test_reordered_lines_are_no_deviation(staff):
    deal = Deal(staff)
    contract = deal.draft()
    contract = services.contract_update(
        actor=staff.sales_a, contract=contract, version=1, lines=line_ins([deal.lines[1], deal.lines[0]])
    )
    assert contract.deviations == []


def test_editing_back_to_the_quotation_clears_the_deviations(staff):
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal, warranty="三年")
    assert len(contract.deviations) == 2
    contract = services.contract_update(
        actor=staff.sales_a, contract=contract, version=contract.version, lines=line_ins(deal.lines), warranty="一年"
    )
    assert contract.deviations == []
    assert contract.total_amount == deal.quotation.total_amount


def test_side_by_side_marks_the_deviations(staff):
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal, delivery_place="买方仓库")
    rows = side_by_side(contract)
    lines = [r for r in rows if r["kind"] == "line"]
    terms = {r["field"]: r for r in rows if r["kind"] == "term"}
    total = rows[-1]
    assert [r["deviates"] for r in lines] == [["unit_price"], []]
    assert lines[0]["quotation"]["unit_price"] == Decimal("1000.00")
    assert lines[0]["contract"]["unit_price"] == Decimal("900.00")
    assert terms["delivery_place"]["deviates"] is True
    assert (terms["delivery_place"]["quotation"], terms["delivery_place"]["contract"]) == ("客户工厂", "买方仓库")
    assert terms["warranty"]["deviates"] is False
    assert terms["payment_terms"]["quotation"] == str(PaymentTerms.ON_DELIVERY.label)  # the label, not the code
    assert (total["kind"], total["quotation"], total["contract"], total["deviates"]) == (
        "total",
        Decimal("15000.00"),
        Decimal("14000.00"),
        True,
    )


@pytest.mark.parametrize(
    ("quantity", "price", "field"),
    [("0", "100.00", "quantity"), ("-1", "100.00", "quantity"), ("1.0001", "100.00", "quantity")]
    + [("1", "100.001", "unit_price"), ("1", "-1", "unit_price")],
)
def test_a_bad_line_is_refused_and_changes_nothing(staff, quantity, price, field):
    deal = Deal(staff)
    contract = deal.draft()
    before = snapshot(contract)
    with pytest.raises(InvalidInput) as caught:
        services.contract_update(
            actor=staff.sales_a, contract=contract, version=1, lines=line_ins([(deal.pump, quantity, price)])
        )
    assert list(caught.value.extra["fields"]) == [f"lines.0.{field}"]
    assert snapshot(contract) == before


def test_a_stale_edit_is_refused_and_changes_nothing(staff):
    deal = Deal(staff)
    contract = deal.draft()
    services.contract_update(actor=staff.sales_a, contract=contract, version=1, warranty="两年")
    before = snapshot(contract)
    with pytest.raises(StaleEdit):
        services.contract_update(
            actor=staff.sales_a, contract=contract, version=1, lines=line_ins([(deal.pump, "1", "1.00")])
        )
    assert snapshot(contract) == before


def test_edits_are_refused_to_others_and_after_submission(staff):
    deal = Deal(staff)
    contract = deal.draft()
    before = snapshot(contract)
    with pytest.raises(Forbidden):
        services.contract_update(actor=staff.manager1, contract=contract, version=1, warranty="x")
    with pytest.raises(NotFound):
        services.contract_update(actor=staff.sales_b, contract=contract, version=1, warranty="x")
    with pytest.raises(InvalidInput) as caught:
        services.contract_update(
            actor=staff.sales_a, contract=contract, version=1, state="signed", deviations=[], owner_id=1
        )
    assert set(caught.value.extra["fields"]) == {"state", "deviations", "owner_id"}
    assert snapshot(contract) == before
    contract = submitted(deviating(contract, deal))
    before = snapshot(contract)
    with pytest.raises(TransitionNotAllowed):
        services.contract_update(actor=staff.sales_a, contract=contract, version=contract.version, warranty="x")
    assert snapshot(contract) == before


# Approval paths


def test_a_contract_without_deviations_is_confirmed_at_once(staff):
    # given a contract identical to its quotation, below the major threshold
    deal = Deal(staff)
    contract = deal.draft()
    # when submitted
    contract = submitted(contract)
    # then nobody needs to re-confirm it
    assert contract.state == ContractState.CONFIRMED
    assert steps_of(contract) == []
    assert events_of(contract) == ["create", "submit"]


def test_a_deviating_contract_needs_the_managers_re_confirmation(staff):
    # given a contract whose price deviates from the quotation
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal)
    # when submitted
    contract = submitted(contract)
    # then it waits for sales_a's manager
    assert contract.state == ContractState.PENDING
    assert [(s.role, s.approver, s.reason, s.status) for s in steps_of(contract)] == [
        ("sales_manager", staff.manager1, "flag:deviation", "pending")
    ]
    assert Notification.objects.filter(user=staff.manager1, text__contains=contract.number).exists()
    # when the manager re-confirms
    contract = services.contract_confirm(actor=staff.manager1, contract=contract, comment="价格同意")
    # then it may be signed
    assert contract.state == ContractState.CONFIRMED
    assert services.deviations_unconfirmed(contract) is None
    assert events_of(contract) == ["create", "edit", "submit", "confirm"]


def test_a_major_deviating_contract_needs_the_manager_then_leadership(staff):
    # given a major contract (509 000, above the 500 000 threshold) whose valve price deviates
    deal2 = Deal(staff, prices=("49000.00", "2000.00"))
    contract = deal2.draft()
    contract = services.contract_update(
        actor=staff.sales_a,
        contract=contract,
        version=1,
        lines=line_ins([(deal2.pump, "10", "49000.00"), (deal2.valve, "10", "1900.00")]),
    )
    assert contract.total_amount == Decimal("509000.00")
    contract = submitted(contract)
    assert [(s.role, s.status) for s in steps_of(contract)] == [("sales_manager", "pending"), ("leadership", "waiting")]
    # leadership cannot act before the manager
    before = snapshot(contract)
    with pytest.raises(Forbidden):
        services.contract_confirm(actor=staff.boss, contract=contract)
    assert snapshot(contract) == before
    # the manager, then leadership
    contract = services.contract_confirm(actor=staff.manager1, contract=contract)
    assert contract.state == ContractState.PENDING
    contract = services.contract_confirm(actor=staff.boss, contract=contract, comment="同意")
    assert contract.state == ContractState.CONFIRMED


def test_a_major_contract_without_deviations_needs_leadership_only(staff):
    deal = Deal(staff, prices=("50000.00", "0.00"))  # 500 000: major at the threshold
    contract = submitted(deal.draft())
    assert contract.state == ContractState.PENDING
    assert [(s.role, s.reason) for s in steps_of(contract)] == [("leadership", "major")]
    contract = services.contract_confirm(actor=staff.boss, contract=contract)
    assert contract.state == ContractState.CONFIRMED


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("sales_a", Forbidden),  # nobody re-confirms their own contract
        ("sales_b", NotFound),
        ("manager2", NotFound),
        ("back_office", Forbidden),  # sees it, approves nothing
        ("boss", Forbidden),  # the step waits for the manager
    ],
)
def test_only_the_pending_manager_re_confirms(staff, actor_name, error):
    deal = Deal(staff)
    contract = submitted(deviating(deal.draft(), deal))
    before = snapshot(contract)
    with pytest.raises(error):
        services.contract_confirm(actor=getattr(staff, actor_name), contract=contract)
    assert snapshot(contract) == before


def test_anonymous_cannot_act_on_a_contract(staff):
    deal = Deal(staff)
    contract = submitted(deviating(deal.draft(), deal))
    before = snapshot(contract)
    with pytest.raises(NotFound):
        services.contract_confirm(actor=AnonymousUser(), contract=contract)
    assert snapshot(contract) == before


def test_the_manager_returns_a_contract_with_a_reason_and_it_is_resubmitted(staff):
    deal = Deal(staff)
    contract = submitted(deviating(deal.draft(), deal))
    before = snapshot(contract)
    with pytest.raises(InvalidInput):
        services.contract_reject(actor=staff.manager1, contract=contract, comment=" ")
    assert snapshot(contract) == before
    contract = services.contract_reject(actor=staff.manager1, contract=contract, comment="降价过多")
    assert contract.state == ContractState.REJECTED
    # the salesperson restores the price: no deviation left, confirmed at resubmission
    contract = services.contract_update(
        actor=staff.sales_a, contract=contract, version=contract.version, lines=line_ins(deal.lines)
    )
    contract = submitted(contract)
    assert contract.state == ContractState.CONFIRMED
    assert [(s.round, s.status) for s in steps_of(contract)] == [(1, "rejected")]


def test_submitting_a_deviating_contract_is_refused_when_the_policy_lost_its_deviation_rule(staff):
    # given an admin deactivated the deviation rule
    ApprovalRule.objects.filter(doc_type="deals.contract", flag="deviation").update(is_active=False)
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal)
    before = snapshot(contract)
    # when / then: W3.3 still holds
    with pytest.raises(TransitionNotAllowed) as caught:
        submitted(contract)
    assert "W3.3" in caught.value.message
    assert snapshot(contract) == before


def test_only_the_owner_submits(staff):
    deal = Deal(staff)
    contract = deal.draft()
    before = snapshot(contract)
    with pytest.raises(Forbidden):
        services.contract_submit(actor=staff.manager1, contract=contract)
    assert snapshot(contract) == before


# Signing


def test_signing_records_the_date_and_the_scan_and_tells_the_sales_office(staff):
    # given a confirmed contract
    deal = Deal(staff)
    contract = confirmed_contract(staff, deal)
    today = timezone.localdate()
    # when the salesperson records the signing
    with translation.override("en"):
        contract = services.contract_sign(actor=staff.sales_a, contract=contract, signed_on=today, scan=scan())
    # then
    assert (contract.state, contract.signed_on) == (ContractState.SIGNED, today)
    attachment = Attachment.objects.get(object_id=contract.pk, content_type__model="contract")
    assert (attachment.original_name, attachment.mime_type) == ("signed.pdf", "application/pdf")
    assert events_of(contract) == ["create", "submit", "attach", "sign"]
    notice = Notification.objects.get(user=staff.back_office)
    assert contract.number in notice.text and "archive it today" in notice.text


def test_a_scan_may_be_a_picture(staff):
    deal = Deal(staff)
    contract = confirmed_contract(staff, deal)
    picture = scan("signed.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)
    contract = services.contract_sign(
        actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=picture
    )
    assert contract.state == ContractState.SIGNED


def test_signing_a_contract_with_unconfirmed_deviations_is_refused_and_changes_nothing(staff):
    # given a deviating contract waiting for the manager, and one still in draft
    deal = Deal(staff)
    pending = submitted(deviating(deal.draft(), deal))
    deal_b = Deal(staff)
    draft = deviating(deal_b.draft(), deal_b)
    for contract in (pending, draft):
        before = snapshot(contract)
        # when / then
        with pytest.raises(TransitionNotAllowed):
            services.contract_sign(actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=scan())
        assert snapshot(contract) == before
    assert Attachment.objects.count() == 0 and not Notification.objects.filter(user=staff.back_office).exists()


def test_a_confirmed_state_reached_without_re_confirmation_still_cannot_be_signed(staff):
    # given a deviating contract forced into "confirmed" behind the services' back (no approval)
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal)
    Contract.objects.filter(pk=contract.pk).update(state=ContractState.CONFIRMED)
    before = snapshot(contract)
    # when / then: W3.3-4 are checked again at signing
    with pytest.raises(TransitionNotAllowed) as caught:
        services.contract_sign(actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=scan())
    assert "W3.3" in caught.value.message
    assert snapshot(contract) == before


@pytest.mark.parametrize(
    ("signed_on", "upload", "fields"),
    [
        (None, "pdf", {"signed_on"}),
        ("tomorrow", "pdf", {"signed_on"}),
        ("yesterday", "pdf", {"signed_on"}),  # before the confirmation (W3.4)
        ("today", None, {"scan"}),
        ("today", "xlsx", {"scan"}),  # an Office file is no signed scan
        ("today", "fake", {"scan"}),  # a "PDF" that is not one
        (None, None, {"signed_on", "scan"}),
    ],
)
def test_signing_needs_a_past_date_after_confirmation_and_a_real_scan(staff, signed_on, upload, fields):
    deal = Deal(staff)
    contract = confirmed_contract(staff, deal)
    today = timezone.localdate()
    day = {
        None: None,
        "today": today,
        "tomorrow": today + datetime.timedelta(days=1),
        "yesterday": today - datetime.timedelta(days=1),
    }[signed_on]
    files = {
        None: None,
        "pdf": scan(),
        "xlsx": scan("signed.xlsx", _tiny_xlsx()),
        "fake": scan("signed.pdf", b"MZ not a pdf"),
    }
    before = snapshot(contract)
    with pytest.raises(InvalidInput) as caught:
        services.contract_sign(actor=staff.sales_a, contract=contract, signed_on=day, scan=files[upload])
    assert set(caught.value.extra["fields"]) == fields
    assert snapshot(contract) == before
    assert Attachment.objects.count() == 0


def _tiny_xlsx() -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    buffer = BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("actor_name", "error"), [("manager1", Forbidden), ("sales_b", NotFound)])
def test_only_the_salesperson_records_the_signing(staff, actor_name, error):
    deal = Deal(staff)
    contract = confirmed_contract(staff, deal)
    before = snapshot(contract)
    with pytest.raises(error):
        services.contract_sign(
            actor=getattr(staff, actor_name), contract=contract, signed_on=timezone.localdate(), scan=scan()
        )
    assert snapshot(contract) == before


# Archiving


def test_archived_the_day_it_was_signed_is_on_time(staff):
    deal = Deal(staff)
    contract = signed_contract(staff, deal)
    contract = services.contract_archive(actor=staff.back_office, contract=contract)
    assert contract.state == ContractState.ARCHIVED
    assert contract.archived_by == staff.back_office and contract.archived_at is not None
    contract.refresh_from_db()
    assert contract.archived_late is False


def test_archived_a_day_after_signing_is_late(staff):
    # given a contract signed today
    deal = Deal(staff)
    contract = signed_contract(staff, deal)
    # when the sales office archives it tomorrow morning
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with clock(local(tomorrow, 9)):
        contract = services.contract_archive(actor=staff.back_office, contract=contract)
    # then the late archive shows
    contract.refresh_from_db()
    assert timezone.localtime(contract.archived_at).date() == tomorrow
    assert contract.archived_late is True


@pytest.mark.parametrize(("actor_name", "error"), [("sales_a", Forbidden), ("manager1", Forbidden)])
def test_only_the_sales_office_archives(staff, actor_name, error):
    deal = Deal(staff)
    contract = signed_contract(staff, deal)
    before = snapshot(contract)
    with pytest.raises(error):
        services.contract_archive(actor=getattr(staff, actor_name), contract=contract)
    assert snapshot(contract) == before


def test_an_unsigned_contract_cannot_be_archived(staff):
    deal = Deal(staff)
    contract = confirmed_contract(staff, deal)
    before = snapshot(contract)
    with pytest.raises(TransitionNotAllowed):
        services.contract_archive(actor=staff.back_office, contract=contract)
    assert snapshot(contract) == before


def test_archive_tasks_list_signed_contracts_oldest_first_for_the_sales_office_only(staff):
    # given two contracts signed on different days, one archived
    first = signed_contract(staff, Deal(staff), signed_on=timezone.localdate())
    Contract.objects.filter(pk=first.pk).update(signed_on=timezone.localdate() - datetime.timedelta(days=2))
    second = signed_contract(staff, Deal(staff, staff.sales_c))
    archived = signed_contract(staff, Deal(staff))
    services.contract_archive(actor=staff.back_office, contract=archived)
    # when / then
    tasks = archive_tasks(staff.back_office)
    assert [t.number for t in tasks] == [first.number, second.number]
    assert all(t.kind == "archive" for t in tasks)
    assert archive_tasks(staff.sales_a) == [] and archive_tasks(staff.manager1) == []


def test_archive_tasks_run_a_fixed_number_of_queries(staff):
    office = staff.back_office
    archive_tasks(office)  # roles cached
    for _ in range(2):
        signed_contract(staff, Deal(staff))
    with CaptureQueriesContext(connection) as few:
        archive_tasks(office)
    for _ in range(6):
        signed_contract(staff, Deal(staff, staff.sales_c))
    with CaptureQueriesContext(connection) as many:
        assert len(archive_tasks(office)) == 8
    assert len(few) == len(many) == 1


# Voiding


def test_a_voided_contract_keeps_its_number_and_reason(staff):
    deal = Deal(staff)
    contract = submitted(deviating(deal.draft(), deal))
    number = contract.number
    contract = services.contract_void(actor=staff.manager1, contract=contract, reason=" 客户取消订单 ")
    assert (contract.state, contract.number, contract.void_reason) == (ContractState.VOIDED, number, "客户取消订单")
    # its open approval step no longer waits for the manager
    assert [s.status for s in steps_of(contract)] == ["cancelled"]
    assert Contract.objects.filter(number=number).exists()


def test_voiding_needs_a_reason_and_a_manager_or_the_admin(staff):
    deal = Deal(staff)
    contract = deal.draft()
    before = snapshot(contract)
    with pytest.raises(InvalidInput) as caught:
        services.contract_void(actor=staff.manager1, contract=contract, reason="  ")
    assert list(caught.value.extra["fields"]) == ["reason"]
    with pytest.raises(Forbidden):
        services.contract_void(actor=staff.sales_a, contract=contract, reason="不要了")
    with pytest.raises(Forbidden):
        services.contract_void(actor=staff.back_office, contract=contract, reason="不要了")
    with pytest.raises(NotFound):
        services.contract_void(actor=staff.manager2, contract=contract, reason="不要了")
    assert snapshot(contract) == before
    assert services.contract_void(actor=staff.admin, contract=contract, reason="录入错误").state == "voided"


def test_an_archived_contract_cannot_be_voided(staff):
    contract = services.contract_archive(actor=staff.back_office, contract=signed_contract(staff, Deal(staff)))
    before = snapshot(contract)
    with pytest.raises(TransitionNotAllowed):
        services.contract_void(actor=staff.manager1, contract=contract, reason="x")
    assert snapshot(contract) == before


# The registry adapter


def test_contract_act_routes_each_action_through_its_service(staff):
    deal = Deal(staff)
    contract = deviating(deal.draft(), deal)
    contract = act_on(contract, "submit", actor=staff.sales_a)
    contract = act_on(contract, "confirm", actor=staff.manager1, comment="同意")
    assert contract.state == ContractState.CONFIRMED
    contract = services.contract_sign(
        actor=staff.sales_a, contract=contract, signed_on=timezone.localdate(), scan=scan()
    )
    contract = act_on(contract, "archive", actor=staff.back_office)
    contract.refresh_from_db()
    # archiving through the adapter records who and when, as the service does
    assert (contract.state, contract.archived_by) == (ContractState.ARCHIVED, staff.back_office)


@pytest.mark.parametrize(("action", "error"), [("sign", InvalidInput), ("explode", TransitionNotAllowed)])
def test_contract_act_refuses_form_actions_and_unknown_ones(staff, action, error):
    contract = confirmed_contract(staff, Deal(staff))
    before = snapshot(contract)
    with pytest.raises(error):
        act_on(contract, action, actor=staff.sales_a)
    assert snapshot(contract) == before


# Visibility


def test_a_salesperson_never_sees_anothers_contracts(staff):
    mine = Deal(staff).draft()
    theirs = Deal(staff, staff.sales_b).draft()
    assert list(contract_list(user=staff.sales_a)) == [mine]
    with pytest.raises(NotFound):
        contract_get_for(user=staff.sales_a, pk=theirs.pk)
    with pytest.raises(NotFound):
        contract_get_for(user=staff.sales_c, pk=mine.pk)


def test_managers_see_their_department_and_the_sales_office_sees_every_contract(staff):
    hq = Deal(staff).draft()
    qd = Deal(staff, staff.sales_c).draft()
    assert set(contract_list(user=staff.manager1)) == {hq}
    assert set(contract_list(user=staff.branch_mgr)) == {qd}
    assert set(contract_list(user=staff.back_office)) == {hq, qd}
    assert set(contract_list(user=staff.boss)) == {hq, qd}
    assert contract_get_for(user=staff.back_office, pk=qd.pk) == qd
    for outsider in (staff.finance, staff.warehouse, staff.technical):
        assert not contract_list(user=outsider).exists()


def test_numbers_follow_each_other_across_salespeople(staff):
    numbers = [Deal(staff, owner).draft().number for owner in (staff.sales_a, staff.sales_c, staff.sales_b)]
    period = timezone.localdate().strftime("%Y%m")
    assert numbers == [f"HT{period}0001", f"HT{period}0002", f"HT{period}0003"]


def last_changes(doc) -> dict:
    """What the document's latest event says changed."""
    from django.contrib.contenttypes.models import ContentType

    from salesops.workflow.models import DocumentEvent

    return (
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .latest("pk")
        .changes
    )
