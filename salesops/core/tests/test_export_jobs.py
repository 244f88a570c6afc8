"""Exports of large lists as background jobs (issue 7, item 4): past ``EXPORT_INLINE_ROWS`` rows an
export is offered as a job (a GET changes nothing), the job runs as its requester through the same
selectors and filters and writes the same workbook, the page polls its progress and then offers the
file to the requester alone, the file lives under the data directory and expires, a failed or
killed export says so, and the job's queries do not grow with its rows."""

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from salesops.catalog.tests.factories import ProductFactory
from salesops.core import services
from salesops.core.errors import Forbidden
from salesops.core.models import Job
from salesops.core.selectors import stopped_message
from salesops.core.services import exports, jobs
from salesops.core.tasks import run_export_job, sweep_jobs
from salesops.core.tests.exportjobs import cells, inline_export, job_export, many_customers
from salesops.customers.tests.factories import CustomerFactory
from salesops.deals.tests.contract_factories import Deal
from salesops.expenses.tests.factories import expense

pytestmark = pytest.mark.django_db


def customer_job(user, query=None) -> Job:
    """An export of the customer list queued by ``user``; its on-commit task never runs here."""
    return services.export_job_start(actor=user, kind="customers", params={"query": query or {}})


def run(job: Job) -> Job:
    run_export_job(job.pk)
    job.refresh_from_db()
    return job


def exported_codes(job: Job) -> list[str]:
    _title, rows = cells(Path(job.file.path).read_bytes())
    return [row[0][0] for row in rows[1:]]


# The offer and the job


def test_a_short_list_is_exported_at_once_and_queues_nothing(staff, web_client, settings):
    CustomerFactory.create_batch(3, owner=staff.sales_a, region=staff.region)
    settings.EXPORT_INLINE_ROWS = 3
    response = web_client(staff.manager1).get("/customers/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_a_long_list_is_offered_as_a_background_export_and_the_get_changes_nothing(staff, web_client, settings):
    # given 4 customers and a threshold of 3
    CustomerFactory.create_batch(4, owner=staff.sales_a, region=staff.region)
    settings.EXPORT_INLINE_ROWS = 3
    # when manager1 clicks Export
    response = web_client(staff.manager1).get("/customers/export.xlsx", {"kind": "end_user"})
    # then the answer is a page offering the background export (a form posting to the same address)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'data-testid="export-count" data-count="4"' in body and 'data-testid="export-start"' in body
    assert '<form method="post">' in body
    assert not Job.objects.exists()


def test_the_post_queues_a_job_of_the_same_filters_and_answers_with_its_page(staff, web_client, settings):
    settings.EXPORT_INLINE_ROWS = 0
    CustomerFactory.create_batch(2, owner=staff.sales_a, region=staff.region)
    client = web_client(staff.manager1)
    response = client.post("/customers/export.xlsx?kind=end_user&sort=-name")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/exports/{job.pk}/"
    assert (job.operation, job.kind, job.state, job.user) == ("export", "customers", "queued", staff.manager1)
    assert job.params == {"query": {"kind": "end_user", "sort": "-name"}} and job.rows_total == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="export-job" data-state="queued"' in page
    assert f'hx-get="/jobs/exports/{job.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page


def test_a_double_click_queues_one_job(staff, web_client, settings):
    settings.EXPORT_INLINE_ROWS = 0
    client = web_client(staff.manager1)
    first = client.post("/customers/export.xlsx?kind=dealer")
    second = client.post("/customers/export.xlsx?kind=dealer")
    assert first["Location"] == second["Location"] and Job.objects.count() == 1
    client.post("/customers/export.xlsx?kind=end_user")  # another list is another job
    assert Job.objects.count() == 2


def test_the_job_runs_on_commit_and_its_page_offers_the_file(
    staff, web_client, settings, django_capture_on_commit_callbacks
):
    CustomerFactory.create_batch(3, owner=staff.sales_a, region=staff.region)
    job, content = job_export(
        web_client(staff.manager1), "/customers/export.xlsx", settings, django_capture_on_commit_callbacks
    )
    assert (job.rows_done, job.rows_total) == (3, 3) and job.started_at and job.finished_at
    with translation.override(job.language):
        assert job.message == gettext("%(count)d rows exported.") % {"count": 3}
    partial = web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/progress/").content.decode()
    assert 'data-testid="export-summary"' in partial and "hx-trigger" not in partial
    assert f'href="/jobs/exports/{job.pk}/download/" data-testid="export-download"' in partial
    assert len(cells(content)[1]) == 4  # the header and three customers


def test_the_progress_partial_shows_rows_written_while_running(staff, web_client):
    job = customer_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), rows_total=3000)
    jobs.put_progress(job.pk, 1500, 3000)
    partial = web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/progress/").content.decode()
    assert 'data-state="running"' in partial and 'value="1500" max="3000"' in partial
    assert 'hx-trigger="every 1s"' in partial and "export-download" not in partial


def test_the_file_is_stored_under_the_data_directory_with_a_generated_name(staff, settings):
    CustomerFactory.create_batch(2, owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    path = Path(job.file.path)
    assert job.file.name.startswith("exports/") and path.parent == Path(settings.MEDIA_ROOT) / "exports"
    assert path.is_file() and path.name != "customers.xlsx"


# The same workbook, inline or as a job


def _customers(staff):
    for n in range(4):
        CustomerFactory(
            owner=[staff.sales_a, staff.sales_b][n % 2],
            region=staff.region,
            kind=["dealer", "end_user"][n % 2],
            name=f"=客户{n}",  # a formula-looking name stays text in both
        )
    return staff.manager1, "/customers/export.xlsx?kind=dealer&sort=-name"


def _products(staff):
    ProductFactory.create_batch(3)
    ProductFactory(name="专用泵", code="PX-1")
    return staff.sales_a, "/catalog/export.xlsx?sort=-code"  # a salesperson sees no floor price


def _expenses(staff):
    for n in range(4):
        expense([staff.sales_a, staff.sales_b][n % 2], f"{100 + n}.50", category=["travel", "gifts"][n % 2])
    return staff.manager1, "/expenses/export.xlsx?category=travel"


def _register(staff):
    for _ in range(3):
        Deal(staff).draft()
    return staff.back_office, f"/deals/register/{timezone.localdate():%Y%m}/export.xlsx"


@pytest.mark.parametrize("given", [_customers, _products, _expenses, _register], ids=lambda f: f.__name__[1:])
def test_a_job_export_equals_the_inline_export_cell_by_cell(
    staff, web_client, settings, django_capture_on_commit_callbacks, given
):
    # given a list and a reader with a filter
    user, url = given(staff)
    client = web_client(user)
    # when it is exported at once and then as a background job
    inline = inline_export(client, url, settings)
    job, from_job = job_export(client, url, settings, django_capture_on_commit_callbacks)
    # then both workbooks hold the same cells, with the same types and formats
    title, rows = cells(inline)
    assert len(rows) > 1
    assert cells(from_job) == (title, rows)
    assert job.rows_done == len(rows) - 1


def test_the_job_reads_with_the_requesters_scope(staff):
    # given customers of sales_a (head office) and sales_c (Qingdao branch)
    mine = CustomerFactory(owner=staff.sales_a, region=staff.region, code="MINE01")
    CustomerFactory(owner=staff.sales_c, region=staff.region, code="THEIRS1")
    # when sales_a's export runs in the worker
    job = run(customer_job(staff.sales_a))
    # then it holds only what sales_a sees, like the page
    assert exported_codes(job) == [mine.code]


# Only the requester, and only their role


@pytest.mark.parametrize(
    "path", ["/jobs/exports/{pk}/", "/jobs/exports/{pk}/progress/", "/jobs/exports/{pk}/download/"]
)
def test_only_the_requester_sees_the_job_and_downloads_its_file(staff, web_client, path):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    url = path.format(pk=job.pk)
    assert web_client(staff.manager1).get(url).status_code == 200
    # not another manager, not leadership, not the admin: 404, as if there were no such job
    for other in (staff.admin, staff.boss, staff.manager2, staff.sales_a):
        assert web_client(other).get(url).status_code == 404
    assert web_client(staff.manager1).get(path.format(pk=job.pk + 1000)).status_code == 404


def test_an_import_job_is_not_an_export(staff, web_client):
    from salesops.core.tests.test_import_jobs import queued_job

    job = queued_job(staff.manager1)
    assert web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/").status_code == 404
    assert web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/download/").status_code == 404


def test_the_file_is_not_offered_before_the_job_is_done(staff, web_client):
    job = customer_job(staff.manager1)
    assert web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/download/").status_code == 404


def test_a_role_that_may_not_read_the_list_starts_no_export(staff, web_client, settings):
    settings.EXPORT_INLINE_ROWS = 0
    # the warehouse reads no customers, a salesperson no contract register
    assert web_client(staff.warehouse).post("/customers/export.xlsx").status_code == 403
    month = f"{timezone.localdate():%Y%m}"
    assert web_client(staff.sales_a).post(f"/deals/register/{month}/export.xlsx").status_code == 403
    with pytest.raises(Forbidden):
        customer_job(staff.warehouse)
    assert not Job.objects.exists()


def test_a_month_that_is_no_month_starts_no_export(staff, web_client, settings):
    settings.EXPORT_INLINE_ROWS = 0
    assert web_client(staff.back_office).post("/deals/register/2026-1/export.xlsx").status_code == 404
    assert not Job.objects.exists()


def test_a_requester_who_lost_access_before_the_job_ran_gets_no_file(staff):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = customer_job(staff.manager1)
    staff.manager1.is_active = False
    staff.manager1.save(update_fields=["is_active"])
    job = run(job)
    assert job.state == "failed" and job.message and not job.file
    assert not list((Path(job.file.storage.location) / "exports").glob("*.xlsx"))


# Run once, fail clearly


def test_the_task_delivered_twice_exports_once(staff):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    first = job.file.name
    run_export_job(job.pk)  # a redelivery (RELIABILITY.md, Jobs)
    assert services.export_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.file.name, job.rows_done) == ("done", first, 1)


def test_an_unexpected_error_fails_the_export_clearly_and_leaves_no_file(staff, monkeypatch, settings):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = customer_job(staff.manager1)

    def broken(rows, **options):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports._EXPORTERS, "customers", replace(exports.exporter_for("customers"), write=broken))
    job = run(job)
    with translation.override(job.language):
        assert job.state == "failed"
        assert job.message == gettext(
            "The export stopped on an unexpected error; no file was made. Export the list again."
        )
    assert not job.file and not list((Path(settings.MEDIA_ROOT) / "exports").glob("*"))


def test_an_export_swept_while_writing_keeps_no_file(staff, monkeypatch, settings):
    # given an export whose worker the sweep declares dead once it has started writing
    many_customers(staff, 600)
    job = customer_job(staff.manager1)
    real_put = jobs.put_progress

    def sweep_meanwhile(job_id, done, total):
        real_put(job_id, done, total)
        if done >= 500:
            Job.objects.filter(pk=job_id).update(state="failed", message=stopped_message("export"))

    monkeypatch.setattr(jobs, "put_progress", sweep_meanwhile)
    # when the worker goes on and saves its file
    job = run(job)
    # then the job stays failed and the file is gone with it
    assert job.state == "failed" and job.message == stopped_message("export")
    assert not list((Path(settings.MEDIA_ROOT) / "exports").glob("*"))


def test_a_stuck_export_is_swept_to_failed_with_a_clear_message(staff, web_client, settings):
    # given an export that started 10 minutes ago, silent since, with its half-written file
    settings.JOB_STALE_SECONDS = 300
    job = customer_job(staff.manager1)
    half = Path(settings.MEDIA_ROOT) / "exports" / "half.xlsx"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"PK")
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, file="exports/half.xlsx")
    # then its page reads failed at once, with the reason
    partial = web_client(staff.manager1).get(f"/jobs/exports/{job.pk}/progress/").content.decode()
    assert 'data-state="failed"' in partial and "hx-trigger" not in partial
    with translation.override("zh-hans"):
        assert stopped_message("export") in partial
    # and the sweep fails it, clearly, and removes the half-written file
    assert sweep_jobs.call_local() == (1, 0, 0)
    job.refresh_from_db()
    with translation.override(job.language):
        assert job.state == "failed" and job.message == stopped_message("export")
    assert not job.file and not half.exists()
    assert services.export_job_run(job_id=job.pk) is None  # a late redelivery runs nothing


# Expiry and the sweep


def test_a_finished_export_expires_and_its_file_is_removed(staff, web_client, settings):
    settings.EXPORT_JOB_KEEP_SECONDS = 3600
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    path = Path(job.file.path)
    fresh = run(customer_job(staff.manager1, {"kind": "dealer"}))
    # an hour and a bit later, the sweep removes the first file, not the fresh one
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(minutes=61))
    assert services.job_sweep() == (0, 0, 1)
    job.refresh_from_db()
    assert job.state == "expired" and not job.file and not path.exists()
    assert Path(Job.objects.get(pk=fresh.pk).file.path).exists()
    client = web_client(staff.manager1)
    assert client.get(f"/jobs/exports/{job.pk}/download/").status_code == 404
    page = client.get(f"/jobs/exports/{job.pk}/").content.decode()
    assert 'data-testid="export-expired"' in page and "export-download" not in page
    assert services.job_sweep() == (0, 0, 0)  # twice is harmless


def test_a_waiting_job_is_queued_again_only_a_while_after_its_task_was_queued(
    staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given the requeue limit of 10 minutes and a job whose task was queued 11 minutes ago
    settings.JOB_REQUEUE_SECONDS = 600
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda job_id, operation: queued.append((job_id, operation)))
    lost = customer_job(staff.manager1)
    now = timezone.now()
    Job.objects.filter(pk=lost.pk).update(
        created_at=now - datetime.timedelta(hours=2), enqueued_at=now - datetime.timedelta(minutes=11)
    )
    # and one created long ago whose task was queued again a minute ago
    recent = customer_job(staff.manager1, {"kind": "dealer"})
    Job.objects.filter(pk=recent.pk).update(
        created_at=now - datetime.timedelta(hours=2), enqueued_at=now - datetime.timedelta(minutes=1)
    )
    # when the sweep runs every minute for five minutes
    with django_capture_on_commit_callbacks(execute=True):
        for minute in range(5):
            services.job_sweep(now=now + datetime.timedelta(minutes=minute))
    # then only the first was queued again, once, and it waits the full limit before the next try
    assert queued == [(lost.pk, "export")]
    assert Job.objects.get(pk=lost.pk).enqueued_at == now
    with django_capture_on_commit_callbacks(execute=True):
        services.job_sweep(now=now + datetime.timedelta(minutes=10, seconds=1))
    assert queued == [(lost.pk, "export"), (lost.pk, "export"), (recent.pk, "export")]


def test_the_sweep_queues_a_lost_export_and_it_runs_once(staff, django_capture_on_commit_callbacks):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = customer_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_sweep() == (0, 1, 0)
    job.refresh_from_db()
    assert job.state == "done" and job.rows_done == 1


# Bounded queries


def _queries_of_a_job(staff, count: int, prefix: str) -> int:
    many_customers(staff, count, prefix=prefix)
    job = customer_job(staff.manager1, {"q": prefix})
    with CaptureQueriesContext(connection) as captured:
        job = run(job)
    assert job.rows_done == count
    return len(captured.captured_queries)


def test_an_export_jobs_queries_do_not_grow_with_its_rows(staff, django_assert_max_num_queries):
    few = _queries_of_a_job(staff, 5, "FEW")
    many = _queries_of_a_job(staff, 1200, "MANY")  # more than two chunks of the iterator (500)
    assert many == few
    many_customers(staff, 60, prefix="MORE")
    job = customer_job(staff.manager1, {"q": "MORE"})
    with django_assert_max_num_queries(few):
        run(job)
