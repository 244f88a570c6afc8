"""数电 invoice numbers: 20 digits, the first two the issue year (then the province code, the
issuing channel and a 15-digit sequence). There is no separate invoice code any more."""

import datetime
import re

from django.utils.translation import gettext as _

DIGITAL_NUMBER = re.compile(r"\d{20}")


def invoice_number_problem(number: str, issued_on: datetime.date | None) -> str | None:
    """Why ``number`` is not the 20-digit number of a 数电 invoice issued on ``issued_on``; None when it is."""
    if not DIGITAL_NUMBER.fullmatch(number or ""):
        return _("A 数电 invoice number has exactly 20 digits.")
    if issued_on is not None and number[:2] != f"{issued_on.year % 100:02d}":
        return _("The number's first two digits (%(prefix)s) are not the issue year %(year)s.") % {
            "prefix": number[:2],
            "year": issued_on.year,
        }
    return None
