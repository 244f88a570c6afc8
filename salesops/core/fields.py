"""Field names between the interfaces and the services.

Forms and the admin name a model's fields (``region``); services take plain
values (``region_id``), so that the pages, the API, imports and the admin call
them alike. Each app names the fields a writer may set once, in its
``fields.py``; these helpers translate those names and refuse any other.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .errors import InvalidInput


def service_name(model: type[models.Model], name: str) -> str:
    """``name`` as a service takes it: a foreign key as ``<name>_id``."""
    return f"{name}_id" if model._meta.get_field(name).is_relation else name


def service_names(model: type[models.Model], names: Iterable[str]) -> frozenset[str]:
    return frozenset(service_name(model, name) for name in names)


def service_values(form: Any, names: Iterable[str]) -> dict[str, Any]:
    """A model form's cleaned values for ``names``, keyed as services take them (a foreign key as its id)."""
    model = form._meta.model
    values = {}
    for name in names:
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if model._meta.get_field(name).is_relation:
            value = value.pk if value is not None else None
        values[service_name(model, name)] = value
    return values


def optional_text_fields(model: type[models.Model], names: Iterable[str]) -> tuple[str, ...]:
    """Those of ``names`` that are free text a user may leave empty: Django stores them as "", never NULL,
    so an importer fills an empty cell with ""."""
    return tuple(
        name
        for name in names
        if isinstance(field := model._meta.get_field(name), models.CharField | models.TextField)
        and field.blank
        and not field.choices
    )


def check_field_names(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse, naming each one, a field a writer may not set (owner, version, state are the service's)."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here."), fields={name: [_("This field cannot be set.")] for name in unknown}
        )
