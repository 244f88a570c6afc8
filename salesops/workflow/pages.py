"""The generic page of one document: a type declares what it shows, the kernel builds the page.

A detail page names its selector, the fields it shows and the links of its form actions::

    @policy(*READERS)
    class SpecialFeeDetailView(DocumentDetailPage):
        get_for = staticmethod(selectors.special_fee_get_for)
        fields = ("owner", "branch", "customer", "kind", "amount", "reason")
        list_url_name, list_label = "expenses:specialfee-list", _("Special fees")
        edit_url_name = "expenses:specialfee-update"
        form_actions = {"pay": "expenses:specialfee-pay"}

The page shows the number, the state badge (its colour from the flow), Edit while the owner may
edit, a button per form action exactly when ``Flow.allows`` does, the type's own buttons
(``links``: steps that are not flow actions, such as drafting the next document), Print when
the type has a printed form (with a drop-down of its papers when it has several), the declared
fields the user's roles may see (``core.fieldvisibility``; a related document links to its page),
the lines when the type has them, and the kernel's document panel. Out of scope is a 404. A
type's own parts are its template's blocks (``badges``, ``notice``, ``sections``) fed by
``extra_context``.

A form action whose page is a plain POST (a revision), or whose button keeps an older test id,
is declared with ``FormAction``::

    form_actions = {"supersede": FormAction("deals:quotation-revise", testid="revise", post=True)}
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import ApplicationError, InvalidInput, StaleEdit, TransitionNotAllowed
from salesops.core.fieldvisibility import hidden_fields
from salesops.core.views_generic import FormPage, get_or_404

from .registry import document_type_of
from .selectors import document_panel


@dataclass(frozen=True)
class FormAction:
    """How a page reaches a form action: its URL name (taking the document's pk), the button's test
    id (default: the action's name), whether it is a POST without a form, its colour and icon."""

    url_name: str
    testid: str = ""
    post: bool = False
    style: str = ""
    icon: str = ""


def button(name: str, url: str, label: Any, *, style: str = "primary", post: bool = False, icon: str = "") -> dict:
    """One header button of a document page (``links`` returns these)."""
    return {"name": name, "url": url, "label": label, "style": style, "post": post, "icon": icon}


def may_edit(doc: Any, user: Any) -> bool:
    """The Edit button and the edit forms' GET: the owner, while the flow lets the document be edited
    (the service re-checks owner, state and version)."""
    return doc.owner_id == user.pk and doc.state in tuple(document_type_of(doc).flow.editable_states)


def _field_row(doc: Any, name: str) -> dict[str, Any] | None:
    """One shown field: its label, its display value and how to render it (None when empty)."""
    field = doc._meta.get_field(name)
    value = getattr(doc, name)
    if value in (None, ""):
        return None
    kind = "text"
    if getattr(field, "choices", None):
        value = getattr(doc, f"get_{name}_display")()
    elif isinstance(value, Decimal) and (name == "amount" or name.endswith(("_amount", "_price"))):
        kind = "money"
    elif isinstance(value, datetime.datetime):
        kind = "datetime"
    elif isinstance(value, datetime.date):
        kind = "date"
    elif field.get_internal_type() == "TextField":
        kind = "multiline"
    elif getattr(value, "number", None) and hasattr(value, "get_absolute_url"):
        kind = "link"  # a related document, by its number
    elif getattr(value, "name", None) and not hasattr(value, "get_full_name"):
        value = value.name  # a customer or a branch by its name
    return {"name": name, "testid": name.replace("_", "-"), "label": field.verbose_name, "value": value, "kind": kind}


class DocumentDetailPage(View):
    """The page of one document, built from the type's declaration (see the module docstring)."""

    template_name = "workflow/document_detail.html"
    # The type's ``<entity>_get_for(*, user, pk)`` selector.
    get_for: ClassVar[Callable[..., Any]]
    fields: ClassVar[tuple[str, ...]] = ()
    list_url_name: ClassVar[str] = ""
    list_label: ClassVar[Any] = ""
    kind_label: ClassVar[Any] = ""
    edit_url_name: ClassVar[str] = ""
    # Form action -> URL name of its form (taking the document's pk); shown when Flow.allows it.
    form_actions: ClassVar[Mapping[str, "str | FormAction"]] = {}
    # The related name of the document's lines, and the template that shows them.
    lines: ClassVar[str] = ""
    lines_template: ClassVar[str] = ""
    lines_label: ClassVar[Any] = ""
    lines_priced: ClassVar[bool] = True
    # The document under a type's own name too (``fee``, ``order``) for its template's blocks.
    context_name: ClassVar[str] = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        doc = get_or_404(type(self).get_for, user=request.user, pk=pk)
        return render(request, self.template_name, self.get_context(doc, request.user))

    def kind(self, doc: Any) -> Any:
        return self.kind_label or doc._meta.verbose_name

    def shown_fields(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        hidden = hidden_fields(type(doc), user)
        rows = (_field_row(doc, name) for name in self.fields if name not in hidden)
        return [row for row in rows if row is not None]

    def buttons(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """Edit while the owner may edit, each form action the flow allows this user now, then the
        type's own buttons."""
        flow = document_type_of(doc).flow
        found: list[dict[str, Any]] = []
        if self.edit_url_name and may_edit(doc, user):
            found.append(button("edit", reverse(self.edit_url_name, args=[doc.pk]), "", style="outline-primary"))
        for action, declared in self.form_actions.items():
            how = declared if isinstance(declared, FormAction) else FormAction(declared)
            t = flow.get(action)
            if t is not None and flow.allows(action, doc, user):
                url = reverse(how.url_name, args=[doc.pk])
                style = how.style or t.style
                found.append(button(how.testid or action, url, t.label, style=style, post=how.post, icon=how.icon))
        return found + self.links(doc, user)

    def links(self, doc: Any, user: Any) -> list[dict[str, Any]]:
        """A type's own header buttons (``button(...)``), for steps that are not its flow's actions."""
        return []

    def extra_context(self, doc: Any, user: Any) -> dict[str, Any]:
        """A type's own additions to the page's context."""
        return {}

    def get_context(self, doc: Any, user: Any) -> dict[str, Any]:
        entry = document_type_of(doc)
        context = {
            **document_panel(doc, user=user),
            "kind": self.kind(doc),
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            "list_label": self.list_label,
            "fields": self.shown_fields(doc, user),
            "buttons": self.buttons(doc, user),
            "printable": bool(entry.print_template),
            "print_sizes": entry.print_sizes,
            "header_print": True,
            "lines": getattr(doc, self.lines).all() if self.lines else None,
            "lines_template": self.lines_template,
            "lines_label": self.lines_label,
            "lines_priced": self.lines_priced,
        }
        if self.context_name:
            context[self.context_name] = doc
        context.update(self.extra_context(doc, user))
        return context


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a document list: the row's attribute (dotted: ``customer.name``; a choice shows
    its label), its header, the ``Listing`` sort key it orders by, and how the cell shows:
    ``text``, ``number`` (the link to the document), ``money``, ``date`` or ``state`` (the badge)."""

    attr: str
    label: Any
    sort: str = ""
    kind: str = "text"


def _cell(row: Any, column: Column) -> dict[str, Any]:
    *path, name = column.attr.split(".")
    target = row
    for part in path:
        target = getattr(target, part, None)
        if target is None:
            return {"kind": column.kind, "value": ""}
    display = getattr(target, f"get_{name}_display", None)
    value = display() if display is not None else getattr(target, name)
    return {"kind": column.kind, "value": value}


class DocumentListPage(View):
    """The list of one document type, built from its declaration::

        @policy(*READERS)
        class SpecialFeeListView(DocumentListPage):
            select = staticmethod(selectors.special_fee_list)
            listing_for = staticmethod(selectors.special_fee_listing)
            title = _("Special fees")
            columns = (Column("number", _("Number"), "number", "number"), Column("amount", ...), ...)
            create_url_name, create_label, creators = "expenses:specialfee-create", _("New special fee"), RAISERS

    The toolbar searches, filters and sorts through the type's ``Listing``; an HTMX request gets
    the results block only; ``summary`` adds figures over every matching row above the table.
    """

    template_name = "workflow/document_list.html"
    partial_name = "workflow/partials/document_results.html"
    select: ClassVar[Callable[..., Any]]  # <entity>_list(*, user)
    listing_for: ClassVar[Callable[..., Any]]  # <entity>_listing(*, user)
    columns: ClassVar[tuple[Column, ...]] = ()
    title: ClassVar[Any] = ""
    subtitle: ClassVar[Any] = ""
    create_url_name: ClassVar[str] = ""
    create_label: ClassVar[Any] = ""
    create_testid: ClassVar[str] = "new"
    creators: ClassVar[tuple[str, ...]] = ()
    empty_text: ClassVar[Any] = ""

    def summary(self, filtered: Any) -> list[dict[str, Any]]:
        """Figures over every matching row, all pages: ``{"label", "value", "kind", "testid"}``."""
        return []

    def badges(self, row: Any) -> list[tuple[Any, str]]:
        """Marks shown after a row's number: ``(label, Bootstrap badge classes)`` (R4, major, late)."""
        return []

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user  # signed in: the route's policy let them in
        result = type(self).listing_for(user=user).apply(type(self).select(user=user), request.GET)
        filtered = result["page_obj"].paginator.object_list
        context = {
            **result,
            "view": self,
            "table": [(row, [_cell(row, c) for c in self.columns], self.badges(row)) for row in result["rows"]],
            "summary": self.summary(filtered),
            "may_create": bool(self.create_url_name) and user.has_role(*self.creators),
            **self.extra_context(result),
        }
        template = self.partial_name if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)


# --- forms ------------------------------------------------------------------------------------


class DocumentFormPage(FormPage):
    """Create (no ``pk``) or edit one document through its services::

        @policy(*RAISERS)
        class SpecialFeeFormView(DocumentFormPage):
            get_for = staticmethod(selectors.special_fee_get_for)
            form_class = SpecialFeeForm
            create = staticmethod(services.special_fee_create)
            update = staticmethod(services.special_fee_update)
            doc_arg = "fee"
            list_url_name, list_label = "expenses:specialfee-list", _("Special fees")
            new_title, intro = _("New special fee"), _("A special fee needs your manager's consent (R5)...")

    The form takes ``user`` and ``instance``, carries the version it was loaded with, and gives the
    service its arguments (``service_kwargs``). Every refusal of the service lands on the form with
    its status (403 role, 409 stale edit or wrong state, 422 bad input; an error on
    ``lines.<i>.<field>`` on its row when the form has lines). Editing a document the user may not
    edit now goes back to its page with a message.
    """

    template_name = "workflow/document_form.html"
    form_errors = (ApplicationError,)
    get_for: ClassVar[Callable[..., Any]]
    form_class: ClassVar[Any]
    create: ClassVar[Callable[..., Any]]  # <entity>_create(*, actor, **fields)
    update: ClassVar[Callable[..., Any]]  # <entity>_update(*, actor, <doc_arg>, version, **fields)
    doc_arg: ClassVar[str] = "doc"
    list_url_name: ClassVar[str] = ""
    list_label: ClassVar[Any] = ""
    new_title: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    testid: ClassVar[str] = "document-form"
    document: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.document = get_or_404(type(self).get_for, user=request.user, pk=pk) if pk else None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        if self.document is not None and not may_edit(self.document, request.user):
            messages.error(request, _("This document cannot be edited now."))
            return HttpResponseRedirect(self.document.get_absolute_url())
        return self.render_form(self.make_form())

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        form = self.form_class(data, user=self.request.user, instance=self.document)
        if data is not None and self.document is not None:
            form.require_version()
        return form

    def perform(self, form: Any) -> Any:
        fields = form.service_kwargs()
        if self.document is None:
            return type(self).create(actor=self.request.user, **fields)
        version = form.cleaned_data["version"]
        return type(self).update(actor=self.request.user, version=version, **{self.doc_arg: self.document}, **fields)

    def form_error(self, form: Any, exc: ApplicationError) -> Any:
        if isinstance(exc, InvalidInput) and hasattr(form, "line_errors"):
            return form.line_errors(exc)
        return exc

    def success_message(self, result: Any) -> str:
        return _("%(number)s saved.") % {"number": result.number}

    def heading_note(self) -> str:
        """A type's words after the heading (an edited contract's customer and quotation)."""
        return ""

    def cancel_url(self) -> str:
        return self.document.get_absolute_url() if self.document else reverse(self.list_url_name)

    def context(self) -> dict[str, Any]:
        return {
            "object": self.document,
            "heading": self.new_title
            if self.document is None
            else _("Edit %(number)s") % {"number": self.document.number},
            "heading_note": self.heading_note(),
            "intro": self.intro,
            "testid": self.testid,
            "list_url": reverse(self.list_url_name),
            "list_label": self.list_label,
        }


class DocumentStepPage(FormPage):
    """A step taken on one document through its own form (issue a note from a requisition, book an
    outbound, record an invoice, allocate a receipt): the page loads the document (``parent``,
    404 out of scope), offers the step only while it can be taken (``unavailable``: else back to
    the document's page with the reason), and puts the service's refusal on the form's fields or
    rows (``form.service_error``). An app gives its template and its form's arguments."""

    form_errors = (InvalidInput, TransitionNotAllowed, StaleEdit)
    form_class: ClassVar[Any]
    heading: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = gettext_lazy("Save")
    testid: ClassVar[str] = "step-form"
    # The list the document belongs to (the breadcrumb).
    list_url_name: ClassVar[str] = ""
    list_label: ClassVar[Any] = ""
    parent: Any = None

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        raise NotImplementedError

    def unavailable(self) -> str:
        """Why the document cannot take this step now ("" when it can)."""
        return ""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        refusal = self.unavailable()
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(self.parent.get_absolute_url())
        return self.render_form(self.make_form())

    def form_error(self, form: Any, exc: ApplicationError) -> ApplicationError:
        return form.service_error(exc) if isinstance(exc, InvalidInput) else exc

    def cancel_url(self) -> str:
        return self.parent.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {
            "parent": self.parent,
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            "list_label": self.list_label,
            "heading": self.heading,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "testid": self.testid,
        }


@dataclass(frozen=True)
class SourceChoice:
    """The first step of a document made from a sold order (a goods requisition, an invoice
    request): choose the signed contract or the confirmed phone order. Its words, per document."""

    intro: Any
    no_contracts: Any
    no_orders: Any

    def render(
        self, request: HttpRequest, page: Any, *, contracts: list[Any], orders: list[Any], status: int = 200
    ) -> HttpResponse:
        """``page`` names its heading and its list (``list_url_name``, ``list_label``)."""
        context = {
            "contracts": contracts,
            "orders": orders,
            "heading": page.heading,
            "list_url": reverse(page.list_url_name),
            "list_label": page.list_label,
            "choice": self,
        }
        return render(request, "workflow/source_choice.html", context, status=status)
