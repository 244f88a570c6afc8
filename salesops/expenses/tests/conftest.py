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
    """``days_later(n)``: from now on, now (``timezone.now``) and so today (``timezone.localdate``,
    which reads it) are ``n`` days ahead of the real ones, for permits that end or are approved later."""
    from django.utils import timezone

    real_now = timezone.now

    def shift(days: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=days))

    return shift
