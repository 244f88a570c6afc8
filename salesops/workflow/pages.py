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
the type has a printed form, the declared fields the user's roles may see
(``core.fieldvisibility``; a related document links to its page), the lines when the type has
them, and the kernel's document panel. Out of scope is a 404. A type's own parts are its
template's blocks (``badges``, ``notice``, ``sections``) fed by ``extra_context``.

A form action whose page is a plain POST (a revision), or whose button keeps an older test id,
is declared with ``FormAction``::

    form_actions = {"supersede": FormAction("deals:quotation-revise", testid="revise", post=True)}
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from salesops.core.fieldvisibility import hidden_fields
from salesops.core.views_generic import get_or_404

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
        context = {
            **document_panel(doc, user=user),
            "kind": self.kind(doc),
            "list_url": reverse(self.list_url_name) if self.list_url_name else "",
            "list_label": self.list_label,
            "fields": self.shown_fields(doc, user),
            "buttons": self.buttons(doc, user),
            "printable": bool(document_type_of(doc).print_template),
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
