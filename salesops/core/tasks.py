"""Huey tasks of the kernel: run an import or an export job, and sweep the jobs a dead worker or a
lost task left behind (core.services.jobs explains all three; RELIABILITY.md, Jobs)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import exports, imports, jobs


@db_task()
def run_import_job(job_id: int) -> None:
    """Queued by ``import_job_start`` on commit; running it twice imports once."""
    imports.import_job_run(job_id=job_id)


@db_task()
def run_export_job(job_id: int) -> None:
    """Queued by ``export_job_start`` on commit; running it twice exports once."""
    exports.export_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> jobs.Swept:
    """Every minute: fail stuck running jobs, queue lost ones again, remove expired export files."""
    return jobs.job_sweep()
