"""The ageing of receivables as Excel: the rows of the page (same selector, same scope), one per
customer, and the total."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy

from salesops.core.excel import Column, Kind, export_xlsx, xlsx_response

from .selectors.ageing import BUCKETS, Ageing


def _amount_in(key: str) -> Callable[[Any], Decimal]:
    return lambda row: row.amounts[key]


def ageing_columns() -> list[Column]:
    return [
        Column("code", gettext_lazy("Customer code"), export=lambda row: row.customer.code if row.customer else ""),
        Column(
            "customer",
            gettext_lazy("Customer"),
            export=lambda row: row.customer.name if row.customer else gettext("Total"),
        ),
        Column(
            "owner", gettext_lazy("Salesperson"), export=lambda row: str(row.customer.owner if row.customer else "")
        ),
        *[Column(bucket.key, bucket.label, Kind.DECIMAL, export=_amount_in(bucket.key)) for bucket in BUCKETS],
        Column("overdue", gettext_lazy("Overdue"), Kind.DECIMAL),
        Column("total", gettext_lazy("Open amount"), Kind.DECIMAL),
    ]


def ageing_xlsx(report: Ageing) -> HttpResponse:
    day = f"{report.today:%Y%m%d}"
    content = export_xlsx(
        [*report.rows, report.totals], ageing_columns(), title=gettext("Ageing %(day)s") % {"day": day}
    )
    return xlsx_response(content, f"ageing-{day}.xlsx")
