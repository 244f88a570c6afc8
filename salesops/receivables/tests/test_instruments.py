"""The instruments register through its services (R9, R12): a bill received, signed for, part of it
endorsed on and the rest collected; every refusal leaves everything as it was; each role sees what
the regulation lets it see."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.compliance import services as compliance
from salesops.compliance.tests.helpers import acknowledge_everyone, of_rule
from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.receivables import billranges
from salesops.receivables.models.instruments import Instrument, InstrumentSettings, InstrumentState
from salesops.receivables.selectors import instruments as selectors
from salesops.receivables.services import instruments as services
from salesops.workflow.models import Notification
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import assert_refused_unchanged, events_of, fresh, snapshot

from .samples_instruments import bill, cheque, customer_of, package_number

pytestmark = pytest.mark.django_db
S = InstrumentState
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def signed(staff, instrument):
    return services.instrument_sign(instrument=instrument, actor=staff.finance)


def maturing_today(staff, **extra):
    """A bank acceptance bill of 1,000,000.00 issued three months ago, due today."""
    issued = today() - datetime.timedelta(days=90)
    return bill(staff, issued_on=issued, due_on=today(), **extra)


def refused_unchanged(docs, call, error=None):
    """``call()`` is refused and leaves every one of ``docs`` (and the register's size) as it was."""
    before = [snapshot(doc) for doc in docs], Instrument.objects.count()
    with pytest.raises(error or Exception) as refused:
        call()
    assert ([snapshot(doc) for doc in docs], Instrument.objects.count()) == before
    return refused.value


# -- the happy path ------------------------------------------------------------------------------


def test_a_bill_received_signed_the_same_day_endorsed_in_part_and_the_rest_collected(staff):
    acknowledge_everyone()
    # given an electronic bank acceptance bill of 1,000,000.00 a salesperson received today
    received = maturing_today(staff)
    assert (received.state, received.owner, received.received_by) == (S.PENDING_SIGN, staff.sales_a, staff.sales_a)
    assert received.number.startswith("PJ")
    assert (received.range_start, received.range_end, received.amount) == (1, 100_000_000, Decimal("1000000.00"))
    # when finance signs for it the same day
    held = signed(staff, received)
    assert (held.state, held.signed_by) == (S.SIGNED, staff.finance)
    assert Notification.objects.filter(user=staff.sales_a, text__contains=held.number).exists()
    # and endorses 30% of it on to a supplier
    part = services.instrument_endorse(
        instrument=held, actor=staff.finance, endorsee="济南宏远钢材有限公司", endorsed_on=today(), amount="300000.00"
    )
    # then the bill is split into the part endorsed (its low sub-bills) and the part kept
    parent = fresh(held)
    assert parent.state == S.SPLIT
    endorsed, kept = parent.children.order_by("pk")
    assert endorsed == part
    assert (endorsed.state, endorsed.range_start, endorsed.range_end) == (S.ENDORSED, 1, 30_000_000)
    assert (endorsed.amount, endorsed.counterparty, endorsed.settled_on) == (
        Decimal("300000.00"),
        "济南宏远钢材有限公司",
        today(),
    )
    assert (kept.state, kept.range_start, kept.range_end, kept.amount) == (
        S.SIGNED,
        30_000_001,
        100_000_000,
        Decimal("700000.00"),
    )
    assert endorsed.amount + kept.amount == parent.amount
    assert billranges.covers_exactly([endorsed.bill_range, kept.bill_range], parent.bill_range)
    for child in (endorsed, kept):
        assert (child.package_number, child.owner, child.signed_by, child.due_on) == (
            parent.package_number,
            staff.sales_a,
            staff.finance,
            parent.due_on,
        )
    # and the part kept is collected at maturity
    collected = services.instrument_collect(
        instrument=kept, actor=staff.finance, collected_on=today(), bank="中国工商银行济南分行"
    )
    assert collected.state == S.COLLECTED
    # every step is in the history, and signed the same day is no R12 violation
    assert events_of(parent) == ["create", "sign", "split"]
    assert events_of(endorsed) == ["create", "endorse"]
    assert events_of(kept) == ["create", "collect"]
    assert compliance.sweep(codes=["R12"], today=today() + 3 * DAY)["R12"] == 0
    assert not of_rule("R12")
    family = selectors.instrument_family(user=staff.finance, instrument=kept)
    assert [(node.number, depth) for node, depth in family] == [
        (parent.number, 0),
        (endorsed.number, 1),
        (kept.number, 1),
    ]


def test_parts_of_parts_still_add_up_to_the_bill(staff):
    held = signed(staff, bill(staff, worth="100.00"))
    first = services.instrument_endorse(
        instrument=held, actor=staff.finance, endorsee="甲公司", endorsed_on=today(), amount="30.00"
    )
    kept = fresh(held).children.exclude(pk=first.pk).get()
    second = services.instrument_discount(
        instrument=kept, actor=staff.finance, bank="招商银行", discounted_on=today(), amount="0.01", take="high"
    )
    assert (second.range_start, second.range_end, second.state) == (10_000, 10_000, S.DISCOUNTED)
    rest = fresh(kept).children.exclude(pk=second.pk).get()
    services.instrument_endorse(instrument=rest, actor=staff.finance, endorsee="乙公司", endorsed_on=today())

    family = selectors.instrument_family(user=staff.sales_a, instrument=held)
    leaves = [node for node, _depth in family if node.state != S.SPLIT]
    assert len(family) == 5 and len(leaves) == 3
    assert billranges.covers_exactly([leaf.bill_range for leaf in leaves], held.bill_range)
    assert sum(leaf.amount for leaf in leaves) == held.amount


def test_a_bill_discounted_whole_records_the_bank_and_the_proceeds(staff):
    held = signed(staff, bill(staff))
    found = services.instrument_discount(
        instrument=held,
        actor=staff.finance,
        bank="招商银行济南分行",
        discounted_on=today(),
        proceeds_amount="985432.10",
    )
    assert (found.state, found.counterparty, found.proceeds_amount) == (
        S.DISCOUNTED,
        "招商银行济南分行",
        Decimal("985432.10"),
    )


def test_a_cheque_is_signed_for_and_collected_and_a_dishonour_keeps_its_reason(staff):
    paid = signed(staff, cheque(staff))
    assert services.instrument_collect(instrument=paid, actor=staff.finance, collected_on=today()).state == S.COLLECTED
    bounced = signed(staff, cheque(staff))
    found = act_on(bounced, "dishonour", actor=staff.finance, comment="存款不足")
    assert (found.state, found.dishonour_reason, found.settled_on) == (S.DISHONOURED, "存款不足", today())


def test_the_sales_office_registers_for_the_salesperson_who_received_it(staff):
    found = bill(staff, staff.sales_b, actor=staff.back_office)
    assert (found.owner, found.received_by) == (staff.sales_b, staff.sales_b)
    assert events_of(found) == ["create"]


def test_a_registration_in_error_is_voided_by_the_office_with_its_reason(staff):
    found = bill(staff)
    voided = act_on(found, "void", actor=staff.back_office, comment="重复登记")
    assert (voided.state, voided.void_reason) == (S.VOIDED, "重复登记")


# -- registering: what is refused ------------------------------------------------------------------


def _refused_registration(staff, field, **extra):
    count = Instrument.objects.count()
    with pytest.raises(InvalidInput) as refused:
        bill(staff, **extra)
    assert field in refused.value.extra["fields"], refused.value.extra
    assert Instrument.objects.count() == count
    return refused.value.extra["fields"][field]


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("package_number", {"package_number": "5" * 29}),
        ("package_number", {"package_number": "5" * 29 + "x"}),
        ("package_number", {"package_number": package_number("6")}),  # a commercial bill's number
        ("range_end", {"range_start": 100, "range_end": 99}),
        ("range_start", {"range_start": 0, "range_end": 99}),
        ("range_end", {"range_start": 1, "range_end": 10**12}),
        ("range_end", {"range_end": None}),
        ("amount", {"amount": "999.99"}),  # not what the range is worth
        ("amount", {"range_start": 0, "range_end": 0}),  # cannot be split: its amount is entered
        ("due_on", {"due_on": None}),
        ("due_on", {"due_on": datetime.date(2020, 1, 1)}),  # before the issue date
        ("issued_on", {"issued_on": datetime.date.today() + 10 * DAY}),
        ("received_at", {"received_at": timezone.now() + DAY}),
        ("medium", {"kind": "cheque", "due_on": None}),  # a cheque is never electronic
        ("instrument_number", {"instrument_number": "12345678"}),
        ("issuer", {"issuer": "  "}),
    ],
)
def test_a_bad_registration_is_refused_on_its_field_and_nothing_is_made(staff, field, extra):
    _refused_registration(staff, field, **extra)


def test_the_package_numbers_first_digit_names_the_kind(staff):
    assert bill(staff, package_number=package_number("8")).is_supply_chain  # a supply-chain bank bill
    assert not bill(staff, package_number=package_number("5")).is_supply_chain
    commercial = bill(staff, kind="commercial_acceptance", package_number=package_number("6"))
    assert commercial.kind == "commercial_acceptance"
    assert bill(staff, kind="commercial_acceptance", package_number=package_number("7")).is_supply_chain
    _refused_registration(staff, "package_number", kind="commercial_acceptance", package_number=package_number("5"))


def test_a_bill_that_cannot_be_split_is_registered_with_its_amount(staff):
    found = bill(staff, range_start=0, range_end=0, amount=Decimal("250000.00"))
    assert (found.range_start, found.range_end, found.amount, found.is_splittable) == (
        0,
        0,
        Decimal("250000.00"),
        False,
    )


def test_a_term_over_six_months_is_registered_with_a_warning(staff):
    issued = today() - datetime.timedelta(days=30)
    found = bill(staff, issued_on=issued, due_on=issued + datetime.timedelta(days=200))
    assert found.state == S.PENDING_SIGN and found.term_too_long
    assert not bill(staff, issued_on=issued, due_on=issued + datetime.timedelta(days=150)).term_too_long


def test_a_bill_already_held_is_not_registered_twice(staff):
    first = bill(staff, worth="100.00")
    _refused_registration(staff, "package_number", package_number=first.package_number, range_start=50, range_end=80)
    # another part of the same package, not overlapping, is another instrument
    other = bill(staff, package_number=first.package_number, range_start=10_001, range_end=20_000)
    assert other.amount == Decimal("100.00")
    paper = cheque(staff)
    with pytest.raises(InvalidInput) as refused:
        cheque(staff, instrument_number=paper.instrument_number)
    assert "instrument_number" in refused.value.extra["fields"]


def test_a_paper_instrument_needs_its_number_and_amount(staff):
    count = Instrument.objects.count()
    with pytest.raises(InvalidInput) as refused:
        cheque(staff, instrument_number="", amount=None)
    assert {"instrument_number", "amount"} <= set(refused.value.extra["fields"])
    assert Instrument.objects.count() == count


def test_a_salesperson_registers_only_what_they_received_and_only_for_their_customers(staff):
    with pytest.raises(InvalidInput) as refused:
        bill(staff, received_by_id=staff.sales_b.pk)
    assert "received_by_id" in refused.value.extra["fields"]
    with pytest.raises(NotFound):
        bill(staff, staff.sales_a, customer=customer_of(staff, staff.sales_b))
    with pytest.raises(InvalidInput) as refused:
        bill(staff, staff.warehouse, actor=staff.back_office)  # not sales staff
    assert "received_by_id" in refused.value.extra["fields"]
    for outsider in (staff.finance, staff.warehouse, staff.manager1):
        with pytest.raises(Forbidden):
            bill(staff, actor=outsider, received_by_id=staff.sales_a.pk)
    assert Instrument.objects.count() == 0


# -- finance's steps: what is refused, changing nothing --------------------------------------------


def test_only_finance_signs_for_an_instrument(staff):
    found = bill(staff)
    for who in (staff.sales_a, staff.back_office, staff.manager1, staff.boss):
        assert_refused_unchanged(
            found, lambda who=who: services.instrument_sign(instrument=found, actor=who), Forbidden
        )
        assert_refused_unchanged(found, lambda who=who: act_on(found, "sign", actor=who))
    assert_refused_unchanged(found, lambda: act_on(found, "sign", actor=staff.warehouse), Forbidden)


@pytest.mark.parametrize("amount", ["1000000.00", "1000000.01", "0", "-5", "0.005"])
def test_a_part_of_nothing_or_of_the_whole_or_more_or_not_whole_fen_is_refused(staff, amount):
    held = signed(staff, bill(staff))
    error = refused_unchanged(
        [held],
        lambda: services.instrument_endorse(
            instrument=held, actor=staff.finance, endorsee="甲公司", endorsed_on=today(), amount=amount
        ),
        InvalidInput,
    )
    assert "amount" in error.extra["fields"]


def test_a_bill_that_cannot_be_split_or_a_paper_cheque_moves_only_whole(staff):
    whole_only = signed(staff, bill(staff, range_start=0, range_end=0, amount=Decimal("5000.00")))
    paper = signed(staff, cheque(staff))
    for held in (whole_only, paper):
        error = refused_unchanged(
            [held],
            lambda held=held: services.instrument_endorse(
                instrument=held, actor=staff.finance, endorsee="甲公司", endorsed_on=today(), amount="100.00"
            ),
            InvalidInput,
        )
        assert error.extra["fields"]["amount"] == [services.range_message("not_splittable")]


def test_a_bill_not_transferable_is_not_endorsed_whole_or_in_part(staff):
    held = signed(staff, bill(staff, is_transferable=False))
    for amount in (None, "10.00"):
        refused_unchanged(
            [held],
            lambda amount=amount: services.instrument_endorse(
                instrument=held, actor=staff.finance, endorsee="甲公司", endorsed_on=today(), amount=amount
            ),
            TransitionNotAllowed,
        )
    # it may still be discounted or collected
    assert (
        services.instrument_discount(instrument=held, actor=staff.finance, bank="招商银行", discounted_on=today()).state
        == S.DISCOUNTED
    )


def test_a_split_bill_is_never_acted_on_again_only_its_parts(staff):
    held = signed(staff, maturing_today(staff))
    services.instrument_endorse(
        instrument=held, actor=staff.finance, endorsee="甲公司", endorsed_on=today(), amount="1.00"
    )
    parent = fresh(held)
    docs = [parent, *parent.children.all()]
    calls = [
        lambda: services.instrument_endorse(instrument=parent, actor=staff.finance, endorsee="乙", endorsed_on=today()),
        lambda: services.instrument_endorse(
            instrument=parent, actor=staff.finance, endorsee="乙", endorsed_on=today(), amount="1.00"
        ),
        lambda: services.instrument_discount(
            instrument=parent, actor=staff.finance, bank="招商银行", discounted_on=today()
        ),
        lambda: services.instrument_collect(instrument=parent, actor=staff.finance, collected_on=today()),
        lambda: services.instrument_dishonour(instrument=parent, actor=staff.finance, reason="拒付"),
        lambda: act_on(parent, "sign", actor=staff.finance),
        lambda: act_on(parent, "void", actor=staff.finance, comment="错"),
    ]
    for call in calls:
        refused_unchanged(docs, call, TransitionNotAllowed)


def test_the_split_parents_refusal_names_its_parts(staff):
    held = signed(staff, bill(staff))
    services.instrument_endorse(instrument=held, actor=staff.finance, endorsee="甲", endorsed_on=today(), amount="1")
    parent = fresh(held)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.instrument_collect(instrument=parent, actor=staff.finance, collected_on=today())
    assert all(child.number in refused.value.message for child in parent.children.all())


def test_a_bill_is_not_collected_before_its_due_date_nor_a_date_in_the_future(staff):
    held = signed(staff, bill(staff))  # due in about three months
    for day in (today(), today() + DAY):
        error = refused_unchanged(
            [held],
            lambda day=day: services.instrument_collect(instrument=held, actor=staff.finance, collected_on=day),
            InvalidInput,
        )
        assert "collected_on" in error.extra["fields"]


def test_a_cheque_is_not_discounted_and_proceeds_are_not_above_the_amount(staff):
    paper = signed(staff, cheque(staff))
    refused_unchanged(
        [paper],
        lambda: services.instrument_discount(
            instrument=paper, actor=staff.finance, bank="招商银行", discounted_on=today()
        ),
        TransitionNotAllowed,
    )
    held = signed(staff, bill(staff, worth="100.00"))
    error = refused_unchanged(
        [held],
        lambda: services.instrument_discount(
            instrument=held, actor=staff.finance, bank="招商银行", discounted_on=today(), proceeds_amount="100.01"
        ),
        InvalidInput,
    )
    assert "proceeds_amount" in error.extra["fields"]


def test_nothing_moves_before_finance_signed_for_it(staff):
    found = bill(staff)
    for call in (
        lambda: services.instrument_endorse(instrument=found, actor=staff.finance, endorsee="甲", endorsed_on=today()),
        lambda: services.instrument_collect(instrument=found, actor=staff.finance, collected_on=today()),
        lambda: services.instrument_dishonour(instrument=found, actor=staff.finance, reason="拒付"),
    ):
        refused_unchanged([found], call, TransitionNotAllowed)


def test_a_dishonour_needs_its_reason_and_a_void_a_second_person(staff):
    held = signed(staff, cheque(staff))
    error = refused_unchanged(
        [held], lambda: services.instrument_dishonour(instrument=held, actor=staff.finance, reason=" "), InvalidInput
    )
    assert "reason" in error.extra["fields"]
    found = bill(staff)
    assert_refused_unchanged(found, lambda: act_on(found, "void", actor=staff.sales_a, comment="登记错了"), Forbidden)
    assert_refused_unchanged(found, lambda: act_on(found, "void", actor=staff.back_office, comment=""), InvalidInput)


def test_salespeople_never_dispose_of_instruments(staff):
    held = signed(staff, bill(staff))
    for call in (
        lambda: services.instrument_endorse(instrument=held, actor=staff.sales_a, endorsee="甲", endorsed_on=today()),
        lambda: services.instrument_discount(instrument=held, actor=staff.sales_a, bank="招商", discounted_on=today()),
        lambda: services.instrument_collect(instrument=held, actor=staff.back_office, collected_on=today()),
        lambda: services.instrument_dishonour(instrument=held, actor=staff.sales_a, reason="拒付"),
    ):
        refused_unchanged([held], call, Forbidden)


# -- linking the receipt ---------------------------------------------------------------------------


def _receipt(staff, customer, amount: str, method: str = "bank_bill"):
    from salesops.receivables.services import receipt_record

    return receipt_record(
        actor=staff.finance,
        customer_id=customer.pk,
        received_on=today(),
        method=method,
        amount=Decimal(amount),
        allocate="none",
    )


def test_finance_links_the_receipt_the_bill_paid(staff):
    customer = customer_of(staff)
    held = signed(staff, bill(staff, customer=customer, worth="1000.00"))
    receipt = _receipt(staff, customer, "1000.00")
    linked = services.instrument_link_receipt(instrument=held, actor=staff.finance, receipt_id=receipt.pk)
    assert linked.receipt == receipt
    assert events_of(held)[-1] == "edit"
    assert list(receipt.instruments.all()) == [linked]


def test_a_receipt_of_another_customer_or_method_or_too_small_is_not_linked(staff):
    customer = customer_of(staff)
    held = signed(staff, bill(staff, customer=customer, worth="1000.00"))
    other = _receipt(staff, customer_of(staff), "1000.00")
    by_cheque = _receipt(staff, customer, "1000.00", method="cheque")
    small = _receipt(staff, customer, "999.99")
    for receipt in (other, by_cheque, small):
        error = refused_unchanged(
            [held],
            lambda receipt=receipt: services.instrument_link_receipt(
                instrument=held, actor=staff.finance, receipt_id=receipt.pk
            ),
            InvalidInput,
        )
        assert "receipt_id" in error.extra["fields"]


def test_an_instrument_is_linked_once_and_a_receipt_covers_several_up_to_its_amount(staff):
    customer = customer_of(staff)
    first = signed(staff, cheque(staff, customer=customer, amount="600.00"))
    second = signed(staff, cheque(staff, customer=customer, amount="400.00"))
    third = signed(staff, cheque(staff, customer=customer, amount="0.01"))
    receipt = _receipt(staff, customer, "1000.00", method="cheque")
    for found in (first, second):
        services.instrument_link_receipt(instrument=found, actor=staff.finance, receipt_id=receipt.pk)
    refused_unchanged(
        [first],
        lambda: services.instrument_link_receipt(instrument=first, actor=staff.finance, receipt_id=receipt.pk),
        TransitionNotAllowed,
    )
    refused_unchanged(
        [third],
        lambda: services.instrument_link_receipt(instrument=third, actor=staff.finance, receipt_id=receipt.pk),
        InvalidInput,
    )


def test_a_part_is_not_linked_nor_an_instrument_not_yet_signed(staff):
    customer = customer_of(staff)
    receipt = _receipt(staff, customer, "100.00")
    waiting = bill(staff, customer=customer, worth="100.00")
    refused_unchanged(
        [waiting],
        lambda: services.instrument_link_receipt(instrument=waiting, actor=staff.finance, receipt_id=receipt.pk),
        TransitionNotAllowed,
    )
    held = signed(staff, bill(staff, customer=customer, worth="100.00"))
    part = services.instrument_endorse(
        instrument=held, actor=staff.finance, endorsee="甲", endorsed_on=today(), amount="10.00"
    )
    refused_unchanged(
        [part],
        lambda: services.instrument_link_receipt(instrument=part, actor=staff.finance, receipt_id=receipt.pk),
        TransitionNotAllowed,
    )
    # the bill as received is linked, split or not
    assert services.instrument_link_receipt(instrument=held, actor=staff.finance, receipt_id=receipt.pk).receipt_id


# -- who sees what ----------------------------------------------------------------------------------


def test_each_role_sees_the_instruments_the_regulation_lets_it_see(staff):
    mine = bill(staff, staff.sales_a)
    colleagues = bill(staff, staff.sales_b)
    branch = bill(staff, staff.sales_c)
    everything = {mine.pk, colleagues.pk, branch.pk}

    def seen(user) -> set[int]:
        return set(selectors.instrument_list(user=user).values_list("pk", flat=True))

    assert seen(staff.sales_a) == {mine.pk}
    assert seen(staff.sales_b) == {colleagues.pk}
    assert seen(staff.manager1) == {mine.pk, colleagues.pk}
    assert seen(staff.manager2) == {branch.pk}
    assert seen(staff.branch_mgr) == {branch.pk}
    for user in (staff.finance, staff.back_office, staff.boss, staff.admin):
        assert seen(user) == everything
    for user in (staff.warehouse, staff.technical, staff.purchasing):
        assert seen(user) == set()
        with pytest.raises(NotFound):
            selectors.instrument_get_for(user=user, pk=mine.pk)
    with pytest.raises(NotFound):
        selectors.instrument_get_for(user=staff.sales_b, pk=mine.pk)


def test_a_salespersons_parts_stay_theirs(staff):
    held = signed(staff, bill(staff, staff.sales_a))
    part = services.instrument_endorse(
        instrument=held, actor=staff.finance, endorsee="甲", endorsed_on=today(), amount="1.00"
    )
    assert selectors.instrument_get_for(user=staff.sales_a, pk=part.pk) == part
    assert not selectors.instrument_list(user=staff.sales_b).exists()


# -- settings ------------------------------------------------------------------------------------


def test_only_the_administrator_sets_the_reminder_days(staff):
    assert InstrumentSettings.reminder_days() == 5
    assert services.instrument_settings_update(actor=staff.admin, reminder_working_days=3).reminder_working_days == 3
    assert InstrumentSettings.reminder_days() == 3
    with pytest.raises(Forbidden):
        services.instrument_settings_update(actor=staff.finance, reminder_working_days=10)
    for bad in (-1, 61, "5", True):
        with pytest.raises(InvalidInput):
            services.instrument_settings_update(actor=staff.admin, reminder_working_days=bad)
    assert InstrumentSettings.reminder_days() == 3
