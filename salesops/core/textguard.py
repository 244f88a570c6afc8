"""Refuse control characters in any request's input, once, before a view runs (issue 7, items 2-3).

A NUL byte cannot be stored by PostgreSQL (the driver raises, the view answers 500), and other
control characters break the Excel export for everyone who later exports the row. Checking each
form, schema and filter would leave the next new field unchecked, so this middleware reads every
query parameter, form field, uploaded file name and JSON string (keys too) of every request and
answers 422 naming the first field holding one. Tab, carriage return and newline are ordinary
text; lone surrogates (``"\\ud800"`` in JSON) cannot be encoded for the database either.

The API gets the error in its ``{"message", "code", "extra"}`` shape; an HTML page gets the
refusal page. Nothing runs behind a refusal, so a refused request changes nothing.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# C0 controls except tab, LF and CR; DEL and the C1 controls; UTF-16 surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def printable(name: str) -> str:
    """A field name fit to show back: its control characters written as ``\\uXXXX``."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def json_strings(data: Any) -> Iterator[tuple[str, str]]:
    """Every (dotted path, text) in a decoded JSON document, keys included; iterative, so depth
    costs no recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path or "body", value
        elif isinstance(value, dict):
            for key, inner in value.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, str(key)
                stack.append((child, inner))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}" if path else str(index), inner) for index, inner in enumerate(value))


def tainted_field(request: HttpRequest) -> str | None:
    """The name of the first query parameter, form field, file name or JSON string holding a
    control character (``path`` for the path itself), or None when the request is clean."""
    if has_control(request.path_info):
        return "path"
    for key, values in request.GET.lists():
        if has_control(key) or any(has_control(v) for v in values):
            return printable(key)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        if request.method != "POST":
            return None  # Django parses form bodies of POSTs only; no route reads another's
        for key, values in request.POST.lists():
            if has_control(key) or any(has_control(v) for v in values):
                return printable(key)
        for key, files in request.FILES.lists():
            if has_control(key) or any(has_control(f.name or "") for f in files):
                return printable(key)
        return None
    return _json_field(request)


# What a JSON body must hold for a decoded string to carry a control character: an escape (``\u``),
# or a raw DEL or C1 character (strict JSON refuses raw C0 controls itself). A body without any is
# clean, and is not decoded twice (here and by the view).
MAYBE_CONTROL_IN_JSON = re.compile(rb"\\u|\x7f|\xc2[\x80-\x9f]")


def _json_field(request: HttpRequest) -> str | None:
    if not request.body or not MAYBE_CONTROL_IN_JSON.search(request.body):
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return None  # not JSON: the view refuses it in its own way (the API answers 400)
    for path, text in json_strings(data):
        if has_control(text):
            return printable(path)
    return None


def refusal(request: HttpRequest, field: str) -> HttpResponse:
    """422 naming ``field``: JSON in the API's error shape, else the refusal page."""
    message = _("The field “%(field)s” contains a control character, which is not allowed.") % {"field": field}
    if request.path.startswith(API_PREFIX):
        reason = _("Control characters (other than tab and line breaks) are not allowed.")
        body = {"message": message, "code": "invalid", "extra": {"fields": {field: [reason]}}}
        return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/refused.html", {"message": message, "field": field}, status=422)


class ControlCharacterMiddleware:
    """Answer 422 to a request carrying a control character in any field (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = tainted_field(request)
        if field is not None:
            return refusal(request, field)
        return self.get_response(request)
