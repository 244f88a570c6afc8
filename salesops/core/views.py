"""Project-wide views: home, health check, language switch, error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from .policy import AUTHENTICATED, PUBLIC, policy


@policy(AUTHENTICATED)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("workflow:my-tasks")


@policy(PUBLIC)
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "down" here
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@policy(PUBLIC)
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
