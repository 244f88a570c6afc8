"""Field visibility per role: a role sees only the fields its step needs.

An app declares, once per model, which of its fields are restricted and which
roles may see each (``FieldRule``); its ``AppConfig.ready`` registers the
declaration. Every door that shows a row asks the same function,
``visible_fields(model, user)``: the API's output schema (``VisibleFieldsSchema``
drops the others from the JSON), the pages (the template shows a column or value
only when its name is in the set) and the exports (the spreadsheet has only those
columns). Sorting by a hidden field is refused too, since the order would reveal it.

Restriction is an allow-list: a field named in a rule is hidden from every role
not listed, so a role added later sees nothing restricted until it is named.
A user holding several roles sees what any of them may see. Without a known
user (a render with no request), restricted fields are hidden.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Model
from ninja import Schema
from pydantic import SerializationInfo, SerializerFunctionWrapHandler, model_serializer


@dataclass(frozen=True)
class FieldRule:
    """The restricted fields of one model: ``{field name: roles that may see it}``."""

    restricted: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, **restricted: Iterable[str]) -> "FieldRule":
        return cls({name: frozenset(roles) for name, roles in restricted.items()})


_rules: dict[type[Model], FieldRule] = {}


def register(model: type[Model], rule: FieldRule) -> None:
    """Declare the restricted fields of ``model`` (from the owning app's ``AppConfig.ready``)."""
    names = {f.name for f in model._meta.get_fields()}
    unknown = sorted(set(rule.restricted) - names)
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {', '.join(unknown)}")
    _rules[model] = rule


def rule_of(model: type[Model]) -> FieldRule:
    return _rules.get(model, FieldRule({}))


def _roles_of(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return frozenset(user.roles)


def hidden_fields(model: type[Model], user: Any) -> frozenset[str]:
    """The restricted fields of ``model`` that none of ``user``'s roles may see."""
    restricted = rule_of(model).restricted
    if not restricted:
        return frozenset()
    # user.roles is a query; a request asks for the same user's fields many times (every row).
    cache: dict[type[Model], frozenset[str]] | None = getattr(user, "_hidden_fields_cache", None)
    if cache is not None and model in cache:
        return cache[model]
    roles = _roles_of(user)
    hidden = frozenset(name for name, allowed in restricted.items() if not roles & allowed)
    if user is not None and getattr(user, "pk", None):
        if cache is None:
            cache = {}
            user._hidden_fields_cache = cache
        cache[model] = hidden
    return hidden


def visible_fields(model: type[Model], user: Any) -> frozenset[str]:
    """The names of ``model``'s fields ``user`` may see (every concrete field but the hidden ones)."""
    names = {f.name for f in model._meta.concrete_fields}
    return frozenset(names - hidden_fields(model, user))


def can_see(model: type[Model], user: Any, field: str) -> bool:
    return field not in hidden_fields(model, user)


class VisibleFieldsSchema(Schema):
    """An output schema of ``visibility_model`` rows that leaves out the fields the caller may not see.

    The caller is the request's user (ninja puts the request in the serialisation context);
    declare restricted fields with a default (``Decimal | None = None``) since they may be absent.
    """

    visibility_model: ClassVar[type[Model]]

    @model_serializer(mode="wrap")
    def _without_hidden_fields(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo):
        # No return annotation: the JSON schema stays the model's own (an annotation would replace it).
        data = handler(self)
        request = (info.context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        for name in hidden_fields(self.visibility_model, user):
            data.pop(name, None)
        return data
