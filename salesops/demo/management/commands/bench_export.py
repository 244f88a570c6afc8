"""``salesops bench export [--rows N]`` (``salesops manage bench_export``): time the customer list
exported as its background job runs it, and count its queries (issue 7, item 4). Needs the demo
company (``load_demo``): customers are added (one INSERT per 1,000, codes ``BE…``) until the admin
sees at least N, then the admin's whole customer list is exported by ``export_job_run``."""

import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.core import services
from salesops.customers.models import Customer, CustomerKind
from salesops.org.models import Region, User

OWNERS = ("sales1", "sales2", "sales3", "sales4", "sales5", "sales6")


def add_customers(count: int, prefix: str) -> None:
    """``count`` plain customers of the demo salespeople (the export reads them; a bench row needs
    no service)."""
    region = Region.objects.get(code="SD")
    owners = list(User.objects.filter(username__in=OWNERS).select_related("branch", "department"))
    start = Customer.objects.filter(code__startswith=prefix).count()
    for first in range(start, start + count, 1000):
        Customer.objects.bulk_create(
            [
                Customer(
                    code=f"{prefix}{n:06d}",
                    name=f"测试客户{prefix}{n}",
                    kind=CustomerKind.DEALER,
                    region=region,
                    owner=(owner := owners[n % len(owners)]),
                    branch=owner.branch,
                    department=owner.department,
                    credit_limit_amount=1000 + n,
                    address="山东省济南市高新区工业南路 1 号",
                )
                for n in range(first, min(first + 1000, start + count))
            ]
        )


class Command(BaseCommand):
    help = "Time the customer list exported by its background job, and count its queries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--prefix", default="BE")

    def handle(self, *args, rows: int, prefix: str, **options) -> None:
        admin = User.objects.get(username="admin")
        missing = rows - Customer.objects.visible_to(admin).count()
        if missing > 0:
            add_customers(missing, prefix)
        job = services.export_job_start(actor=admin, kind="customers", params={"query": {}})
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            services.export_job_run(job_id=job.pk)
        seconds = time.monotonic() - started
        job.refresh_from_db()
        size = job.file.size if job.file else 0
        self.stdout.write(
            f"export job {job.pk}: {job.state}, {job.rows_done} rows in {seconds:.1f} s "
            f"({job.rows_done / max(seconds, 1e-9):.0f} rows/s), {len(queries.captured_queries)} queries, "
            f"{size / 1024:.0f} KiB {job.message}"
        )
