"""Excel export of a filtered expense list (Chinese offices live in Excel)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

EXPORT_LIMIT = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def expenses_xlsx(queryset) -> HttpResponse:
    """The rows of an already scoped and filtered queryset; amounts stay exact (Decimal cells)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Expenses")[:31]
    sheet.append(
        [
            _("Number"),
            _("State"),
            _("Category"),
            _("Owner"),
            _("Branch"),
            _("Customer"),
            _("Amount"),
            _("Planned date"),
            _("Incurred on"),
            _("R3 breach"),
            _("Purpose"),
        ]
    )
    for row in queryset[:EXPORT_LIMIT]:
        sheet.append(
            [
                row.number,
                str(row.get_state_display()),
                str(row.get_category_display()),
                str(row.owner),
                row.branch.name,
                row.customer.name if row.customer_id else "",
                row.amount,
                row.planned_on,
                row.incurred_on,
                _("Yes") if row.incurred_before_approval else _("No"),
                row.purpose,
            ]
        )
    for cell in sheet["G"][1:]:
        cell.number_format = "#,##0.00"
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="expenses-{stamp}.xlsx"'
    book.save(response)
    return response
