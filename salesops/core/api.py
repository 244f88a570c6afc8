"""API plumbing shared by every app's ``api.py``.

``Router`` refuses, at import time, an operation without ``@policy``, and wraps
each operation so that the policy is checked on the authenticated user: the
default-deny rule is structural, not a convention.
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
from ninja.pagination import PageNumberPagination
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth

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
            extra["responses"] = {
                **{str(code): {"description": "Error", **problem} for code in ERROR_RESPONSES},
                **extra["responses"],
            }
        kwargs["response"] = _with_errors(kwargs.get("response", NOT_SET))
        super().add_api_operation(path, methods, checks_policy(view_func), openapi_extra=extra, **kwargs)


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
    listing: Listing, queryset: QuerySet, filters: ninja.Schema, **summaries: Callable[[QuerySet], Any]
) -> dict[str, Any]:
    """One page of a list, searched, filtered, sorted and paged as the list page does it.

    Each of ``summaries`` (``total_amount=...``) is computed over every matching row, all pages.
    """
    page = listing.apply(queryset, query_params(filters))["page_obj"]
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": page.paginator.per_page,
        **{name: summarise(page.paginator.object_list) for name, summarise in summaries.items()},
        "items": list(page.object_list),
    }


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` against the stored SHA-256 digest of an ``ApiToken``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.utils import timezone

        from salesops.org.models import ApiToken
        from salesops.org.services import token_digest

        found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class ActiveSession(SessionAuth):
    """Browser session (with CSRF, as ninja's SessionAuth does) for active users only."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def idempotent(schema: Any) -> Callable:
    """Honour an ``Idempotency-Key`` header on a creating POST.

    The first answer is stored with a hash of the body, in the same transaction
    as the document; a replay gets the same answer, a different body with the
    same key gets 422. Without the header the call runs as usual. ``schema`` renders
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
        user = request.auth
        body_hash = hashlib.sha256(request.body).hexdigest()

        def replay(record: IdempotencyRecord) -> HttpResponse:
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
                record = IdempotencyRecord.objects.create(user=user, key=key, request_hash=body_hash)
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


class Pages(PageNumberPagination):
    """ninja's page-number paging with bounded numbers: a page beyond any real list is a 422,
    not an OFFSET the database cannot hold."""

    class Input(ninja.Schema):
        page: int = ninja.Field(1, ge=1, le=1_000_000)
        page_size: int | None = ninja.Field(None, ge=1, le=200)
