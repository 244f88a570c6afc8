"""No input is a server error (issue 7, items 2-3): a NUL byte or another control character in any
query parameter, form field or JSON string answers 422 naming the field, on SQLite and PostgreSQL.

The routes are found by walking the OpenAPI document and the URL resolver, as the policy tests do,
so a route added later is covered without a case here.
"""

import json
import re

import pytest
from django.apps import apps
from django.test import Client

from salesops.api import api
from salesops.core.policy import policy_of
from salesops.core.tests.test_routes_policy import GET_ROUTES, HTML_ROUTES, PUBLIC_HTML, ROLE_USERS, _concrete
from salesops.org.services import api_token_issue

pytestmark = pytest.mark.django_db

BAD = ["a\x00b", "a\x01b"]
SCHEMA = api.get_openapi_schema()
OPERATIONS = [(path, method, op) for path, item in SCHEMA["paths"].items() for method, op in item.items()]
PATH_VALUES = {"action": "submit", "period": "202612", "label": "deals.inquiry"}


def _url(path: str) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: PATH_VALUES.get(m.group(1), "1"), path)


def _is_text(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" and "format" not in o and "enum" not in o for o in options)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _sample(schema: dict) -> object:
    """A plausible value for ``schema``: the walk should reach the database, not stop at validation."""
    schema = _resolve(schema)
    schema = _resolve(next((o for o in schema.get("anyOf", []) if o.get("type") != "null"), schema))
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {name: _sample(inner) for name, inner in schema.get("properties", {}).items()}
    if kind == "array":
        return [_sample(schema.get("items", {}))]
    if kind == "integer":
        return 1
    if kind == "number":
        return "1.00"
    if kind == "boolean":
        return False
    return {"date": "2026-12-01", "date-time": "2026-12-01T09:00:00+08:00"}.get(schema.get("format", ""), "x")


def _json_cases():
    """(method, url, body, field) for every text property of every JSON body, each bad payload."""
    for path, method, op in OPERATIONS:
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = _resolve(content["application/json"]["schema"])
        body = _sample(schema)
        for name, prop in schema.get("properties", {}).items():
            if _is_text(_resolve(prop)):
                for bad in BAD:
                    yield op, method, _url(path), {**body, name: bad}, name


def _query_cases():
    for path, method, op in OPERATIONS:
        if method != "get":
            continue
        for param in op.get("parameters", []):
            if param["in"] == "query" and _is_text(param.get("schema", {})):
                for bad in BAD:
                    yield op, _url(path), param["name"], bad


def _api_client(staff, policy: str) -> Client:
    """A client of a user the operation's policy lets in, so the request gets past the role check."""
    roles = set(policy.split(","))
    users = [getattr(staff, name) for name in ROLE_USERS.values()]
    user = next((u for u in users if "authenticated" in roles or u.has_role(*roles)), staff.admin)
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}", raise_request_exception=False)


def _rows() -> dict[str, int]:
    """Rows of every project table: a refused request changes none."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("salesops.") and not model._meta.proxy
    }


def _refused(response, field: str) -> bool:
    return response.status_code == 422 and field in response.json()["extra"]["fields"]


def test_every_api_query_parameter_with_a_control_character_is_a_422_naming_it(staff):
    # given every text query parameter of every list or report, and a caller let in by its policy
    cases = list(_query_cases())
    clients = {op["x-policy"]: _api_client(staff, op["x-policy"]) for op, *_rest in cases}
    # when each carries a NUL or U+0001
    wrong = []
    for op, url, name, bad in cases:
        client = clients[op["x-policy"]]
        response = client.get(url, {name: bad})
        if not _refused(response, name):
            wrong.append((url, name, repr(bad), response.status_code))
    # then each answers 422 naming the parameter, none a server error
    assert len(cases) >= 20
    assert wrong == []


def test_every_api_json_text_field_with_a_control_character_is_a_422_naming_it(staff):
    # given every text field of every JSON body, in an otherwise plausible body
    cases = list(_json_cases())
    clients = {op["x-policy"]: _api_client(staff, op["x-policy"]) for op, *_rest in cases}
    before = _rows()
    # when each carries a NUL or U+0001
    wrong = []
    for op, method, url, body, name in cases:
        client = clients[op["x-policy"]]
        response = client.generic(method.upper(), url, json.dumps(body), content_type="application/json")
        if not _refused(response, name):
            wrong.append((method, url, name, response.status_code))
    # then each answers 422 naming the field, and nothing was written
    assert len(cases) >= 40
    assert wrong == []
    assert _rows() == before


def test_a_nested_json_string_is_named_by_its_path(staff, api_client):
    # given a body whose control character sits in a line of a list
    body = {"customer_id": 1, "lines": [{"note": "ok"}, {"note": "bad\x07"}]}
    # when posted
    response = api_client(staff.sales_a).post("/api/deals/inquiries", body, content_type="application/json")
    # then the field is named by its path
    assert response.status_code == 422
    assert list(response.json()["extra"]["fields"]) == ["lines.1.note"]


def test_tab_and_line_breaks_are_ordinary_text(staff, api_client):
    # given a search with a tab, CR and LF
    response = api_client(staff.sales_a).get("/api/customers/", {"q": "潍坊\t\r\n"})
    # then it is served
    assert response.status_code == 200


@pytest.mark.parametrize("bad", BAD)
def test_the_token_endpoint_refuses_a_control_character_in_the_username(bad):
    # given no session at all
    client = Client(raise_request_exception=False)
    # when the username holds a NUL or U+0001
    body = json.dumps({"username": bad, "password": "whatever-long-enough"})
    response = client.post("/api/auth/token", body, content_type="application/json")
    # then 422 naming the field
    assert _refused(response, "username")


def _html_user(staff, view):
    users = [getattr(staff, name) for name in ROLE_USERS.values()]
    return next((u for u in users if policy_of(view).allows(u)), staff.admin)


def test_every_html_list_and_page_refuses_a_control_character_in_its_query_string(staff):
    # given every HTML route without parameters, opened by a user its policy lets in
    wrong = []
    for route, view in GET_ROUTES:
        client = Client(raise_request_exception=False)
        client.force_login(_html_user(staff, view))
        for bad in BAD:
            # when the search box (and a filter) carry the character
            response = client.get(_concrete(route), {"q": bad, "state": bad})
            # then 422, never a server error
            if response.status_code != 422 or "“q”" not in response.content.decode():
                wrong.append((route, repr(bad), response.status_code))
    assert len(GET_ROUTES) >= 10
    assert wrong == []


def test_every_html_form_post_refuses_a_control_character(staff):
    # given every HTML route, posted to by a user its policy lets in
    routes = [(r, v) for r, v in HTML_ROUTES if r not in PUBLIC_HTML and "<path" not in r]
    clients = []
    for _route, view in routes:
        client = Client(raise_request_exception=False)
        client.force_login(_html_user(staff, view))
        clients.append(client)
    before = _rows()
    wrong = []
    for (route, _view), client in zip(routes, clients, strict=True):
        for bad in BAD:
            # when a form field carries the character
            response = client.post(_concrete(route), {"name": bad, "comment": "ok"})
            # then 422 naming the field
            if response.status_code != 422 or "“name”" not in response.content.decode():
                wrong.append((route, repr(bad), response.status_code))
    assert wrong == []
    assert _rows() == before


def test_a_clean_json_body_is_not_decoded_by_the_guard(monkeypatch):
    from django.test import RequestFactory

    from salesops.core import textguard

    def refuse(*args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(textguard.json, "loads", refuse)
    clean = RequestFactory().post("/api/x", data='{"name": "济南农机", "n": [1, 2]}', content_type="application/json")
    assert textguard.tainted_field(clean) is None

    monkeypatch.undo()
    for body in ('{"name": "a\\u0001"}', '{"name": "a\x7f"}', '{"name": "a\x85"}'):
        tainted = RequestFactory().post("/api/x", data=body.encode(), content_type="application/json")
        assert textguard.tainted_field(tainted) == "name", body
