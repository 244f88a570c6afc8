"""Default deny: every route declares who may use it.

``@policy(...)`` marks a view function, view class or API operation with the
roles allowed to call it (``PUBLIC`` for login pages, ``AUTHENTICATED`` for
any signed-in user). ``PolicyMiddleware`` refuses any HTML route that has no
policy; the API checks the same marker in its operation wrapper. The
object-level check (which rows) stays in each selector's ``visible_to``.
"""

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

security_log = logging.getLogger("salesops.security")

PUBLIC = "public"
AUTHENTICATED = "authenticated"


@dataclass(frozen=True)
class Policy:
    roles: frozenset[str]
    public: bool = False

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not (user and user.is_authenticated and user.is_active):
            return False
        if AUTHENTICATED in self.roles:
            return True
        return bool(user.has_role(*self.roles))

    def admits(self, roles: Iterable[str]) -> bool:
        """Whether a signed-in, active user holding ``roles`` may call (no query: the caller read them)."""
        return self.public or AUTHENTICATED in self.roles or not self.roles.isdisjoint(roles)

    def describe(self) -> str:
        return PUBLIC if self.public else ",".join(sorted(self.roles))


def policy(*roles: str) -> Callable:
    """Declare who may call a view or API operation. ``policy(PUBLIC)`` opens it to everyone."""
    if not roles:
        raise ValueError("policy() needs at least one role, AUTHENTICATED or PUBLIC")
    declared = Policy(roles=frozenset(r for r in roles if r != PUBLIC), public=PUBLIC in roles)

    def mark(target: Any) -> Any:
        target.policy = declared
        return target

    return mark


def policy_of(view_func: Any) -> Policy | None:
    found = getattr(view_func, "policy", None)
    if found is None:
        found = getattr(getattr(view_func, "view_class", None), "policy", None)
    if found is None:
        found = getattr(getattr(view_func, "cls", None), "policy", None)
    return found


def _is_admin_site_route(namespaces: Iterable[str]) -> bool:
    # The admin site has its own gate (SalesopsAdminSite.has_permission: the admin role only).
    return "admin" in namespaces


def _is_api_view(view_func: Any) -> bool:
    # django-ninja routes: each operation is checked by core.api.Router (auth + @policy);
    # the schema and docs pages are public.
    target = getattr(view_func, "func", view_func)  # ninja wraps its docs views in functools.partial
    return getattr(target, "__module__", "").startswith("ninja")


def route_is_covered(view_func: Any, namespaces: Iterable[str] = ()) -> bool:
    return policy_of(view_func) is not None or _is_admin_site_route(namespaces) or _is_api_view(view_func)


class PolicyMiddleware:
    """Refuse a request to any HTML view without a declared policy, or whose policy excludes the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, args: Iterable, kwargs: dict) -> Any:
        match = getattr(request, "resolver_match", None)
        if _is_admin_site_route(match.namespaces if match else ()) or _is_api_view(view_func):
            return None
        declared = policy_of(view_func)
        if declared is None:
            security_log.error("route without policy refused: %s", request.path)
            return HttpResponseForbidden(_forbidden_text())
        if declared.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        security_log.warning("denied %s %s to %s", request.method, request.path, request.user.get_username())
        return HttpResponseForbidden(_forbidden_text())


def _forbidden_text() -> str:
    from django.utils.translation import gettext

    return gettext("You do not have permission to open this page.")


def require(user: Any, *roles: str) -> None:
    """Service-level role check: raise Forbidden unless the user holds one of the roles."""
    from django.utils.translation import gettext

    from .errors import Forbidden

    if not (user and user.is_authenticated and user.is_active and user.has_role(*roles)):
        raise Forbidden(gettext("Your role may not do this."))


def checks_policy(func: Callable) -> Callable:
    """Wrap an API operation so that its declared @policy is enforced on ``request.auth``."""
    declared = policy_of(func)
    if declared is None:
        raise ValueError(f"{func.__qualname__} has no @policy")

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from django.utils.translation import gettext

        from .errors import Forbidden

        user = getattr(request, "auth", None) or request.user
        if not declared.allows(user):
            security_log.warning("api denied %s %s", request.method, request.path)
            raise Forbidden(gettext("Your role may not do this."))
        return func(request, *args, **kwargs)

    wrapper.policy = declared  # type: ignore[attr-defined]
    return wrapper
