"""T9 for background jobs (issue 7, item 4): ``kill -9`` a worker in the middle of an import, and in
the middle of an export.

The job runs in a separate process (``manage.py run_import_job`` / ``run_export_job``), as a Huey
worker would, against the test database; a test hook (``SALESOPS_JOB_PAUSE_AFTER_ROWS``) makes it
sleep after 500 of 1,500 rows (an import inside its write transaction, an export while writing its
workbook), and the test kills it there. PostgreSQL only: the SQLite test database lives in the test
process's memory, where no other process can reach it.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from salesops.core import selectors, services
from salesops.core.selectors import stopped_message
from salesops.core.services import jobs
from salesops.core.tests.exportjobs import many_customers
from salesops.core.tests.test_import_jobs import many_rows, upload
from salesops.customers.models import Customer
from salesops.customers.tests.test_excel_import import xlsx

MANAGE = Path(settings.BASE_DIR).parent / "manage.py"


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(process: subprocess.Popen, text: str, timeout: float) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    process.kill()
    raise AssertionError(f"the worker never said {text!r}:\n{''.join(seen)}")


def _worker(command: str, job_id: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SALESOPS_TESTING": "1",
        "SALESOPS_JOB_PAUSE_AFTER_ROWS": "500",
    }
    return subprocess.Popen(
        [sys.executable, str(MANAGE), command, str(job_id)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
def test_a_worker_killed_mid_import_leaves_0_rows_and_the_sweep_fails_its_job(
    transactional_db, staff, settings, monkeypatch
):
    # given a queued job of 1,500 good rows (its task is not run here: the other process runs it)
    monkeypatch.setattr(jobs, "enqueue", lambda job_id, operation: None)
    job = services.import_job_start(actor=staff.manager1, kind="customers", upload=upload(xlsx(many_rows(1500))))
    # when a worker process runs it and is killed with SIGKILL after writing 500 rows
    worker = _worker("run_import_job", job.pk)
    try:
        _wait_for(worker, "pausing after 500 rows", timeout=180)
        job.refresh_from_db()
        assert (job.state, job.rows_total) == ("running", 1500)
        assert not Customer.objects.exists()  # written, not committed
        worker.kill()
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -9
    # then no row of the import exists ...
    assert Customer.objects.count() == 0
    # ... and once the job has given no sign of life for the limit, the sweep fails it, clearly
    settings.JOB_STALE_SECONDS = 0
    assert services.job_sweep() == (1, 0, 0)
    job.refresh_from_db()
    assert job.state == "failed" and job.message == stopped_message()
    # and a late redelivery of its task does not run it again
    assert services.import_job_run(job_id=job.pk) is None
    assert Customer.objects.count() == 0


@pytest.mark.postgres
def test_a_worker_killed_mid_export_leaves_no_file_and_the_sweep_fails_its_job(
    transactional_db, staff, settings, monkeypatch
):
    # given a queued export of 1,500 customers
    monkeypatch.setattr(jobs, "enqueue", lambda job_id, operation: None)
    many_customers(staff, 1500)
    job = services.export_job_start(actor=staff.manager1, kind="customers", params={"query": {}})
    exports_dir = Path(settings.MEDIA_ROOT) / "exports"
    # when a worker process runs it and is killed with SIGKILL after writing 500 rows of the workbook
    worker = _worker("run_export_job", job.pk)
    try:
        _wait_for(worker, "pausing after 500 rows", timeout=180)
        job.refresh_from_db()
        assert (job.state, job.rows_total) == ("running", 1500)
        assert job.file.name.startswith("exports/")  # the name is on the job before a byte is written
        worker.kill()
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -9
    # then the page already reads failed once the job is silent past the limit, and the sweep fails it
    settings.JOB_STALE_SECONDS = 0
    assert selectors.job_status(job).state == "failed"
    assert services.job_sweep() == (1, 0, 0)
    job.refresh_from_db()
    with translation.override(job.language):
        assert job.state == "failed" and job.message == stopped_message("export")
    # with no file, half-written or whole, left behind
    assert not job.file and not (exports_dir.exists() and any(exports_dir.iterdir()))
    # and a late redelivery of its task does not run it again
    assert services.export_job_run(job_id=job.pk) is None
