"""Security baseline (RELIABILITY.md c): lockout, same reply for unknown users, CSP and headers,
production settings, start-up errors in one sentence, sessions ended on role change, uploads."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesops.workflow.models import Attachment

PROJECT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


# --- lockout (T10) ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_html_login_locks_after_five_failures_even_with_the_right_password(client, staff):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "sales_a", "password": "wrong password!"})
        assert response.status_code in (200, 429)
    response = client.post("/accounts/login/", {"username": "sales_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_api_token_locks_after_five_failures(client, staff):
    for _ in range(5):
        client.post("/api/auth/token", {"username": "sales_a", "password": "nope"}, content_type="application/json")
    response = client.post(
        "/api/auth/token", {"username": "sales_a", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked"


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_reply(client, staff):
    unknown = client.post("/api/auth/token", {"username": "ghost", "password": "x"}, content_type="application/json")
    wrong = client.post("/api/auth/token", {"username": "sales_a", "password": "x"}, content_type="application/json")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    html_unknown = client.post("/accounts/login/", {"username": "ghost", "password": "x"})
    html_wrong = client.post("/accounts/login/", {"username": "sales_b", "password": "x"})
    assert html_unknown.context["form"].non_field_errors() == html_wrong.context["form"].non_field_errors()


@pytest.mark.django_db
def test_token_works_as_bearer_and_a_bad_token_does_not(client, staff):
    response = client.post(
        "/api/auth/token", {"username": "sales_a", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["username"] == "sales_a"
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


# --- headers and pages (T12) -------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_no_inline_script(web_client, staff):
    response = web_client(staff.sales_a).get("/tasks/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_the_first_state_changing_routes_refuse_get(web_client, staff):
    client = web_client(staff.sales_a)
    for url in ["/doc/expenses.expenserequest/1/act/", "/tasks/step/1/decide/", "/accounts/logout/"]:
        assert client.get(url).status_code == 405, url


def _run(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SALESOPS_TESTING", "SALESOPS_DEMO", "DEBUG"}}
    base.update(env)
    return subprocess.run(args, cwd=PROJECT, env=base, capture_output=True, text=True, timeout=120)


PROD = {
    "SECRET_KEY": "k" * 20 + "-production-secret-" + "9f8e7d6c5b4a" * 4,
    "ALLOWED_HOSTS": "sales.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://sales.example.com",
    "DATABASE_URL": "sqlite:////tmp/salesops-deploy-check.sqlite3",
    "SALESOPS_DATA_DIR": "/tmp/salesops-deploy-check",
}


def test_production_settings_pass_the_deploy_check():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PROD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_static_files_collect_with_the_manifest_storage(tmp_path):
    result = _run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], STATIC_ROOT=str(tmp_path), **PROD
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_production_cookies_are_secure_and_host_prefixed():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.PASSWORD_HASHERS[0].rsplit('.',1)[1])"
    )
    result = _run([sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="salesops.settings", **PROD)
    assert result.stdout.split() == [
        "False",
        "True",
        "__Host-sessionid",
        "True",
        "True",
        "Lax",
        "Argon2PasswordHasher",
    ], result.stderr


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"DATABASE_URL": "oracle-ish://nowhere"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, "cannot reach the database"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_sentence(env, sentence):
    result = _run([sys.executable, "-m", "salesops.cli", "serve", "--check-config"], **{**PROD, **env})
    assert result.returncode == 2
    assert sentence in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- sessions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_roles_or_disabling_ends_the_users_sessions(web_client, staff):
    from salesops.org.services import user_disable, user_set_roles

    client = web_client(staff.sales_a)
    assert client.get("/tasks/").status_code == 200
    user_set_roles(user=staff.sales_a, roles=["salesperson", "finance"], actor=staff.admin)
    assert client.get("/tasks/").status_code == 302
    second = web_client(staff.sales_b)
    user_disable(user=staff.sales_b, actor=staff.admin)
    assert second.get("/tasks/").status_code == 302


# --- uploads (T13) -----------------------------------------------------------------------------


def _zip_bytes(inflated: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * inflated)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024)),  # over the 10 MB cap
        ("scan.pdf", b"MZ\x90\x00 this is an executable"),  # wrong magic bytes
        ("table.xlsx", _zip_bytes(70 * 1024 * 1024)),  # inflates past the cap (zip bomb)
        ("run.exe", b"MZ\x90\x00"),  # type not on the allow-list
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(web_client, staff, name, content):
    from salesops.workflow.tests.factories import expense

    doc = expense(staff.sales_a)
    from django.contrib.messages import get_messages

    response = web_client(staff.sales_a).post(
        f"/doc/expenses.expenserequest/{doc.pk}/attach/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


@pytest.mark.django_db
def test_upload_name_is_never_used_as_a_path(web_client, staff, settings):
    from salesops.workflow.tests.factories import expense

    doc = expense(staff.sales_a)
    upload = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4 tiny")
    web_client(staff.sales_a).post(f"/doc/expenses.expenserequest/{doc.pk}/attach/", {"file": upload})
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert attachment.original_name == "passwd.pdf"
    # only people who see the document may download it
    assert web_client(staff.sales_b).get(f"/files/{attachment.pk}/").status_code == 404
    assert web_client(staff.sales_a).get(f"/files/{attachment.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_session_older_than_twelve_hours_is_ended(web_client, staff):
    import time

    from salesops.org.middleware import SESSION_STARTED

    client = web_client(staff.sales_a)
    assert client.get("/tasks/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 12 * 3600 - 60
    session.save()
    assert client.get("/tasks/").status_code == 302
