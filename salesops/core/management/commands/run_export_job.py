"""``salesops manage run_export_job <id>``: run one queued export job in this process, as the
Huey task would (the kill -9 test and the export measurement use it)."""

from salesops.core import services

from ._run_job import RunJobCommand


class Command(RunJobCommand):
    help = "Run one queued export job in this process (as the Huey task would)."
    run = staticmethod(services.export_job_run)
