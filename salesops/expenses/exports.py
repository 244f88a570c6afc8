"""Excel export of a filtered expense list (Chinese offices live in Excel), through the kernel writer
(``core.excel``), which writes text as text and survives any stored value (issue 7, item 3)."""

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from salesops.core.excel import Column, Kind, export_xlsx

EXPORT_LIMIT = 10000


def expense_export_columns() -> list[Column]:
    return [
        Column("number", gettext_lazy("Number")),
        Column("state", gettext_lazy("State"), export=lambda row: row.get_state_display()),
        Column("category", gettext_lazy("Category"), export=lambda row: row.get_category_display()),
        Column("owner", gettext_lazy("Owner"), export=lambda row: str(row.owner)),
        Column("branch", gettext_lazy("Branch"), export=lambda row: row.branch.name),
        Column("customer", gettext_lazy("Customer"), export=lambda row: row.customer.name if row.customer_id else ""),
        Column("amount", gettext_lazy("Amount"), Kind.DECIMAL),
        Column("planned_on", gettext_lazy("Planned date"), Kind.DATE),
        Column("incurred_on", gettext_lazy("Incurred on"), Kind.DATE),
        Column("incurred_before_approval", gettext_lazy("R3 breach"), Kind.BOOLEAN),
        Column("purpose", gettext_lazy("Purpose")),
    ]


def expense_export_rows(queryset):
    """The rows an export writes: the first ``EXPORT_LIMIT`` of an already scoped and filtered list."""
    return queryset[:EXPORT_LIMIT]


def expenses_to_xlsx(rows, *, progress=None) -> bytes:
    """The workbook of ``expense_export_rows``; amounts stay exact (Decimal cells)."""
    return export_xlsx(rows, expense_export_columns(), title=gettext("Expenses"), progress=progress)


def expenses_filename(params=None) -> str:
    return f"expenses-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"
