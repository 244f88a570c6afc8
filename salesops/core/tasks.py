"""Huey tasks of the kernel: run an import job, and sweep the jobs a dead worker or a lost task
left behind (core.services explains both; RELIABILITY.md, Jobs)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def run_import_job(job_id: int) -> None:
    """Queued by ``import_job_start`` on commit; running it twice imports once."""
    services.import_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_import_jobs() -> tuple[int, int]:
    """Every minute: fail stuck running jobs, queue lost ones again."""
    return services.import_job_sweep()
