"""End to end in Chromium (issue 7, item 4): a manager exports a customer list longer than the
inline limit; the offer page starts a background job, whose page follows the worker (HTMX polling:
queued, then rows written, then done) and offers the file, which downloads as the workbook."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from openpyxl import load_workbook

from conftest import log_in
from salesops.core import services
from salesops.core.models import Job
from salesops.core.services import jobs
from salesops.core.tests.exportjobs import many_customers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_list_is_exported_in_the_background_then_downloaded(staff, live_server, chromium, settings, monkeypatch):
    from playwright.sync_api import expect

    artifacts = Path(django_settings.PROJECT_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url
    # given 5 customers of sales_a, an inline limit of 3, and a worker that has not started yet
    settings.EXPORT_INLINE_ROWS = 3
    many_customers(staff, 5)
    monkeypatch.setattr(jobs, "enqueue", lambda job_id, operation: None)

    # when manager1 exports the customer list
    page = log_in(chromium, base, "manager1")
    page.goto(f"{base}/customers/")
    page.click("[data-testid=export]")
    # then an offer page says the list is long, and starting the export leads to the job's page
    expect(page.locator("[data-testid=export-count]")).to_have_attribute("data-count", "5")
    page.click("[data-testid=export-start]")
    page.wait_for_url(f"{base}/jobs/exports/*/")
    panel = page.locator("[data-testid=export-job]")
    expect(panel).to_have_attribute("data-state", "queued")
    job = Job.objects.get()

    # the worker starts and reports 2 of 5 rows: the page shows it without a reload
    Job.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), rows_total=5)
    jobs.put_progress(job.pk, 2, 5)
    expect(panel).to_have_attribute("data-state", "running")
    expect(page.locator("[data-testid=export-progress]")).to_have_attribute("value", "2")
    page.screenshot(path=str(artifacts / "export-job-running.png"), full_page=True)

    # the worker runs the export to its end (the real task, from a fresh claim)
    Job.objects.filter(pk=job.pk).update(state="queued")
    services.export_job_run(job_id=job.pk)
    expect(panel).to_have_attribute("data-state", "done")
    page.screenshot(path=str(artifacts / "export-job-done.png"), full_page=True)

    # and the download is the workbook of the five customers
    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    download = info.value
    assert download.suggested_filename == "customers.xlsx"
    with open(download.path(), "rb") as handle:  # Playwright's copy has no .xlsx suffix
        sheet = load_workbook(handle).worksheets[0]
    assert sheet.max_row == 6
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == [f"BULK{n:06d}" for n in range(5)]
