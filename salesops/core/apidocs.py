"""The API's interactive docs page (``/api/docs``), served from vendored Swagger UI.

django-ninja's own Swagger page loads its scripts from a CDN unless ``ninja`` is an installed app;
salesops runs on closed networks under a CSP of ``'self'`` (issue 7, item 6), so the page, its
scripts and its stylesheet all come from ``static/vendor/swagger-ui`` and ``static/js``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Swagger


class VendoredSwagger(Swagger):
    """Swagger UI from this site's static files; no request leaves for another host."""

    template = "api/docs.html"
    # Swagger UI otherwise sends the schema to validator.swagger.io for its badge.
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api}
        return render(request, self.template, context)
