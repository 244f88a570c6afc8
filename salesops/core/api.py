"""API plumbing shared by every app's ``api.py``.

``Router`` refuses, at import time, an operation without ``@policy``, and wraps
each operation so that the policy is checked on the authenticated user: the
default-deny rule is structural, not a convention.

Every list endpoint answers one page shape, ``{count, page, pages, page_size, items}``
(plus any summary over all pages, such as ``total_amount``), from the ``page`` and
``page_size`` of ``PageIn``: an operation returning rows takes ``@paginate(Pages)``, one
built on a ``Listing`` returns ``listing_page(...)`` with a ``page_schema(...)`` response.
Both page through ``page_of``, so the size the schema accepts is the size served.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

import ninja
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.constants import NOT_SET
from ninja.pagination import PaginationBase
from ninja.responses import Status
from ninja.schema import DjangoGetter
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .errors import InvalidInput
from .listing import Listing
from .models import IdempotencyRecord
from .policy import checks_policy, policy_of


class Problem(ninja.Schema):
    """Every error answer: ``message`` for people, ``code`` for programs, ``extra.fields`` naming bad fields."""

    message: str
    code: str
    extra: dict


# What any operation may answer besides its success (bad JSON, no auth, role, scope, state, input).
ERROR_RESPONSES = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


def _with_errors(response: Any) -> Any:
    """Declare the standard error answers next to the operation's own (OpenAPI tells the truth)."""
    if response is NOT_SET:
        # An operation answering a file (HttpResponse) declares no schema for its success.
        return {200: None, **ERROR_RESPONSES}
    if isinstance(response, dict):
        return {**ERROR_RESPONSES, **response}
    return {200: response, **ERROR_RESPONSES}


class Router(ninja.Router):
    def add_api_operation(self, path: str, methods: list[str], view_func: Callable, **kwargs: Any) -> None:
        declared = policy_of(view_func)
        if declared is None:
            raise ValueError(f"API operation {view_func.__qualname__} has no @policy")
        extra = dict(kwargs.pop("openapi_extra", None) or {})
        extra["x-policy"] = declared.describe()
        if "responses" in extra:  # an operation describing its own answers (a file) keeps the error ones
            problem = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            # Keyed by int like ninja's own: a "400" beside a 400 would be two keys of one name in
            # the JSON document, which Swagger UI refuses to read ("duplicated mapping key").
            extra["responses"] = {
                **{code: {"description": "Error", **problem} for code in ERROR_RESPONSES},
                **{int(code): answer for code, answer in extra["responses"].items()},
            }
        kwargs["response"] = _with_errors(kwargs.get("response", NOT_SET))
        super().add_api_operation(path, methods, checks_policy(view_func), openapi_extra=extra, **kwargs)


class PatchIn(ninja.Schema):
    """The body of a PATCH whose fields are all optional: only those sent change (``sent_fields``).

    A ninja schema also reads any value by its attributes, so ``[]`` or ``5`` passed as an empty
    patch (200, found by schemathesis); here the body must be a JSON object, or 422.
    """

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, data: Any) -> Any:
        body = data._obj if isinstance(data, DjangoGetter) else data  # ninja's own validator wraps it first
        if not isinstance(body, dict):
            raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
        return data


def sent_fields(payload: ninja.Schema) -> dict[str, Any]:
    """The fields a PATCH sent: only those change."""
    return payload.model_dump(exclude_unset=True)


def versioned_changes(payload: ninja.Schema) -> tuple[int, dict[str, Any]]:
    """A versioned PATCH: the version the client read (a newer one on the server gives 409) and the fields sent."""
    fields = sent_fields(payload)
    return fields.pop("version"), fields


def query_params(filters: ninja.Schema) -> dict[str, str]:
    """Typed filters as the query-string values ``Listing`` reads (bools as 1/0, enums as values)."""
    params = {}
    for name, value in filters.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            value = "1" if value else "0"
        params[name] = str(getattr(value, "value", value))
    return params


def listing_page(
    listing: Listing, queryset: QuerySet, filters: "ListQuery", **summaries: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of a list, searched, filtered and sorted as the list page does it, in the one page shape.

    Each of ``summaries`` (``total_amount=...``) is computed over every matching row, all pages.
    """
    params = query_params(filters)
    params.pop("page", None)
    params.pop("page_size", None)
    # The listing counts the matching rows once (its paginator caches the count): reused, not repeated.
    paginator = listing.apply(queryset, params)["page_obj"].paginator
    return page_of(paginator.object_list, filters, count=paginator.count, **summaries)


def idempotent(schema: Any) -> Callable:
    """Honour an ``Idempotency-Key`` header on a creating POST.

    The first answer is stored with the operation (method and path) and a hash of the body, in
    the same transaction as the document; a replay gets the same answer, a different body or
    another operation with the same key gets 422. Without the header the call runs as usual. ``schema`` renders
    the stored answer (the operation's response schema).
    """

    def decorate(view_func: Callable) -> Callable:
        return _idempotent(view_func, schema)

    return decorate


def _idempotent(view_func: Callable, schema: Any) -> Callable:
    import functools

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_func(request, *args, **kwargs)
        if len(key) > 200:
            raise InvalidInput(_("The Idempotency-Key is too long."), fields={"Idempotency-Key": ["≤ 200"]})
        if not key.isprintable():  # a NUL cannot be stored (PostgreSQL), a control character is no key
            raise InvalidInput(
                _("The Idempotency-Key may hold printable characters only."),
                fields={"Idempotency-Key": [_("Printable characters only.")]},
            )
        user = request.auth  # type: ignore[attr-defined]  # set by ninja's authentication
        body_hash = hashlib.sha256(request.body).hexdigest()
        operation = f"{request.method} {request.path}"[:255]

        def replay(record: IdempotencyRecord) -> HttpResponse:
            if record.operation != operation:
                raise InvalidInput(
                    _("This Idempotency-Key was used with another operation."),
                    fields={"Idempotency-Key": [_("Already used with another operation.")]},
                )
            if record.request_hash != body_hash:
                raise InvalidInput(
                    _("This Idempotency-Key was used with a different request."),
                    fields={"Idempotency-Key": [_("Already used with another body.")]},
                )
            return HttpResponse(record.response_body, status=record.status_code, content_type="application/json")

        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is not None:
            return replay(existing)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, operation=operation, request_hash=body_hash
                )
                result = view_func(request, *args, **kwargs)
                status, payload = _status_and_payload(result)
                body = _render(schema, payload)
                record.status_code = status
                record.response_body = body
                record.save(update_fields=["status_code", "response_body"])
        except IntegrityError:
            # A concurrent request with the same key committed first: answer as it did.
            return replay(IdempotencyRecord.objects.get(user=user, key=key))
        return HttpResponse(body, status=status, content_type="application/json")

    return wrapper


def _status_and_payload(result: Any) -> tuple[int, Any]:
    if isinstance(result, Status):
        return result.status_code, result.value
    if isinstance(result, tuple):
        return result
    return 200, result


def _render(schema: Any, payload: Any) -> str:
    if not isinstance(payload, dict):
        payload = schema.from_orm(payload).model_dump(mode="json")
    return json.dumps(payload, default=str, ensure_ascii=False)


# --- paging: one shape for every list endpoint ---------------------------------------------------

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
# A page beyond any real list is a 422, not an OFFSET the database cannot hold.
MAX_PAGE = 1_000_000


class PageIn(ninja.Schema):
    """Which page of a list to answer. The bounds are the ones served: ``page_size`` rows come back
    (fewer only on the last page); a size the schema refuses is a 422, never silently cut."""

    page: int = ninja.Field(
        1, ge=1, le=MAX_PAGE, description="The page to answer, from 1. Past the last page, `items` is empty."
    )
    page_size: int = ninja.Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); exactly this many are served.",
    )


class ListQuery(PageIn):
    """A list's search box, sort key and page, as the list page reads them from its query string."""

    q: str | None = ninja.Field(None, max_length=100, description="Search text.")
    sort: str | None = ninja.Field(None, pattern=r"^-?[a-z_]+$", description="A sort key; `-` first for descending.")


class PageOut(ninja.Schema):
    """One page of a list: the rows in ``items``, and where the page stands in the whole list."""

    count: int = ninja.Field(..., description="Rows matching the query, all pages.")
    page: int = ninja.Field(..., description="The page answered.")
    pages: int = ninja.Field(..., description="Pages at this page size (at least 1).")
    page_size: int = ninja.Field(..., description="Rows per page, as asked.")
    items: list[Any]


def page_of(
    rows: Any, paging: PageIn, *, count: int | None = None, **summaries: Callable[[Any], Any]
) -> dict[str, Any]:
    """Page ``rows`` (a queryset or a list) in the one shape every list endpoint answers.

    Two queries for a queryset, whatever its size: the count (skipped when ``count`` is known)
    and the page. Each of ``summaries`` is computed over all of ``rows``.
    """
    if count is None:
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    offset = (paging.page - 1) * paging.page_size
    items = list(rows[offset : offset + paging.page_size]) if offset < count else []
    return page_answer(items, paging, count=count, **{name: summarise(rows) for name, summarise in summaries.items()})


def page_answer(items: list[Any], paging: PageIn, *, count: int, **extra: Any) -> dict[str, Any]:
    """The one page shape around ``items``, the rows of ``paging``'s page already read (``extra``:
    a summary, or what a list answers beside its rows); past the last page, no rows."""
    pages = max(1, -(-count // paging.page_size))
    return {
        "count": count,
        "page": paging.page,
        "pages": pages,
        "page_size": paging.page_size,
        **extra,
        "items": items if paging.page <= pages else [],
    }


def page_schema(item: Any, name: str, **extra: Any) -> type[ninja.Schema]:
    """The response schema of one page of ``item`` rows, with ``extra`` summary fields (``total_amount=Decimal``)."""
    annotations = {**extra, "items": list[item]}
    return type(name, (PageOut,), {"__annotations__": annotations, "__doc__": PageOut.__doc__})


class Pages(PaginationBase):
    """``@paginate(Pages)``: an operation returning rows answers one page of them, as ``page_of`` does."""

    Input = PageIn  # type: ignore[assignment]  # ninja types these as its own placeholder classes
    Output = PageOut  # type: ignore[assignment]

    def paginate_queryset(self, queryset: Any, pagination: PageIn, request: HttpRequest, **params: Any) -> Any:
        return page_of(queryset, pagination)
