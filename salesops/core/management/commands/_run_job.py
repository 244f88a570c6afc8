"""What ``run_import_job`` and ``run_export_job`` share: run one queued job here and say how it ended."""

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand


class RunJobCommand(BaseCommand):
    run: Callable[..., Any]

    def add_arguments(self, parser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id: int, **options) -> None:
        started = time.monotonic()
        job = self.run(job_id=job_id)
        seconds = time.monotonic() - started
        if job is None:
            self.stdout.write(f"job {job_id}: not queued, not run")
            return
        self.stdout.write(f"job {job.pk}: {job.state}, {job.rows_done} rows in {seconds:.1f} s {job.message}")
