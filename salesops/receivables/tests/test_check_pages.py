"""The daily collection check pages (R11): the office and finance confirm the day on its page, a
difference holds it open, a bad input says which field, and only those who check open the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables.models import DailyCheck, DailyCheckState

from .helpers import Sale

pytestmark = pytest.mark.django_db


def test_the_office_and_finance_close_the_day_on_its_page(staff, web_client):
    sale = Sale(staff)
    sale.receipt("1200.00", allocate="none")
    today = timezone.localdate()
    url = reverse("receivables:daily-check", args=[today.isoformat()])
    page = web_client(staff.back_office).get(url).content.decode()
    assert page.count('data-testid="receipt-row"') == 1
    # a difference without its text is refused, naming the field; nothing recorded
    response = web_client(staff.back_office).post(url, {"step": "difference", "text": ""})
    assert response.status_code == 422 and "is-invalid" in response.content.decode()
    assert not DailyCheck.objects.filter(day=today, differences__isnull=False).exists()
    web_client(staff.back_office).post(url, {"step": "confirm"})
    web_client(staff.finance).post(url, {"step": "confirm"})
    assert DailyCheck.objects.get(day=today).state == DailyCheckState.CLOSED
    days = web_client(staff.finance).get(reverse("receivables:daily-checks")).content.decode()
    assert 'data-state="closed"' in days
    # finance reopens it with a reason
    web_client(staff.finance).post(url, {"step": "reopen", "reason": "漏记一笔"})
    assert DailyCheck.objects.get(day=today).state == DailyCheckState.OPEN


def test_only_those_who_check_the_money_open_the_pages(staff, web_client):
    url = reverse("receivables:daily-check", args=[timezone.localdate().isoformat()])
    for name in ("sales_a", "warehouse", "technical"):
        assert web_client(getattr(staff, name)).get(reverse("receivables:daily-checks")).status_code == 403
        assert web_client(getattr(staff, name)).post(url, {"step": "confirm"}).status_code == 403
    assert not DailyCheck.objects.exists()
    assert web_client(staff.boss).get(url).status_code == 200
