"""The monthly per-person summary of the penalty ledger for the HR / payroll office, as Excel
(through the kernel writer) and PDF. The system never deducts wages: this is what HR reads."""

from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy

from salesops.core.excel import Column, Kind, export_xlsx, xlsx_response
from salesops.core.pdf import pdf_response

from .models import PenaltySettings


def ledger_columns() -> list[Column]:
    return [
        Column("person", gettext_lazy("Employee"), export=lambda line: str(line.person)),
        Column("username", gettext_lazy("Username"), export=lambda line: line.person.username),
        Column("violations", gettext_lazy("Violations"), Kind.INTEGER),
        Column("points", gettext_lazy("Points"), Kind.INTEGER),
        Column("capped_points", gettext_lazy("Points after the cap"), Kind.INTEGER),
        Column("amount", gettext_lazy("Amount"), Kind.DECIMAL),
        Column("capped_amount", gettext_lazy("Amount after the cap"), Kind.DECIMAL),
        Column("reward_points", gettext_lazy("Reward points"), Kind.INTEGER),
        Column("reward_amount", gettext_lazy("Reward amount"), Kind.DECIMAL),
        Column("compensation", gettext_lazy("Compensation for a loss"), Kind.DECIMAL),
    ]


def ledger_xlsx(lines, *, month: str) -> HttpResponse:
    content = export_xlsx(lines, ledger_columns(), title=gettext("Penalty ledger %(month)s") % {"month": month})
    return xlsx_response(content, f"penalty-ledger-{month}.xlsx")


def ledger_pdf(request, lines, *, month: str) -> HttpResponse:
    context = {"lines": lines, "month": month, "settings": PenaltySettings.current()}
    return pdf_response("compliance/print/ledger.html", context, filename=f"penalty-ledger-{month}.pdf")
