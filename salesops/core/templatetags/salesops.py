"""Template helpers: query strings for sorting and paging, sortable headers, money."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def query_with(keep: dict, **changes) -> str:
    params = {**keep, **{k: v for k, v in changes.items() if v not in (None, "")}}
    return urlencode(params)


@register.simple_tag
def sort_header(keep: dict, key: str, label) -> str:
    """A column header that sorts by ``key``; a second click reverses the order."""
    current = keep.get("sort", "")
    descending = current == key
    target = f"-{key}" if descending else key
    arrow = ""
    if current.lstrip("-") == key:
        arrow = " ▼" if current.startswith("-") else " ▲"
    params = urlencode({**keep, "sort": target})
    return format_html('<a class="link-dark text-decoration-none" href="?{}">{}{}</a>', params, label, arrow)


@register.filter
def money(value) -> str:
    if value in (None, ""):
        return ""
    return f"¥{Decimal(value):,.2f}"
