"""The REST API (django-ninja): ``/api/``, OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``.

Authentication is required by default (Bearer token or browser session);
every operation declares its ``@policy`` (see ``core.api.Router``).
"""

from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from salesops.catalog.api import router as catalog_router
from salesops.compliance.api import router as compliance_router
from salesops.core.api_jobs import router as jobs_router
from salesops.core.apidocs import VendoredSwagger
from salesops.core.errors import ApplicationError
from salesops.customers.api import router as customers_router
from salesops.deals.api import router as deals_router
from salesops.expenses.api import router as expenses_router
from salesops.fulfilment.api import router as fulfilment_router
from salesops.org.api import router as org_router
from salesops.org.auth import ActiveSession, BearerToken
from salesops.receivables.api import router as receivables_router
from salesops.workflow.api import router as workflow_router

api = NinjaAPI(
    title="salesops API",
    version="1",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
    docs=VendoredSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", org_router)
api.add_router("/", workflow_router)
api.add_router("/customers", customers_router)
api.add_router("/catalog", catalog_router)
api.add_router("/expenses", expenses_router)
api.add_router("/deals", deals_router)
api.add_router("/fulfilment", fulfilment_router)
api.add_router("/receivables", receivables_router)
api.add_router("/compliance", compliance_router)
api.add_router("/jobs", jobs_router)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = list(error.get("loc", []))
        if loc[:1] in (["form"], ["file"]):  # a multipart field is named as it was sent
            loc = loc[1:]
        location = [str(part) for part in loc if part not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(location) or "body", []).append(error.get("msg", ""))
    body = {"message": _("The input is not valid."), "code": "invalid", "extra": {"fields": fields}}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Errors ninja raises itself (e.g. a body that is not JSON: 400), in the same shape as ours."""
    message = _("The request body is not valid JSON.") if exc.status_code == 400 else exc.message
    body = {"message": message, "code": "bad_request" if exc.status_code == 400 else "error", "extra": {}}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc: MultiPartParserError):
    body = {"message": _("The uploaded form data could not be read."), "code": "bad_request", "extra": {}}
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    body = {"message": _("Authentication required."), "code": "unauthenticated", "extra": {}}
    return api.create_response(request, body, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    """``get_object_or_404`` and friends: the same shape as NotFound."""
    body = {"message": _("Not found."), "code": "not_found", "extra": {}}
    return api.create_response(request, body, status=404)
