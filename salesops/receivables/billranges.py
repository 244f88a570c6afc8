"""Sub-bill ranges (子票区间) of the new-generation electronic bills (新一代票据): pure arithmetic.

A bill package (票据包) is a run of sub-bills numbered ``start``..``end``, each worth one fen
(0.01 yuan): amount = (end − start + 1) × 0.01. Each end has at most 12 digits (a package is
under 10 billion yuan) and is stored as a 64-bit integer.

A range ``0–0`` is how the platform marks a package that cannot be split (不可分包): it names no
sub-bills, its amount is recorded on its own (``Range.is_splittable`` is False), and it is endorsed,
discounted or collected only whole. Any other range starts at 1 or above.

Partial endorsement (分包背书) takes a run off one end of the range and keeps the rest. Which end
the platform gives the endorsee is not in any official text found; one third-party app gives the
low part ``[start, start + n − 1]``, so ``take="low"`` is the default and ``"high"`` is there for the
other reading. After any sequence of splits the leaves are disjoint and together are the original
range, fen for fen (``tests/test_billranges.py`` proves it for arbitrary sequences).

Errors are ``RangeError`` with a ``code`` (no Django here): the services turn them into field errors.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_END = 999_999_999_999  # 12 digits
FEN = Decimal("0.01")
TAKES = ("low", "high")


class RangeError(ValueError):
    """Why a range or a split is refused: ``code`` is one of the ``CODES`` below."""

    CODES = (
        "not_integer",  # an end is not a whole number
        "negative",  # an end is below 0
        "too_long",  # an end has more than 12 digits
        "zero_start",  # a real range starts at 1 (0 only as "0–0")
        "end_before_start",  # end < start
        "not_splittable",  # "0–0": the package cannot be split
        "not_whole_units",  # the amount is not a whole number of fen
        "not_positive",  # the amount to take is 0 or less
        "not_less_than_whole",  # the amount to take is the whole range or more
        "bad_side",  # take is neither "low" nor "high"
    )

    def __init__(self, code: str):
        if code not in self.CODES:
            raise ValueError(f"unknown range error {code!r}")
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, order=True)
class Range:
    """A sub-bill range, both ends included; build it with ``make`` (which validates)."""

    start: int
    end: int

    @property
    def is_splittable(self) -> bool:
        return not (self.start == 0 and self.end == 0)

    @property
    def count(self) -> int:
        """Sub-bills (fen) in the range; 0 for the unsplittable ``0–0``."""
        return self.end - self.start + 1 if self.is_splittable else 0

    @property
    def amount(self) -> Decimal:
        """The range's amount in yuan (``Decimal`` to the fen); 0 for ``0–0`` (recorded apart)."""
        return Decimal(self.count) * FEN

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


UNSPLITTABLE = Range(0, 0)


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise RangeError("not_integer")
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RangeError("not_integer") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise RangeError("not_integer")
    return int(number)


def check_end(value: Any) -> int:
    """One end of a range as an integer of at most 12 digits, or ``RangeError``."""
    number = _whole(value)
    if number < 0:
        raise RangeError("negative")
    if number > MAX_END:
        raise RangeError("too_long")
    return number


def make(start: Any, end: Any) -> Range:
    """A validated range: ``0–0`` (not splittable) or ``1 ≤ start ≤ end ≤ 999999999999``."""
    low, high = check_end(start), check_end(end)
    if low == 0 and high == 0:
        return UNSPLITTABLE
    if high < low:
        raise RangeError("end_before_start")
    if low == 0:
        raise RangeError("zero_start")
    return Range(low, high)


def units(amount: Any) -> int:
    """An amount in yuan as a whole number of fen (the sub-bills it is), or ``RangeError``."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise RangeError("not_whole_units") from None
    if not value.is_finite():
        raise RangeError("not_whole_units")
    fen = value / FEN
    if fen != fen.to_integral_value():
        raise RangeError("not_whole_units")
    if fen <= 0:
        raise RangeError("not_positive")
    return int(fen)


def split(whole: Range, fen: int, take: str = "low") -> tuple[Range, Range]:
    """``(taken, kept)``: ``fen`` sub-bills taken off the ``take`` end of ``whole``, and the rest.

    Refused: a range that cannot be split, ``fen`` ≤ 0, ``fen`` ≥ the whole (that is no split: the
    whole bill moves), an unknown side."""
    if take not in TAKES:
        raise RangeError("bad_side")
    if not whole.is_splittable:
        raise RangeError("not_splittable")
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise RangeError("not_whole_units")
    if fen <= 0:
        raise RangeError("not_positive")
    if fen >= whole.count:
        raise RangeError("not_less_than_whole")
    if take == "low":
        return Range(whole.start, whole.start + fen - 1), Range(whole.start + fen, whole.end)
    return Range(whole.end - fen + 1, whole.end), Range(whole.start, whole.end - fen)


def are_disjoint(ranges: Iterable[Range]) -> bool:
    """No two splittable ranges share a sub-bill."""
    ordered = sorted(r for r in ranges if r.is_splittable)
    return all(a.end < b.start for a, b in zip(ordered, ordered[1:], strict=False))


def covers_exactly(ranges: Iterable[Range], whole: Range) -> bool:
    """The ranges are disjoint and together are ``whole``, without gap or overflow."""
    ordered = sorted(ranges)
    if not ordered or not are_disjoint(ordered):
        return False
    if ordered[0].start != whole.start or ordered[-1].end != whole.end:
        return False
    return all(a.end + 1 == b.start for a, b in zip(ordered, ordered[1:], strict=False))
