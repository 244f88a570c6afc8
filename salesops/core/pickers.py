"""Type-ahead pickers: choose a customer, product or colleague by typing a few letters.

Each app declares its pickers in its own ``pickers.py`` (found like ``admin.py`` modules)::

    register(Picker(
        name="customer",
        roles=CUSTOMER_READERS,
        rows=lambda user: Customer.objects.visible_to(user).filter(is_active=True),
        search_fields=("code", "name"),
        label=lambda c: f"{c.code} {c.name}",
    ))

That gives the route ``/pickers/customer/?q=bj`` (URL name ``pickers:customer``, from
``core/urls.py``) with the
picker's ``@policy(*roles)``, answering at most ``limit`` rows of ``rows(user)`` (the user's scope,
never more) that match the text as Chinese, full pinyin or initials (``core.pinyin``) or in
``search_fields``: one query. A form field takes it with ``PickerField("customer", queryset=...)``
or ``use_picker(form.fields["customer"], "customer")``; the field's own queryset still validates
the posted id, so a hand-made id outside the user's scope is refused as before.

The widget is a search box driven by HTMX (``hx-get`` on typing) over a hidden input holding the
chosen id; ``static/js/picker.js`` moves a clicked result into it (no inline script: the CSP).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import autodiscover_modules
from django.views import View

from .pinyin import search_condition
from .policy import policy

PICKER_LIMIT = 20


@dataclass(frozen=True)
class Picker:
    """One type-ahead: who may use it, which rows (already scoped to the user), how a row reads."""

    name: str
    roles: tuple[str, ...]
    rows: Callable[[Any], QuerySet]
    search_fields: tuple[str, ...] = ()
    search_key: str = "search_key"
    label: Callable[[Any], str] = str
    hint: Callable[[Any], str] | None = None
    ordering: tuple[str, ...] = ("pk",)
    limit: int = PICKER_LIMIT
    extra: dict[str, Any] = field(default_factory=dict)

    def search(self, user: Any, query: str) -> list[Any]:
        """The first ``limit`` rows in the user's scope matching ``query`` (all of them when empty)."""
        rows = self.rows(user)
        if (query or "").strip():
            rows = rows.filter(search_condition(query, self.search_fields, self.search_key))
        return list(rows.order_by(*self.ordering)[: self.limit])

    def choices(self, user: Any, query: str) -> list[dict[str, Any]]:
        return [
            {"value": row.pk, "label": self.label(row), "hint": self.hint(row) if self.hint else ""}
            for row in self.search(user, query)
        ]


_registry: dict[str, Picker] = {}
_discovered = False


def register(picker: Picker) -> Picker:
    if picker.name in _registry and _registry[picker.name] is not picker:
        raise ValueError(f"picker {picker.name!r} is registered twice")
    _registry[picker.name] = picker
    return picker


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("pickers")
        _discovered = True


def get_picker(name: str) -> Picker:
    _discover()
    return _registry[name]


def registered() -> dict[str, Picker]:
    _discover()
    return dict(_registry)


class PickerView(View):
    """``GET ?q=…``: the matching rows as a list of buttons for the widget (HTML fragment)."""

    picker: Picker | None = None
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        assert self.picker is not None  # nosec B101  # as_view(picker=...) sets it; the type checker asks
        query = (request.GET.get("q") or "").strip()[:100]
        context = {"choices": self.picker.choices(request.user, query), "q": query, "picker": self.picker}
        return render(request, "pickers/results.html", context)


def picker_view(picker: Picker) -> Callable:
    return policy(*picker.roles)(PickerView.as_view(picker=picker))


class PickerWidget(forms.Widget):
    """A search box over a hidden input with the chosen row's id.

    ``choices`` is set by ``ModelChoiceField`` (its queryset, unevaluated); only the chosen row
    is read, to show its label.
    """

    template_name = "pickers/widget.html"

    def __init__(self, picker: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.picker = picker
        self.choices: Any = ()

    def _chosen(self, value: Any) -> Any:
        if value in (None, "") or not hasattr(self.choices, "queryset"):
            return None
        if hasattr(value, "pk"):
            return value
        try:
            return self.choices.queryset.filter(pk=value).first()
        except (TypeError, ValueError, forms.ValidationError):
            return None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = self._chosen(value)
        # The chosen row reads as it does in the picker's results.
        label = "" if chosen is None else get_picker(self.picker).label(chosen)
        try:
            url = reverse(f"pickers:{self.picker}")
        except NoReverseMatch:
            url = ""
        widget = context["widget"]
        element_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = element_id
        widget.update(
            {
                "value": "" if chosen is None else chosen.pk,
                "label": label,
                "url": url,
                "results_id": f"{element_id}-results",
                "value_id": f"{element_id}-value",
            }
        )
        return context

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        # The project's template engine (salesops/templates), not the form renderer's own.
        return render_to_string(template_name, context)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class PickerField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` shown as a type-ahead of the named picker."""

    def __init__(self, picker: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerWidget(picker))
        super().__init__(*args, **kwargs)


def use_picker(field: forms.ModelChoiceField, picker: str) -> forms.ModelChoiceField:
    """Turn an existing choice field of a form into a type-ahead (after the form's ``__init__``)."""
    css = field.widget.attrs.get("class", "").replace("form-select", "form-control").strip()
    attrs = {k: v for k, v in field.widget.attrs.items() if k != "class"}
    field.widget = PickerWidget(picker, attrs={**attrs, "class": css or "form-control"})
    field.widget.choices = field.choices
    field.widget.is_required = field.required
    return field
