"""``salesops manage run_import_job <id>``: run one queued import job in this process, as the
Huey task would (the kill -9 test and the 20,000-row measurement use it)."""

import time

from django.core.management.base import BaseCommand

from salesops.core import services


class Command(BaseCommand):
    help = "Run one queued import job in this process (as the Huey task would)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id: int, **options) -> None:
        started = time.monotonic()
        job = services.import_job_run(job_id=job_id)
        seconds = time.monotonic() - started
        if job is None:
            self.stdout.write(f"job {job_id}: not queued, not run")
            return
        self.stdout.write(f"job {job.pk}: {job.state}, {job.rows_done} rows in {seconds:.1f} s {job.message}")
