"""Printing: a document's HTML print template rendered to PDF by WeasyPrint, in Chinese,
with the company's name and stamp (盖章). The CJK font comes from the system
(Debian's fonts-noto-cjk, installed by ``.ci/run`` and named in the README).

A print is on one paper size (``PaperSize``: A4, or the continuous forms of dot-matrix printers)
and, for a multi-part form (多联单), in several copies (``FormCopy``, 联): each copy is the same
document rendered on its own pages, with its mark in the right margin of every page
(``print/base.html``).
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class PaperSize:
    """A paper a document may be printed on: its key (``?size=``, and the print's ``<body>`` class
    ``size-<key>``, whose rules in ``print/base.html`` set the margins and the type that fit it),
    its label on the print buttons, and its width and height in millimetres."""

    key: str
    label: str
    width_mm: int
    height_mm: int

    @property
    def css_size(self) -> str:
        return f"{self.width_mm}mm {self.height_mm}mm"

    @property
    def css_class(self) -> str:
        return f"size-{self.key}"


A4 = PaperSize("a4", "A4", 210, 297)
# Continuous forms of dot-matrix printers, 241 mm (9.5 in) wide with the tractor strips torn off:
# a 1/2 sheet (二等分, the usual 销售发货单) and a 1/3 sheet (三等分).
CONTINUOUS_HALF = PaperSize("241x140", "241×140", 241, 140)
CONTINUOUS_THIRD = PaperSize("241x93", "241×93", 241, 93)

# The mark's colour goes into the print's CSS: nothing but a hex colour may (no url() to fetch).
COLOUR = re.compile(r"\A#[0-9a-fA-F]{6}\Z")


@dataclass(frozen=True)
class FormCopy:
    """One copy (联) of a multi-part form: "第二联", what it is for ("仓库联"), the paper's colour
    ("红") and the colour of its mark (``#c62828``). ``position`` counts from 1 in printing order
    (``register_document`` numbers a declaration's copies)."""

    name: str
    purpose: str
    colour_label: str
    colour: str = "#333333"
    position: int = 0

    def __post_init__(self) -> None:
        if not COLOUR.match(self.colour):
            raise ValueError(f"copy {self.name}: the mark colour must be #RRGGBB, not {self.colour!r}")


# The usual colour of each copy paper's mark (the white copy's mark in black).
MARK_COLOURS = {"白": "#333333", "红": "#c62828", "蓝": "#1565c0", "黄": "#b28704", "绿": "#2e7d32"}

# The usual four-part delivery form: stub, warehouse, customer, signed receipt.
FOUR_PART_COPIES = (
    FormCopy("第一联", "存根", "白", MARK_COLOURS["白"]),
    FormCopy("第二联", "仓库联", "红", MARK_COLOURS["红"]),
    FormCopy("第三联", "客户联", "蓝", MARK_COLOURS["蓝"]),
    FormCopy("第四联", "回单联", "黄", MARK_COLOURS["黄"]),
)

# The letterhead (``{"company": ..., "stamp_uri": ...}``) comes from the app that knows the company
# (``org.printing``, registered in ``OrgConfig.ready``): core imports no app above it.
_letterhead: Callable[[], dict[str, Any]] | None = None


def set_letterhead(provider: Callable[[], dict[str, Any]]) -> None:
    global _letterhead
    _letterhead = provider


def company_context() -> dict[str, Any]:
    """The company's name and stamp for a print (no company, no stamp, before one is registered)."""
    return dict(_letterhead()) if _letterhead is not None else {"company": None, "stamp_uri": ""}


def render_pdf(
    template: str,
    context: dict,
    *,
    stamped: bool = False,
    draft: bool = False,
    paper: PaperSize = A4,
    copies: Sequence[FormCopy] = (),
) -> bytes:
    """The PDF of ``template``. ``stamped``: the company stamp is printed (only for a document in a
    state its type declares printable for the customer). ``draft``: an unapproved document, printed
    without the stamp under a diagonal 草稿·未经审批·不得外发 watermark on every page.

    With ``copies``, the document is rendered once per copy (``copy`` in the template's context)
    and the pages are bound in copy order: each copy numbers its own pages, and a long document
    flows onto as many pages per copy as it needs."""
    from weasyprint import HTML

    company = company_context()
    if not stamped:
        company["stamp_uri"] = ""
    base = {**company, **context, "stamped": stamped, "draft": draft, "paper": paper}
    # Printed documents are in Chinese whatever the UI language (they go to customers).
    with translation.override("zh-hans"):
        each: Sequence[FormCopy | None] = copies or [None]
        pages = [render_to_string(template, {**base, "copy": copy}) for copy in each]
    documents = [HTML(string=html).render() for html in pages]
    if len(documents) == 1:
        return documents[0].write_pdf()
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()


def pdf_response(
    template: str,
    context: dict,
    *,
    filename: str,
    stamped: bool = False,
    draft: bool = False,
    paper: PaperSize = A4,
    copies: Sequence[FormCopy] = (),
) -> HttpResponse:
    content = render_pdf(template, context, stamped=stamped, draft=draft, paper=paper, copies=copies)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
