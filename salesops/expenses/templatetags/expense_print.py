"""Helpers of the printed forms: the amount in Chinese capital numerals (大写金额), shared in core."""

from django import template

from salesops.core.templatetags.amounts import rmb_upper

register = template.Library()
register.filter("rmb_upper", rmb_upper)

__all__ = ["register", "rmb_upper"]
