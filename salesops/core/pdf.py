"""Printing: a document's HTML print template rendered to PDF by WeasyPrint, in Chinese,
with the company's name and stamp (盖章). The CJK font comes from the system
(Debian's fonts-noto-cjk, installed by ``.ci/run`` and named in the README).
"""

import base64
import mimetypes

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def company_context() -> dict:
    from salesops.org.models import Company

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


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    # Printed documents are in Chinese whatever the UI language (they go to customers).
    with translation.override("zh-hans"):
        html = render_to_string(template, {**company_context(), **context})
    return HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
