"""The REST routes of a document type, built from one declaration.

Every document type answers the same five operations, which differ only in names, schemas,
selectors and services; a type declares those and the kernel writes the routes::

    SPECIAL_FEE_API = DocumentApi(
        name="special_fee", path="/fees", id_name="fee_id", flow=SPECIAL_FEE_FLOW,
        get_for=selectors.special_fee_get_for, rows=selectors.special_fee_list,
        listing=lambda user: selectors.special_fee_listing(user=user), readers=READERS, writers=RAISERS,
        out=SpecialFeeOut, filters=SpecialFeeFilters, create_in=SpecialFeeIn, patch_in=SpecialFeePatch,
        create=services.special_fee_create, update=services.special_fee_update, doc_arg="fee",
    )
    SPECIAL_FEE_API.mount(router)

gives ``GET /fees`` (``special_fee_list``: one page of the type's ``Listing``, searched,
filtered and sorted as the list page is), ``POST /fees`` (``special_fee_create``, honouring
``Idempotency-Key``), ``GET /fees/{fee_id}`` (``special_fee_get``: 404 out of scope),
``PATCH /fees/{fee_id}`` (``special_fee_update``: only the fields sent; a stale ``version`` is a
409) and ``POST /fees/{fee_id}/{action}`` (``special_fee_transition``: the flow's plain actions,
taken through the registered service, so the API, the buttons and My tasks act alike).

A type with routes of its own (a form action such as ``/sign``) mounts with
``actions=False``, adds them, then calls ``mount_actions``: a literal path must come before
``{action}``. Those routes load the document with ``load(request, pk)``.
"""

import datetime
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ninja import Field, Query, Schema
from ninja.responses import Status
from pydantic import create_model
from pydantic.fields import FieldInfo

from salesops.core.api import ListQuery, Router, idempotent, listing_page, page_schema, versioned_changes
from salesops.core.policy import policy

from .flows import Flow
from .registry import act_on


class DocumentOut(Schema):
    """What every document answers: its number, state, owner, branch and version."""

    id: int
    number: str
    state: str
    state_label: str
    owner_id: int
    owner_name: str
    branch_id: int
    department_id: int | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return str(obj.owner)


class ActionIn(Schema):
    comment: str = Field("", max_length=4000, description="The reason, for a decline, rejection or void.")


def patch_schema(source: type[Schema], name: str) -> type[Schema]:
    """The PATCH schema of a create schema: the ``version`` read (a newer one on the server gives
    409) and each of ``source``'s fields, optional, checked as on create when sent."""
    fields: dict[str, Any] = {
        "version": (int, Field(..., ge=1, description="The version read; a newer one on the server gives 409."))
    }
    for field_name, info in source.model_fields.items():
        optional = FieldInfo.merge_field_infos(info, default=None, default_factory=None)
        annotation: Any = info.annotation  # pydantic types it as a TypeForm that may be None
        fields[field_name] = (annotation | None, optional)
    return create_model(name, __base__=Schema, __doc__=source.__doc__, **fields)


def _signature(func: Callable, **params: Any) -> Callable:
    """Give a generated operation the parameters ninja reads (``request`` first, then ``params``
    as ``name=annotation`` or ``name=(annotation, default)``)."""
    found = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for name, spec in params.items():
        annotation, default = spec if isinstance(spec, tuple) else (spec, inspect.Parameter.empty)
        found.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default))
    func.__signature__ = inspect.Signature(found)  # type: ignore[attr-defined]
    return func


# What an operation says of itself when the type has nothing to add.
DEFAULT_DOCS = {
    "transition": "Take a workflow action; the flow decides whether the caller may (403) and whether it is "
    "possible now (409).",
}


@dataclass
class DocumentApi:
    """One document type's list, create, get, update and action routes (see the module docstring)."""

    name: str  # the entity in operation ids: "special_fee" -> special_fee_list, special_fee_get...
    path: str  # "/fees"
    flow: Flow
    get_for: Callable[..., Any]  # <entity>_get_for(*, user, pk): NotFound outside the user's scope
    rows: Callable[..., Any]  # <entity>_list(*, user): the rows the user may see
    listing: Callable[[Any], Any]  # the caller -> the list's Listing (search, filters and sort keys)
    readers: tuple[str, ...]
    out: type[Schema]  # a row of the list
    detail: type[Schema] | None = None  # the document as get, create, update and actions answer it
    filters: type[Schema] = ListQuery
    writers: tuple[str, ...] = ()  # who may create and edit (the service checks scope and state)
    create_in: type[Schema] | None = None
    patch_in: type[Schema] | None = None  # default: ``patch_schema(create_in)``
    create: Callable[..., Any] | None = None  # <entity>_create(*, actor, **fields)
    update: Callable[..., Any] | None = None  # <entity>_update(*, actor, <doc_arg>, version, **fields)
    doc_arg: str = "doc"
    id_name: str = ""  # the path parameter; default "<name>_id"
    # Payload field -> converter from its JSON value to what the service takes (lines -> LineIn).
    inputs: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # Summaries over every matching row of the list: name -> (type, function of the rows).
    summaries: Mapping[str, tuple[Any, Callable[[Any], Any]]] = field(default_factory=dict)
    # Descriptions of the operations, by their suffix ("list", "create", "update", "transition").
    docs: Mapping[str, str] = field(default_factory=dict)

    @property
    def id_param(self) -> str:
        return self.id_name or f"{self.name}_id"

    @property
    def item_path(self) -> str:
        return f"{self.path}/{{int:{self.id_param}}}"

    def load(self, request: Any, pk: int) -> Any:
        """The document as the caller may see it (404 outside the caller's scope)."""
        return self.get_for(user=request.auth, pk=pk)

    def _fields(self, data: dict[str, Any]) -> dict[str, Any]:
        for name, convert in self.inputs.items():
            if name in data:
                data[name] = None if data[name] is None else convert(data[name])
        return data

    def _operation(self, suffix: str, func: Callable, roles: tuple[str, ...], **params: Any) -> Callable:
        func.__name__ = func.__qualname__ = f"{self.name}_{suffix}"
        func.__doc__ = self.docs.get(suffix, DEFAULT_DOCS.get(suffix, ""))
        return policy(*roles)(_signature(func, **params))

    def mount(self, router: Router, *, actions: bool = True) -> None:
        """Add the type's routes to ``router``; ``actions=False`` leaves the action route for later."""
        detail = self.detail or self.out
        extra = {name: annotation for name, (annotation, _fn) in self.summaries.items()}
        page = page_schema(self.out, f"{self.out.__name__.removesuffix('Out')}Page", **extra)
        summaries = {name: fn for name, (_annotation, fn) in self.summaries.items()}

        def list_(request: Any, filters: Any) -> Any:
            rows = self.rows(user=request.auth)
            return listing_page(self.listing(request.auth), rows, filters, **summaries)

        router.get(self.path or "/", response=page, operation_id=f"{self.name}_list")(
            self._operation("list", list_, self.readers, filters=Query[self.filters])  # type: ignore[misc,name-defined]
        )
        if self.create is not None and self.create_in is not None:
            create = self.create

            def create_(request: Any, payload: Any) -> Any:
                doc = create(actor=request.auth, **self._fields(payload.model_dump()))
                # a (status, body) answer: what core.api.idempotent stores and replays
                return Status(201, self.load(request, doc.pk))

            operation = self._operation("create", create_, self.writers, payload=self.create_in)
            router.post(self.path or "/", response={201: detail}, operation_id=f"{self.name}_create")(
                idempotent(detail)(operation)
            )

        def get_(request: Any, **kwargs: Any) -> Any:
            return self.load(request, kwargs[self.id_param])

        router.get(self.item_path, response=detail, operation_id=f"{self.name}_get")(
            self._operation("get", get_, self.readers, **{self.id_param: int})
        )
        patch_in = self.patch_in
        if patch_in is None and self.create_in is not None:
            patch_in = patch_schema(self.create_in, f"{self.create_in.__name__.removesuffix('In')}Patch")
        if self.update is not None and patch_in is not None:
            update = self.update

            def update_(request: Any, payload: Any, **kwargs: Any) -> Any:
                version, fields = versioned_changes(payload)
                doc = self.load(request, kwargs[self.id_param])
                doc = update(actor=request.auth, version=version, **{self.doc_arg: doc}, **self._fields(fields))
                return self.load(request, doc.pk)

            params = {self.id_param: int, "payload": patch_in}
            router.patch(self.item_path, response=detail, operation_id=f"{self.name}_update")(
                self._operation("update", update_, self.writers, **params)
            )
        if actions:
            self.mount_actions(router)

    def mount_actions(self, router: Router) -> None:
        """``POST <path>/{id}/{action}``: the flow's plain actions, through the registered service;
        the flow decides whether the caller may (403) and whether it is possible now (409)."""

        def transition_(request: Any, action: str, payload: Any = None, **kwargs: Any) -> Any:
            doc = self.load(request, kwargs[self.id_param])
            doc = act_on(doc, action, actor=request.auth, comment=payload.comment if payload else "")
            return self.load(request, doc.pk)

        params = {self.id_param: int, "action": self.flow.action_choices, "payload": (ActionIn | None, None)}
        router.post(
            f"{self.item_path}/{{action}}", response=self.detail or self.out, operation_id=f"{self.name}_transition"
        )(self._operation("transition", transition_, self.readers, **params))
