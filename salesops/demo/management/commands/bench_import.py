"""``salesops manage bench_import [--rows N] [--queue-only]``: time a customer import run as its
background job would run it (issue 7, item 4). Needs the demo company (``load_demo``): the admin
imports N customers of region SD for the demo salespeople. ``--queue-only`` only stores and queues
the job and prints its id, for ``run_import_job`` in another process (the kill -9 test)."""

import time
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from openpyxl import Workbook

from salesops.core import services
from salesops.org.models import User

HEADER = ["客户编码", "客户名称", "客户类型", "区域编码", "业务员用户名", "信用额度", "潜力等级", "有效"]
OWNERS = ("sales1", "sales2", "sales3", "sales4", "sales5", "sales6")


def workbook(rows: int, prefix: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        owner = OWNERS[n % len(OWNERS)]
        sheet.append([f"{prefix}{n:06d}", f"测试客户{prefix}{n}", "经销商", "SD", owner, 1000 + n, "B", "是"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Time a customer import of N rows as its background job runs it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--prefix", default="BI")
        parser.add_argument("--queue-only", action="store_true")

    def handle(self, *args, rows: int, prefix: str, queue_only: bool, **options) -> None:
        admin = User.objects.get(username="admin")
        started = time.monotonic()
        content = workbook(rows, prefix)
        upload = SimpleUploadedFile("bench.xlsx", content)
        job = services.import_job_start(actor=admin, kind="customers", upload=upload)
        queued = time.monotonic() - started
        if queue_only:
            self.stdout.write(str(job.pk))
            return
        started = time.monotonic()
        services.import_job_run(job_id=job.pk)
        seconds = time.monotonic() - started
        job.refresh_from_db()
        self.stdout.write(
            f"{rows} rows: workbook and upload {queued:.1f} s; job {job.pk} {job.state}, "
            f"{job.rows_done} rows in {seconds:.1f} s {job.message}"
        )
