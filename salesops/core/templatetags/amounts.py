"""Amounts in Chinese capital numerals (大写金额) for every printed form: ``{% load amounts %}``."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """1..9999 in capitals, with 零 for inner gaps."""
    out, gap = "", False
    for position in (3, 2, 1, 0):
        digit = number // 10**position % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += DIGITS[digit] + UNITS[position]
    return out


def _integer(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group(group) + GROUP_UNITS[index]
        gap = False
    return out


@register.filter
def rmb_upper(value) -> str:
    """``Decimal("1001.50")`` → ``壹仟零壹元伍角整``; the form customers and finance expect."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        return "负" + rmb_upper(-amount)
    yuan = int(amount)
    cents = int((amount - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan and fen:
        text += "零"
    if fen:
        return text + DIGITS[fen] + "分"
    return text + "整"
