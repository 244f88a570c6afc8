"""``salesops manage run_import_job <id>``: run one queued import job in this process, as the
Huey task would (the kill -9 test and the 20,000-row measurement use it)."""

from salesops.core import services

from ._run_job import RunJobCommand


class Command(RunJobCommand):
    help = "Run one queued import job in this process (as the Huey task would)."
    run = staticmethod(services.import_job_run)
