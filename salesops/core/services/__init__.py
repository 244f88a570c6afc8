"""The kernel's services: background jobs, imports and exports (issue 7, item 4).

``jobs`` holds what both share (claim, progress, failure, the sweep); ``imports`` and ``exports``
run each kind. The names apps use are imported here.
"""

from .exports import (
    export_count,
    export_filename,
    export_is_large,
    export_job_run,
    export_job_start,
    export_rows,
    export_write,
    exporter_for,
    exporter_known,
    list_url,
    listed_rows,
    register_exporter,
)
from .imports import import_job_run, import_job_start, importer_for, register_importer
from .jobs import job_sweep

__all__ = [
    "export_count",
    "export_filename",
    "export_is_large",
    "export_job_run",
    "export_job_start",
    "export_rows",
    "export_write",
    "exporter_for",
    "exporter_known",
    "import_job_run",
    "import_job_start",
    "importer_for",
    "job_sweep",
    "list_url",
    "listed_rows",
    "register_exporter",
    "register_importer",
]
