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


def render_pdf(template: str, context: dict, *, stamped: bool = False, draft: bool = False) -> bytes:
    """The PDF of ``template``. ``stamped``: the company stamp is printed (only for a document in a
    state its type declares printable for the customer). ``draft``: an unapproved document, printed
    without the stamp under a diagonal 草稿·未经审批·不得外发 watermark on every page."""
    from weasyprint import HTML

    company = company_context()
    if not stamped:
        company["stamp_uri"] = ""
    # Printed documents are in Chinese whatever the UI language (they go to customers).
    with translation.override("zh-hans"):
        html = render_to_string(template, {**company, **context, "stamped": stamped, "draft": draft})
    return HTML(string=html).write_pdf()


def pdf_response(
    template: str, context: dict, *, filename: str, stamped: bool = False, draft: bool = False
) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, stamped=stamped, draft=draft), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
