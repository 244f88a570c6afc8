"""Glue between Django forms and the services: values go in keyed as services take them,
service errors come back onto the named field."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from .errors import ApplicationError, InvalidInput
from .fields import service_values


def label(model: Any, name: str) -> Any:
    """A field's label as the document's page shows it (the model's verbose name)."""
    return capfirst(model._meta.get_field(name).verbose_name)


def plain(value: Any) -> str:
    """A quantity as people write it: 10, 2.5 (never 1E+1 nor 10.000)."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).normalize(), "f")


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service error on the form: each named field gets its message, the rest is non-field."""
    fields = exc.extra.get("fields", {}) if isinstance(exc, InvalidInput) else {}
    placed = False
    for name, messages in fields.items():
        target = name if name in form.fields else ("customer" if name == "customer_id" else None)
        if target in form.fields:
            for message in messages:
                form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class BootstrapFormMixin:
    """Adds Bootstrap classes to every widget, so templates can render fields plainly."""

    fields: dict[str, forms.Field]  # the form's, once ``super().__init__`` ran

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"


class ServiceValidatedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A model form that leaves the model's rules to the service (STYLE.md: no rule in a form)."""

    def _post_clean(self) -> None:
        return None

    def service_fields(self) -> dict:
        """Cleaned values keyed as the services take them (a foreign key as ``<name>_id``)."""
        return service_values(self, [name for name in self.cleaned_data if name != "version"])


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
