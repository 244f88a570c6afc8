"""Issue 7 item 8: guesses at one account from 20 addresses. django-axes (username + address)
never fires; the per-account limit locks the account briefly after 10 failures in 15 minutes,
on the HTML log-in and the API token endpoint alike; the admin lifts it; each lock is logged
with the username and the address."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.core.errors import Forbidden
from salesops.org.models import LoginFailure
from salesops.org.services import login_lock_lift

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ADDRESSES = [f"198.51.100.{n}" for n in range(1, 21)]


@pytest.fixture(autouse=True)
def _clean_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


@pytest.fixture
def security_log(caplog):
    logger = logging.getLogger("salesops.security")  # propagate=False: attach the capture itself
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def api_login(client, username, password, address, **meta):
    return client.post(
        "/api/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **(meta or {"REMOTE_ADDR": address}),
    )


def through_proxy(address):
    """As a request arrives behind one trusted proxy: the proxy's address, the client's forwarded."""
    return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": address}


def html_login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("proxied", [False, True], ids=["REMOTE_ADDR", "X-Forwarded-For"])
def test_twenty_addresses_lock_the_account_on_the_api(client, staff, security_log, settings, proxied):
    # given clients connecting directly, or through one trusted proxy
    settings.TRUSTED_PROXY_COUNT = 1 if proxied else 0

    # when 20 addresses each guess sales_a's password once
    statuses = [
        api_login(client, "sales_a", "wrong guess!", a, **(through_proxy(a) if proxied else {})).status_code
        for a in ADDRESSES
    ]

    # then the 10th failure locks the account, and the rest are refused without a password check
    print(f"API, 20 addresses: {statuses.count(401)} x 401, then {statuses.count(429)} x 429")
    assert statuses == [401] * 9 + [429] * 11
    assert LoginFailure.objects.filter(username="sales_a").count() == 10
    # and even the right password, from yet another address, is refused while locked
    locked = api_login(client, "sales_a", PASSWORD, "203.0.113.7")
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    # and the lock is logged with the username and the address that tripped it
    assert any(
        "username=sales_a" in r.getMessage() and "address=198.51.100.10" in r.getMessage() for r in security_log.records
    )


def test_twenty_addresses_lock_the_account_on_the_html_login(client, staff):
    statuses = [html_login(client, "sales_b", "wrong guess!", address).status_code for address in ADDRESSES]

    response = html_login(client, "sales_b", PASSWORD, "203.0.113.8")

    assert statuses == [200] * 9 + [429] * 11
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_unknown_username_is_locked_the_same_way(client, staff):
    statuses = [api_login(client, "ghost", "x", address).status_code for address in ADDRESSES[:11]]
    assert statuses == [401] * 9 + [429] * 2


def test_the_lock_is_short(client, staff):
    # given 10 failures from 10 addresses, the newest 16 minutes ago
    old = timezone.now() - timedelta(minutes=16)
    LoginFailure.objects.bulk_create(
        [
            LoginFailure(username="sales_a", ip_address=a, at=old - timedelta(seconds=n))
            for n, a in enumerate(ADDRESSES[:10])
        ]
    )

    # then the user gets in: the lock lasted no longer than the window
    assert api_login(client, "sales_a", PASSWORD, "203.0.113.9").status_code == 200


def test_the_admin_lifts_the_lock(client, staff, web_client, security_log):
    # given sales_a locked from 10 addresses
    for address in ADDRESSES[:10]:
        api_login(client, "sales_a", "wrong guess!", address)
    assert api_login(client, "sales_a", PASSWORD, "203.0.113.10").status_code == 429

    # when the admin lifts it in the user list
    response = web_client(staff.admin).post(
        reverse("admin:org_user_changelist"), {"action": "lift_login_lock", "_selected_action": [staff.sales_a.pk]}
    )

    # then sales_a gets in at once
    assert response.status_code == 302
    assert api_login(client, "sales_a", PASSWORD, "203.0.113.10").status_code == 200
    assert any("lifted by admin" in r.getMessage() for r in security_log.records)


def test_a_colleague_cannot_lift_a_lock(staff):
    # given a locked account
    LoginFailure.objects.bulk_create([LoginFailure(username="sales_a", ip_address=a) for a in ADDRESSES[:10]])

    # when a salesperson tries to lift it
    with pytest.raises(Forbidden):
        login_lock_lift(username="sales_a", actor=staff.sales_b)

    # then nothing changed
    assert LoginFailure.objects.filter(username="sales_a").count() == 10


def test_the_per_address_lock_is_logged_with_username_and_address(client, staff, caplog):
    for _ in range(5):
        api_login(client, "sales_a", "wrong guess!", "192.0.2.55")

    lock_lines = [
        r.getMessage() for r in caplog.records if r.name.startswith("axes") and "Locking out" in r.getMessage()
    ]
    assert lock_lines and "sales_a" in lock_lines[0] and "192.0.2.55" in lock_lines[0]


def test_the_user_still_gets_in_from_an_address_they_used_before(client, staff):
    # given sales_a logged in from their desk earlier
    desk = "192.0.2.10"
    assert api_login(client, "sales_a", PASSWORD, desk).status_code == 200

    # when a colleague locks the account from 20 other addresses
    statuses = [api_login(client, "sales_a", "wrong guess!", address).status_code for address in ADDRESSES]

    # then strangers stay locked out, but sales_a gets in from the desk
    assert statuses[-1] == 429
    assert api_login(client, "sales_a", PASSWORD, "203.0.113.11").status_code == 429
    assert api_login(client, "sales_a", PASSWORD, desk).status_code == 200


def test_the_client_address_comes_from_the_trusted_proxy_only(settings):
    from django.test import RequestFactory

    from salesops.org.clientip import client_ip

    factory = RequestFactory()
    settings.TRUSTED_PROXY_COUNT = 1
    # the proxy appended the real client; what the client sent before it is ignored
    forged = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(forged) == "198.51.100.7"
    # not through the proxy (no header), or garbage: the peer's address
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")) == "10.0.0.1"
    # without a proxy the header is not trusted at all
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forged) == "10.0.0.1"


def test_failed_log_ins_older_than_a_day_are_forgotten(db):
    import datetime

    from django.utils import timezone

    from salesops.org.models import LoginFailure
    from salesops.org.tasks import forget_old_login_failures

    now = timezone.now()
    LoginFailure.objects.create(username="sales_a", ip_address="10.0.0.1", at=now - datetime.timedelta(days=2))
    recent = LoginFailure.objects.create(
        username="sales_a", ip_address="10.0.0.1", at=now - datetime.timedelta(hours=1)
    )

    assert forget_old_login_failures(now=now) == 1
    assert list(LoginFailure.objects.all()) == [recent]
