"""Imports as background jobs (issue 7, item 4): the upload answers at once with the job's page,
the page polls its progress and then shows the errors or the summary, the job is its starter's
only, all or nothing holds, a task delivered twice imports once, and a job whose worker is gone
is swept to failed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from salesops.core import services
from salesops.core.errors import Forbidden
from salesops.core.models import Job
from salesops.core.selectors import stopped_message
from salesops.core.services import jobs
from salesops.core.tasks import run_import_job, sweep_jobs
from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory
from salesops.customers.tests.test_excel_import import BAD, GOOD, xlsx

pytestmark = pytest.mark.django_db


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("customers.xlsx", content, content_type="application/octet-stream")


def queued_job(user, rows=GOOD) -> Job:
    """A job stored and queued; its on-commit task never runs inside the test's transaction."""
    return services.import_job_start(actor=user, kind="customers", upload=upload(xlsx(rows)))


def many_rows(count: int) -> list[list]:
    return [[f"M{n:04d}", f"客户{n}", "经销商", "SD", "sales_a", 1, "B", "是"] for n in range(count)]


def test_the_upload_answers_at_once_with_the_job_page_that_polls(staff, web_client):
    # given manager1 on the import page
    client = web_client(staff.manager1)
    # when the file is uploaded (the task is queued on commit, which this test's transaction never reaches)
    response = client.post("/customers/import/", {"file": upload(xlsx(GOOD))})
    # then the answer is the job's page at once, the job waits, and nothing is imported yet
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/imports/{job.pk}/"
    assert (job.state, job.user, job.kind) == ("queued", staff.manager1, "customers")
    assert job.file.name.startswith("imports/") and not job.file.name.endswith("customers.xlsx")
    assert not Customer.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="queued"' in page
    assert f'hx-get="/jobs/imports/{job.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page


def test_the_task_runs_on_commit_and_the_page_shows_the_summary(staff, web_client, django_capture_on_commit_callbacks):
    client = web_client(staff.manager1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/customers/import/", {"file": upload(xlsx(GOOD))})
    assert len(callbacks) == 1
    job = Job.objects.get()
    assert (job.state, job.rows_done, job.rows_total, job.errors) == ("done", 2, 2, [])
    assert job.started_at and job.finished_at
    assert Customer.objects.count() == 2
    assert not job.file  # the upload is not kept once the job is finished
    partial = client.get(f"/jobs/imports/{job.pk}/progress/").content.decode()
    assert 'data-testid="import-summary"' in partial and "2" in partial
    assert "hx-trigger" not in partial  # finished: the poll stops
    assert response["Location"] == job.get_absolute_url()


def test_a_refused_file_answers_422_at_once_and_queues_nothing(staff, web_client):
    response = web_client(staff.manager1).post("/customers/import/", {"file": upload(b"not a workbook")})
    assert response.status_code == 422
    assert 'data-field-error="file"' in response.content.decode()
    assert not Job.objects.exists()


def test_a_role_that_may_not_import_starts_no_job(staff, web_client):
    assert web_client(staff.sales_a).post("/customers/import/", {"file": upload(xlsx(GOOD))}).status_code == 403
    with pytest.raises(Forbidden):
        queued_job(staff.sales_a)
    assert not Job.objects.exists()


def test_the_progress_partial_shows_rows_written_while_running(staff, web_client):
    # given a running job whose worker has written 40 of 120 rows
    job = queued_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), rows_total=120)
    jobs.put_progress(job.pk, 40, 120)
    # when its page polls
    partial = web_client(staff.manager1).get(f"/jobs/imports/{job.pk}/progress/").content.decode()
    # then it shows the figure as a progress bar and keeps polling
    assert 'data-state="running"' in partial
    assert 'value="40" max="120"' in partial and "40" in partial and "120" in partial
    assert 'hx-trigger="every 1s"' in partial


def test_the_errors_of_a_refused_sheet_are_on_the_job_page(staff, web_client, django_capture_on_commit_callbacks):
    client = web_client(staff.manager1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/customers/import/", {"file": upload(xlsx(BAD))})
    job = Job.objects.get()
    assert job.state == "failed" and len(job.errors) == 4
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-failed"' in page and 'data-testid="import-error" data-row="3"' in page
    assert "区域编码" in page and "hx-trigger" not in page
    assert not Customer.objects.exists()


@pytest.mark.parametrize("path", ["/jobs/imports/{pk}/", "/jobs/imports/{pk}/progress/"])
def test_a_job_is_seen_only_by_its_starter(staff, web_client, path):
    job = queued_job(staff.manager1)
    url = path.format(pk=job.pk)
    assert web_client(staff.manager1).get(url).status_code == 200
    # the admin lists every job in the admin site (below), never another user's job page
    for other in (staff.admin, staff.manager2, staff.sales_a, staff.boss):
        assert web_client(other).get(url).status_code == 404
    assert web_client(staff.manager1).get(path.format(pk=job.pk + 1000)).status_code == 404


def test_anonymous_is_sent_to_log_in(staff, client):
    job = queued_job(staff.manager1)
    assert client.get(f"/jobs/imports/{job.pk}/").status_code in (302, 403)


def test_a_refused_row_during_the_write_leaves_0_rows(staff):
    # given a sheet whose last row repeats an existing code (the service refuses it while writing)
    customer_a = CustomerFactory(owner=staff.sales_a, region=staff.region, code="CA0001")
    rows = [*many_rows(5), [customer_a.code, "重名", "经销商", "SD", "sales_a", 1, "B", "是"]]
    job = queued_job(staff.manager1, rows)
    # when it runs
    run_import_job(job.pk)
    # then the job failed on that row and none of the five good rows stayed
    job.refresh_from_db()
    assert job.state == "failed" and [(e["row"], e["column"]) for e in job.errors] == [(7, "客户编码")]
    assert list(Customer.objects.values_list("code", flat=True)) == [customer_a.code]


def test_the_task_delivered_twice_imports_once(staff):
    job = queued_job(staff.manager1)
    run_import_job(job.pk)
    run_import_job(job.pk)  # a redelivery (RELIABILITY.md, Jobs)
    assert services.import_job_run(job_id=job.pk) is None
    assert Customer.objects.count() == 2
    job.refresh_from_db()
    assert (job.state, job.rows_done) == ("done", 2)


def test_a_job_already_failed_is_not_run(staff):
    job = queued_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(state="failed", message="swept")
    run_import_job(job.pk)
    assert not Customer.objects.exists()
    job.refresh_from_db()
    assert (job.state, job.message) == ("failed", "swept")


def test_a_job_swept_while_writing_commits_no_row(staff, monkeypatch):
    # given a job whose worker the sweep declares dead just before its write transaction opens
    # (in this test the sweep must write outside that transaction: the test runs in one connection)
    job = queued_job(staff.manager1, many_rows(6))
    real_put = jobs.put_progress

    def sweep_meanwhile(job_id, done, total):
        real_put(job_id, done, total)
        if done == 0:
            Job.objects.filter(pk=job_id).update(state="failed", message=stopped_message())

    monkeypatch.setattr(jobs, "put_progress", sweep_meanwhile)
    # when the worker goes on and reaches the commit
    run_import_job(job.pk)
    # then the job refuses to become done and its rows roll back: failed means 0 rows
    job.refresh_from_db()
    with translation.override(job.language):
        assert job.state == "failed" and job.message == stopped_message()
    assert not Customer.objects.exists()


def test_a_stuck_running_job_is_swept_to_failed(staff, web_client, settings):
    # given a job that started 10 minutes ago and has given no sign of life since (its worker was killed)
    settings.JOB_STALE_SECONDS = 300
    job = queued_job(staff.manager1)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, rows_total=2)
    fresh = queued_job(staff.manager1)
    Job.objects.filter(pk=fresh.pk).update(state="running", started_at=timezone.now())
    # then its page already reads failed (a GET writes nothing) ...
    partial = web_client(staff.manager1).get(f"/jobs/imports/{job.pk}/progress/").content.decode()
    assert 'data-state="failed"' in partial and "hx-trigger" not in partial
    assert Job.objects.get(pk=job.pk).state == "running"
    # ... and the periodic sweep marks it failed with a clear message, leaving the live job alone
    assert sweep_jobs.call_local() == (1, 0, 0)
    job.refresh_from_db()
    assert job.state == "failed" and job.message == stopped_message() and not job.file
    assert Job.objects.get(pk=fresh.pk).state == "running"
    assert sweep_jobs.call_local() == (0, 0, 0)  # twice is harmless


def test_a_recent_sign_of_life_keeps_a_long_job_running(staff, settings):
    settings.JOB_STALE_SECONDS = 300
    job = queued_job(staff.manager1)
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, rows_total=20_000)
    jobs.put_progress(job.pk, 15_000, 20_000)  # the worker wrote rows a moment ago
    assert services.job_sweep() == (0, 0, 0)
    assert Job.objects.get(pk=job.pk).state == "running"


def test_a_lost_task_is_queued_again_by_the_sweep(staff, django_capture_on_commit_callbacks):
    # given a job queued long ago whose task never ran
    job = queued_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    # when the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_sweep() == (0, 1, 0)
    # then the job ran, once
    job.refresh_from_db()
    assert job.state == "done" and Customer.objects.count() == 2


def test_the_worker_writes_the_outcome_in_the_uploaders_language(
    staff, web_client, settings, django_capture_on_commit_callbacks
):
    # given manager1 who switched the UI to English
    client = web_client(staff.manager1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when a file with bad rows is imported (the worker has no request, so no language of its own)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/customers/import/", {"file": upload(xlsx(BAD))})
    # then the job's message and its rows' problems are in English, the page's too
    job = Job.objects.get()
    assert job.language == "en"
    assert job.message == "The file has 4 error(s); nothing was imported."
    assert ("region code", "Unknown code: ZZ.") in {(e["column"], e["message"]) for e in job.errors}


def test_the_admin_lists_every_job_read_only_and_nobody_else_does(staff, web_client):
    job = queued_job(staff.manager1)
    page = web_client(staff.admin).get("/admin/core/job/")
    assert page.status_code == 200 and f"/admin/core/job/{job.pk}/" in page.content.decode()
    assert web_client(staff.admin).get("/admin/core/job/add/").status_code == 403
    assert web_client(staff.manager1).get("/admin/core/job/").status_code in (302, 403)
