"""Shared fixtures: the staff of a small company (see ``build_staff``), one fixture per actor,
an API client, and the switch that lets Django empty the audit table between transactional tests.
"""

import os

import pytest

os.environ.setdefault("SALESOPS_TESTING", "1")


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def _set_audit_guard(enforced: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE salesops_audit_guard SET enforced = %s WHERE id = 1", [enforced])


@pytest.fixture(autouse=True)
def _audit_guard_for_flush(request):
    """Transactional tests end with a flush (DELETE on SQLite), which the audit trigger refuses;
    switch the guard off just for that flush and back on at the next such test's start."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    _set_audit_guard(1)
    yield
    _set_audit_guard(0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    from salesops.org.tests.factories import build_staff
    from salesops.workflow.registry import ensure_defaults

    # A transactional test before this one may have flushed the policies that migrations seed.
    ensure_defaults()
    return build_staff()


@pytest.fixture
def salesperson(staff):
    return staff.sales_a


@pytest.fixture
def other_salesperson(staff):
    return staff.sales_b


@pytest.fixture
def sales_manager(staff):
    return staff.manager1


@pytest.fixture
def leader(staff):
    return staff.boss


@pytest.fixture
def finance_user(staff):
    return staff.finance


@pytest.fixture
def admin_user(staff):
    return staff.admin


@pytest.fixture
def api_client():
    """A Django test client that sends a Bearer token for a given user: ``api_client(user).get(...)``."""
    from django.test import Client

    from salesops.org.services import api_token_issue

    def make(user):
        token = api_token_issue(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def web_client():
    """A Django test client logged in as a given user: ``web_client(user).get(...)``."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need row locks and real concurrency: skipped on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
