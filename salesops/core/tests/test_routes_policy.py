"""Default deny (RELIABILITY.md c1): every HTML route and every API operation declares a policy,
an anonymous caller is sent to log in (HTML) or gets 401 (API), and for every route without
parameters each role is let in exactly when the declared policy names it."""

import inspect

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from salesops.api import api
from salesops.core.policy import policy_of, route_is_covered
from salesops.org.roles import Role
from salesops.org.tests.factories import make_user


def walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback, namespaces


ALL_ROUTES = list(walk(get_resolver().url_patterns))
ROUTES = [(route, view) for route, view, _ in ALL_ROUTES]
HTML_ROUTES = [(route, view) for route, view in ROUTES if not route.startswith(("api/", "admin/"))]


def test_every_route_declares_a_policy():
    uncovered = [route for route, view, namespaces in ALL_ROUTES if not route_is_covered(view, namespaces)]
    assert uncovered == []
    assert len(HTML_ROUTES) >= 10


def test_every_api_operation_declares_a_policy_in_the_openapi_document():
    schema = api.get_openapi_schema()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert operations
    assert [(p, m) for p, m, op in operations if "x-policy" not in op] == []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                assert policy_of(operation.view_func) is not None, operation.view_func


def _concrete(route: str) -> str:
    import re

    return "/" + re.sub(r"<(?:int|str|slug):[a-z_]+>", "1", route).replace("^", "").replace("$", "")


PUBLIC_HTML = {"healthz", "accounts/login/", "accounts/logout/", "i18n/setlang/"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _ in HTML_ROUTES if r not in PUBLIC_HTML and "<path" not in r])
def test_anonymous_is_sent_to_log_in_on_every_html_route(client, route):
    response = client.get(_concrete(route))
    assert response.status_code in (302, 405), route
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_anonymous_gets_401_from_every_authenticated_api_operation(client):
    schema = api.get_openapi_schema()
    checked = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if op.get("x-policy") == "public":
                continue
            url = path.replace("{", "").replace("}", "")
            import re

            url = re.sub(r"/[a-z_]*id\b", "/1", url)
            response = client.generic(method.upper(), url, data="{}", content_type="application/json")
            assert response.status_code == 401, (method, path, response.status_code)
            checked += 1
    assert checked >= 5


ROLE_USERS = {
    Role.SALESPERSON: "sales_a",
    Role.SALES_MANAGER: "manager1",
    Role.BRANCH_MANAGER: "branch_mgr",
    Role.BACK_OFFICE: "back_office",
    Role.WAREHOUSE: "warehouse",
    Role.FINANCE: "finance",
    Role.TECHNICAL: "technical",
    Role.PURCHASING: "purchasing",
    Role.LEADERSHIP: "boss",
    Role.ADMIN: "admin",
}
GET_ROUTES = [
    (route, view) for route, view in HTML_ROUTES if "<" not in route and route not in PUBLIC_HTML and route != ""
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_each_role_is_let_in_exactly_where_the_policy_names_it(staff, web_client, role):
    user = getattr(staff, ROLE_USERS[role])
    client = web_client(user)
    wrong = []
    for route, view in GET_ROUTES:
        response = client.get(_concrete(route))
        if response.status_code == 405:
            continue
        allowed = policy_of(view).allows(user)
        if allowed != (response.status_code != 403):
            wrong.append((route, response.status_code, allowed))
    assert wrong == []


def _post_only(view) -> bool:
    """A route that only changes state: a view class with ``post`` and no ``get``, or a function
    view restricted to POST (``require_POST`` keeps its method list in its closure)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        takes_get = hasattr(view_class, "get") and "get" in view_class.http_method_names
        return hasattr(view_class, "post") and not takes_get
    while view is not None:
        methods = (
            inspect.getclosurevars(view).nonlocals.get("request_method_list") if inspect.isfunction(view) else None
        )
        if methods is not None:
            return "GET" not in methods
        view = getattr(view, "__wrapped__", None)
    return False


def _sample_path(route: str) -> str:
    import re

    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(str:)?\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


STATE_CHANGING = sorted(_sample_path(route) for route, view in HTML_ROUTES if _post_only(view))


def test_the_walk_finds_the_state_changing_routes():
    assert {"/tasks/step/1/decide/", "/accounts/logout/", "/doc/x/1/act/"} <= set(STATE_CHANGING)


@pytest.mark.django_db
@pytest.mark.parametrize("path", STATE_CHANGING)
def test_every_state_changing_route_refuses_get(web_client, staff, path):
    """ASVS 3.5.3: a GET never changes state; every route that changes state answers it 405, to a
    user whose roles the route's policy admits."""
    everyone = make_user("everyone", *Role.values, branch=staff.admin.branch)
    assert web_client(everyone).get(path).status_code == 405, path
