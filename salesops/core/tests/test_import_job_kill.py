"""T9 for imports (issue 7, item 4): ``kill -9`` a worker in the middle of an import.

The job runs in a separate process (``manage.py run_import_job``), as a Huey worker would, against
the test database; a test hook (``SALESOPS_IMPORT_PAUSE_AFTER_ROWS``) makes it sleep inside its
write transaction after 500 of 1,500 rows, and the test kills it there. PostgreSQL only: the
SQLite test database lives in the test process's memory, where no other process can reach it.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from salesops.core import services
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


@pytest.mark.postgres
def test_a_worker_killed_mid_import_leaves_0_rows_and_the_sweep_fails_its_job(
    transactional_db, staff, settings, monkeypatch
):
    # given a queued job of 1,500 good rows (its task is not run here: the other process runs it)
    monkeypatch.setattr(services, "_enqueue", lambda job_id: None)
    job = services.import_job_start(actor=staff.manager1, kind="customers", upload=upload(xlsx(many_rows(1500))))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SALESOPS_TESTING": "1",
        "SALESOPS_IMPORT_PAUSE_AFTER_ROWS": "500",
    }
    # when a worker process runs it and is killed with SIGKILL after writing 500 rows
    worker = subprocess.Popen(
        [sys.executable, str(MANAGE), "run_import_job", str(job.pk)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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
    settings.IMPORT_JOB_STALE_SECONDS = 0
    assert services.import_job_sweep() == (1, 0)
    job.refresh_from_db()
    assert job.state == "failed" and job.message == services.stopped_message()
    # and a late redelivery of its task does not run it again
    assert services.import_job_run(job_id=job.pk) is None
    assert Customer.objects.count() == 0
