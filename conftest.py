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


_flush = {"pending": False}


def _audit_flush_bypass(execute, sql, params, many, context):
    """Let the flush that ends a transactional test empty the audit table, and nothing else.

    PostgreSQL: the flush's one TRUNCATE runs with ``session_replication_role = replica``, which
    skips triggers and which only a superuser may set (the test database's role; never the
    application's, see README). SQLite has no roles: its guard row is lowered around the flush's
    DELETE of the audit table only.
    """
    if not _flush["pending"]:
        return execute(sql, params, many, context)
    cursor = context["cursor"]
    statement = sql.lstrip().upper()
    if context["connection"].vendor == "postgresql" and statement.startswith("TRUNCATE"):
        off, on = "SET session_replication_role = replica", "SET session_replication_role = DEFAULT"
    elif statement.startswith('DELETE FROM "WORKFLOW_DOCUMENTEVENT"'):
        off, on = (f"UPDATE salesops_audit_guard SET enforced = {n} WHERE id = 1" for n in (0, 1))
    else:
        return execute(sql, params, many, context)
    cursor.execute(off)
    try:
        return execute(sql, params, many, context)
    finally:
        cursor.execute(on)


@pytest.fixture(autouse=True)
def _audit_guard_for_flush(request):
    """Transactional tests end with a flush (TRUNCATE, or DELETE on SQLite), which the audit
    trigger refuses: the bypass above is armed just for that flush."""
    _flush["pending"] = False
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    if _audit_flush_bypass not in connection.execute_wrappers:
        connection.execute_wrappers.append(_audit_flush_bypass)
    yield
    _flush["pending"] = True


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
    from django.utils import timezone

    from salesops.org.models import ApiToken
    from salesops.org.services import api_token_issue

    def make(user):
        token = api_token_issue(user=user)
        # A client in use: its token's use was just recorded, so the requests a test makes (and
        # counts the queries of) are not the one a minute that writes it again.
        ApiToken.objects.filter(user=user).update(last_used_at=timezone.now())
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


# --- browser tests (Playwright on Debian's Chromium; never a downloaded browser) ---------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture
def chromium(monkeypatch):
    """A headless Debian Chromium driven by Playwright; skipped when absent unless SALESOPS_REQUIRE_BROWSER=1."""
    import shutil
    from pathlib import Path

    missing = None
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing = f"{CHROMIUM} is not installed (Debian package 'chromium')"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        missing = missing or "the Python package 'playwright' is not installed"
    if missing:
        if os.environ.get("SALESOPS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test required (SALESOPS_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(f"browser test skipped: {missing}")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def log_in(browser, base_url: str, username: str):
    """A new browser context (its own cookies: a second person) logged in as ``username``."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(f"{base_url}/tasks/")
    return page
