"""The letterhead of every print: the company's name and, where the document may carry it, its stamp.

Registered with ``core.pdf`` when the app is ready (core knows nothing of the company).
"""

import base64
import mimetypes
from typing import Any

from .models import Company


def company_context() -> dict[str, Any]:
    company = Company.current()
    stamp_uri = ""
    if company.stamp:
        try:
            with company.stamp.open("rb") as handle:
                data = handle.read()
            mime = mimetypes.guess_type(company.stamp.name)[0] or "image/png"
            stamp_uri = f"data:{mime};base64,{base64.b64encode(data).decode()}"
        except OSError:
            stamp_uri = ""
    return {"company": company, "stamp_uri": stamp_uri}
