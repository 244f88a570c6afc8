import datetime

import pytest


@pytest.fixture
def cust_a(staff):
    """A customer of sales_a."""
    from .factories import customer

    return customer(staff, staff.sales_a)


@pytest.fixture
def dealer_a(staff):
    """A dealer of sales_a."""
    from .factories import dealer

    return dealer(staff, staff.sales_a)


@pytest.fixture
def days_later(monkeypatch):
    """``days_later(n)``: from now on, today (``timezone.localdate``) and now (``timezone.now``) are
    ``n`` days ahead of the real ones, for permits that end or are approved later."""
    from django.utils import timezone

    real_now, real_localdate = timezone.now, timezone.localdate

    def shift(days: int) -> None:
        delta = datetime.timedelta(days=days)
        monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, tz=None: real_localdate() + delta if value is None else real_localdate(value, tz),
        )

    return shift
