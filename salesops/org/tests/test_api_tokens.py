"""Issue 7 item 7: API tokens expire, end with a password change, record their last use, and
are listed and revoked by their user (and by the admin role for everyone), in the API and a page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesops.core.errors import NotFound
from salesops.org.models import ApiToken
from salesops.org.selectors import token_digest
from salesops.org.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def token_of(raw: str) -> ApiToken:
    return ApiToken.objects.get(digest=token_digest(raw))


def test_a_token_expires_after_the_configured_number_of_days(staff, settings):
    # given tokens issued under the default and under a shorter setting
    default_raw = api_token_issue(user=staff.sales_a)
    settings.API_TOKEN_DAYS = 7
    short_raw = api_token_issue(user=staff.sales_a)

    # then each expires when configured
    now = timezone.now()
    assert abs(token_of(default_raw).expires_at - (now + timedelta(days=30))) < timedelta(minutes=1)
    assert abs(token_of(short_raw).expires_at - (now + timedelta(days=7))) < timedelta(minutes=1)
    assert bearer(short_raw).get("/api/me").status_code == 200

    # when its time has passed, it is refused
    ApiToken.objects.filter(digest=token_digest(short_raw)).update(expires_at=now - timedelta(seconds=1))
    assert bearer(short_raw).get("/api/me").status_code == 401


def test_a_password_change_revokes_the_users_tokens(staff):
    # given a working token
    raw = api_token_issue(user=staff.sales_a)
    assert bearer(raw).get("/api/me").status_code == 200

    # when the password changes (any path: here the model, as the admin's form and changepassword do)
    staff.sales_a.set_password("another long passphrase 42")
    staff.sales_a.save()

    # then the token is refused and no longer listed
    assert bearer(raw).get("/api/me").status_code == 401
    fresh = api_token_issue(user=staff.sales_a)
    listed = bearer(fresh).get("/api/auth/tokens").json()
    assert [item["prefix"] for item in listed["items"]] == [fresh[:6]]


def test_a_password_change_in_the_admin_site_revokes_tokens(staff, web_client):
    raw = api_token_issue(user=staff.sales_b)
    url = reverse("admin:auth_user_password_change", args=[staff.sales_b.pk])
    response = web_client(staff.admin).post(
        url, {"password1": "a brand new passphrase 7", "password2": "a brand new passphrase 7"}
    )
    assert response.status_code == 302
    assert bearer(raw).get("/api/me").status_code == 401


def test_each_use_is_recorded(staff):
    raw = api_token_issue(user=staff.sales_a)
    assert token_of(raw).last_used_at is None

    bearer(raw).get("/api/me")

    used = token_of(raw).last_used_at
    assert used is not None and timezone.now() - used < timedelta(minutes=1)


def test_a_busy_client_records_its_use_once_a_minute(staff):
    raw = api_token_issue(user=staff.sales_a)
    client = bearer(raw)
    client.get("/api/me")
    first = token_of(raw).last_used_at

    client.get("/api/me")
    assert token_of(raw).last_used_at == first  # within the minute: no write

    ApiToken.objects.filter(digest=token_of(raw).digest).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/me")
    assert token_of(raw).last_used_at > first


def test_a_user_lists_and_revokes_their_own_tokens_in_the_api(staff):
    # given two tokens of sales_a and one of sales_b
    raw, spare = api_token_issue(user=staff.sales_a), api_token_issue(user=staff.sales_a)
    api_token_issue(user=staff.sales_b)

    # when sales_a lists them
    listed = bearer(raw).get("/api/auth/tokens").json()

    # then only their own, without the secret
    assert listed["count"] == 2
    assert {item["username"] for item in listed["items"]} == {"sales_a"}
    assert all("digest" not in item and "token" not in item for item in listed["items"])

    # when they revoke the spare one
    response = bearer(raw).delete(f"/api/auth/tokens/{token_of(spare).pk}")

    # then it is gone and refused; the other still works
    assert response.status_code == 204
    assert bearer(spare).get("/api/me").status_code == 401
    assert bearer(raw).get("/api/me").status_code == 200


def test_the_admin_lists_everyones_tokens_and_revokes_one(staff):
    victim = api_token_issue(user=staff.sales_b)
    admin = api_token_issue(user=staff.admin)

    listed = bearer(admin).get("/api/auth/tokens").json()
    response = bearer(admin).delete(f"/api/auth/tokens/{token_of(victim).pk}")

    assert {"sales_b", "admin"} <= {item["username"] for item in listed["items"]}
    assert response.status_code == 204
    assert bearer(victim).get("/api/me").status_code == 401


def test_a_non_admin_cannot_revoke_another_users_token(staff, web_client):
    # given sales_a's token
    victim = api_token_issue(user=staff.sales_a)
    victim_pk = token_of(victim).pk
    other = api_token_issue(user=staff.sales_b)

    # when sales_b tries through the API, the page and the service
    api = bearer(other).delete(f"/api/auth/tokens/{victim_pk}")
    page = web_client(staff.sales_b).post(reverse("org:api-token-revoke", args=[victim_pk]))
    with pytest.raises(NotFound):
        api_token_revoke(token=token_of(victim), actor=staff.sales_b)
    listed = bearer(other).get("/api/auth/tokens").json()

    # then all answer "no such token" and nothing changed
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert page.status_code == 404
    assert victim_pk not in {item["id"] for item in listed["items"]}
    assert ApiToken.objects.filter(pk=victim_pk).exists()
    assert bearer(victim).get("/api/me").status_code == 200


def test_the_token_page_lists_and_revokes(staff, web_client):
    # given a token of sales_a and one of sales_b
    raw = api_token_issue(user=staff.sales_a)
    others = api_token_issue(user=staff.sales_b)
    client = web_client(staff.sales_a)

    # when sales_a opens the page
    page = client.get(reverse("org:api-token-list"))

    # then they see their token only
    assert page.status_code == 200
    assert raw[:6] in page.content.decode() and others[:6] not in page.content.decode()

    # when they revoke it
    response = client.post(reverse("org:api-token-revoke", args=[token_of(raw).pk]))

    # then it is gone
    assert response.status_code == 302
    assert not ApiToken.objects.filter(digest=token_digest(raw)).exists()


def test_the_admin_sees_everyones_tokens_on_the_page(staff, web_client):
    others = api_token_issue(user=staff.sales_b)
    page = web_client(staff.admin).get(reverse("org:api-token-list"))
    assert others[:6] in page.content.decode()
