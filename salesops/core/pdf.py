"""Printing: a document's HTML print template rendered to PDF by WeasyPrint, in Chinese,
with the company's name and stamp (盖章). The CJK font comes from the system
(Debian's fonts-noto-cjk, installed by ``.ci/run`` and named in the README).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# The letterhead (``{"company": ..., "stamp_uri": ...}``) comes from the app that knows the company
# (``org.printing``, registered in ``OrgConfig.ready``): core imports no app above it.
_letterhead: Callable[[], dict[str, Any]] | None = None


def set_letterhead(provider: Callable[[], dict[str, Any]]) -> None:
    global _letterhead
    _letterhead = provider


def company_context() -> dict[str, Any]:
    """The company's name and stamp for a print (no company, no stamp, before one is registered)."""
    return dict(_letterhead()) if _letterhead is not None else {"company": None, "stamp_uri": ""}


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
