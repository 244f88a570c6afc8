"""Request id, error pages and answers for errors raised outside views, and the company language."""

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ApplicationErrorMiddleware:
    """A service error escaping an HTML view becomes the matching page (404, 403, 409, 422),
    never a 500: out-of-scope objects answer 404 like missing ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import ApplicationError

        if not isinstance(exception, ApplicationError):
            return None
        template = {404: "errors/404.html", 403: "errors/403.html"}.get(exception.status, "errors/refused.html")
        return render(request, template, {"message": exception.message}, status=exception.status)


class CompanyLanguageMiddleware:
    """The UI speaks Simplified Chinese unless the user chose another language (the switch
    sets the language cookie). The browser's Accept-Language is deliberately not consulted:
    staff on an English-language browser still get the company's language first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiErrorShapeMiddleware:
    """``/api/...`` answers 404 and 405 in the API's error shape, never as an HTML page: an
    unknown path or method comes from Django's resolver or ninja's path view, before any of the
    API's exception handlers run (issue 7, item 6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._shaped(response)
        return response

    @staticmethod
    def _shaped(response: HttpResponse) -> HttpResponse:
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        if response.status_code == 404:
            body = {"message": _("Not found."), "code": "not_found", "extra": {}}
        else:
            body = {"message": _("This method is not allowed here."), "code": "method_not_allowed", "extra": {}}
        shaped = JsonResponse(body, status=response.status_code, json_dumps_params={"ensure_ascii": False})
        if "Allow" in response:
            shaped["Allow"] = response["Allow"]
        return shaped
