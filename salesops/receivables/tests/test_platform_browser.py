"""In Chromium: finance ticks approved requests, downloads the batch-issue workbook, then uploads
the invoice XML the platform gave back and sees it recorded."""

import os
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import log_in
from salesops.receivables.models import Invoice

from .helpers import Sale, invoice_number
from .platform_files import PUMP_CODE, VALVE_CODE, give_tax_codes, issued_xml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    """A screenshot where SALESOPS_SHOTS points (to look at the page), else none."""
    folder = os.environ.get("SALESOPS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_finance_exports_the_workbook_and_imports_the_issued_invoice(
    staff, chromium, live_server, monkeypatch, tmp_path
):
    from playwright.sync_api import expect

    sale = Sale(staff)
    give_tax_codes(monkeypatch, {sale.pump: PUMP_CODE, sale.valve: VALVE_CODE})
    request = sale.approved_invoice_request()
    page = log_in(chromium, live_server.url, staff.finance.username)

    page.goto(f"{live_server.url}/receivables/platform/export/")
    row = page.locator("[data-testid=request-row]")
    expect(row).to_have_count(1)
    page.check(f"input[name=request][value='{request.pk}']")
    _shot(page, "platform-export")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert book["1-发票基本信息"]["A4"].value == request.number

    number = invoice_number()
    xml = tmp_path / f"dzfp_{number}.xml"
    xml.write_bytes(issued_xml(request, number))
    page.goto(f"{live_server.url}/receivables/platform/import/")
    page.set_input_files("#id_files", str(xml))
    page.click("[data-testid=import]")
    expect(page.locator("[data-testid=outcome-row][data-status=recorded]")).to_have_count(1)
    _shot(page, "platform-import")
    assert Invoice.objects.get().invoice_number == number
