"""The sub-bill range arithmetic (子票区间): validation, one split, and any sequence of splits.

Property: however a bill is split, part after part, its leaves are disjoint, cover the original
range without gap, and their amounts add up to the original's, fen for fen."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.receivables import billranges
from salesops.receivables.billranges import MAX_END, Range, RangeError, make, split, units


def test_a_range_is_worth_one_fen_per_sub_bill():
    whole = make(1, 100_000_000)
    assert whole.count == 100_000_000
    assert whole.amount == Decimal("1000000.00")
    assert make(1, 1).amount == Decimal("0.01")
    assert make(MAX_END, MAX_END).amount == Decimal("0.01")
    assert make(1, MAX_END).amount == Decimal("9999999999.99")


def test_zero_to_zero_is_a_bill_that_cannot_be_split():
    found = make(0, 0)
    assert found == billranges.UNSPLITTABLE
    assert not found.is_splittable and found.count == 0 and found.amount == 0
    with pytest.raises(RangeError) as refused:
        split(found, 1)
    assert refused.value.code == "not_splittable"


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (10, 9, "end_before_start"),
        (1, MAX_END + 1, "too_long"),
        (MAX_END + 1, MAX_END + 2, "too_long"),
        (-1, 5, "negative"),
        (0, 5, "zero_start"),
        ("1.5", 5, "not_integer"),
        ("abc", 5, "not_integer"),
        (True, 5, "not_integer"),
    ],
)
def test_bad_ranges_are_refused_with_their_reason(start, end, code):
    with pytest.raises(RangeError) as refused:
        make(start, end)
    assert refused.value.code == code


def test_ends_given_as_text_are_read_as_integers():
    assert make("1", "300") == Range(1, 300)


@pytest.mark.parametrize(
    ("amount", "fen"), [("0.01", 1), ("300000.00", 30_000_000), (Decimal("12.3"), 1230), ("7", 700)]
)
def test_an_amount_is_a_whole_number_of_fen(amount, fen):
    assert units(amount) == fen


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0.005", "not_whole_units"),
        ("x", "not_whole_units"),
        ("0", "not_positive"),
        ("-1", "not_positive"),
        ("NaN", "not_whole_units"),
    ],
)
def test_an_amount_that_is_not_whole_fen_or_not_positive_is_refused(amount, code):
    with pytest.raises(RangeError) as refused:
        units(amount)
    assert refused.value.code == code


def test_a_split_takes_the_low_end_by_default_and_keeps_the_rest():
    taken, kept = split(make(1, 100_000_000), 30_000_000)
    assert (taken, kept) == (Range(1, 30_000_000), Range(30_000_001, 100_000_000))
    assert taken.amount + kept.amount == Decimal("1000000.00")


def test_a_split_may_take_the_high_end():
    taken, kept = split(make(101, 200), 10, take="high")
    assert (taken, kept) == (Range(191, 200), Range(101, 190))


@pytest.mark.parametrize(
    ("fen", "code"),
    [
        (0, "not_positive"),
        (-3, "not_positive"),
        (100, "not_less_than_whole"),
        (101, "not_less_than_whole"),
        (1.5, "not_whole_units"),
    ],
)
def test_a_split_of_nothing_or_of_the_whole_or_more_is_refused(fen, code):
    with pytest.raises(RangeError) as refused:
        split(make(1, 100), fen)
    assert refused.value.code == code


def test_a_split_from_an_unknown_side_is_refused():
    with pytest.raises(RangeError) as refused:
        split(make(1, 100), 5, take="middle")
    assert refused.value.code == "bad_side"


def test_covers_exactly_sees_gaps_overlaps_and_overflow():
    whole = Range(1, 10)
    assert billranges.covers_exactly([Range(1, 3), Range(4, 10)], whole)
    assert not billranges.covers_exactly([Range(1, 3), Range(5, 10)], whole)  # a gap
    assert not billranges.covers_exactly([Range(1, 4), Range(4, 10)], whole)  # an overlap
    assert not billranges.covers_exactly([Range(1, 3), Range(4, 11)], whole)  # beyond the end
    assert not billranges.covers_exactly([], whole)


ranges = st.integers(min_value=1, max_value=MAX_END).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(min_value=start, max_value=MAX_END))
)


@settings(max_examples=200, deadline=None)
@given(ends=ranges, steps=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.booleans()), max_size=40))
def test_after_any_sequence_of_splits_the_leaves_are_disjoint_and_add_up_to_the_whole(ends, steps):
    # given a range, and a sequence of splits: which leaf, how much of it, which end
    whole = make(*ends)
    leaves = [whole]
    for pick, share, low in steps:
        splittable = [leaf for leaf in leaves if leaf.count > 1]
        if not splittable:
            break
        leaf = splittable[min(int(pick * len(splittable)), len(splittable) - 1)]
        fen = 1 + min(int(share * (leaf.count - 1)), leaf.count - 2)
        # when it is split
        taken, kept = split(leaf, fen, take="low" if low else "high")
        assert taken.count == fen and taken.count + kept.count == leaf.count
        leaves.remove(leaf)
        leaves += [taken, kept]
    # then the leaves are disjoint, cover the original without gap, and their amounts add up
    assert billranges.are_disjoint(leaves)
    assert billranges.covers_exactly(leaves, whole)
    assert sum((leaf.amount for leaf in leaves), Decimal("0")) == whole.amount
    assert sum(leaf.count for leaf in leaves) == whole.count


@settings(max_examples=200, deadline=None)
@given(ends=ranges, fen=st.integers(min_value=-5, max_value=MAX_END + 5), take=st.sampled_from(billranges.TAKES))
def test_a_split_either_divides_the_range_exactly_or_is_refused(ends, fen, take):
    whole = make(*ends)
    try:
        taken, kept = split(whole, fen, take=take)
    except RangeError as refused:
        assert fen <= 0 or fen >= whole.count
        assert refused.code in ("not_positive", "not_less_than_whole")
        return
    assert 0 < fen < whole.count
    assert billranges.covers_exactly([taken, kept], whole)
