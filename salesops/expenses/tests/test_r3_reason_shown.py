"""A request flagged under R3 because it was submitted after its planned date has no incurred date:
its page and its print say why it breaches R3, not "incurred on" with an empty date."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from salesops.expenses.tests.factories import submitted_expense

pytestmark = pytest.mark.django_db


def _past_due(staff):
    planned = timezone.localdate() - datetime.timedelta(days=3)
    doc = submitted_expense(staff.sales_a, "600.00", planned_on=planned)
    assert doc.incurred_before_approval and doc.incurred_on is None
    return doc, planned


def test_the_page_gives_the_reason_of_a_breach_by_a_past_planned_date(staff, web_client):
    doc, planned = _past_due(staff)
    html = web_client(staff.manager1).get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="r3-breach"' in html
    assert planned.isoformat() in html and doc.r3_breach_reason in html
    assert "was incurred on" not in html


def test_the_print_gives_the_reason_of_a_breach_by_a_past_planned_date(staff, web_client):
    doc, planned = _past_due(staff)
    url = reverse("workflow:document-print", args=["expenses.expenserequest", doc.pk])
    response = web_client(staff.sales_a).get(url)
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert planned.isoformat() in text and "R3" in text
    assert "已于" not in text  # the old sentence: "该费用已于 <no date> 发生"
