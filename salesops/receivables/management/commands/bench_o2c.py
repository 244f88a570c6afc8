"""``salesops bench o2c`` / ``salesops manage bench_o2c``: the order-to-cash benchmark (see
``salesops.receivables.bench``, on ``salesops.fulfilment.bench``)."""

from django.core.management.base import BaseCommand, CommandError

from salesops.deals.bench import BenchFailed
from salesops.deals.management.commands.bench_deals import _positive
from salesops.receivables.bench import full_o2c_report, run_full_o2c


class Command(BaseCommand):
    help = (
        "Benchmark order to cash: run N orders from inquiry through quotation, signed contract, goods "
        "requisition and its approvals, delivery note, outbound, the customer's signed confirmation, the "
        "invoice request and its review, the invoice and the customer's payment allocated to it, through "
        "the services the UI calls, on the configured database (DATABASE_URL), and print orders per "
        "second, SQL statements per order (in all, for the fulfilment steps and for the money steps) and "
        "p50/p95 milliseconds per step. It ADDS ITS OWN ROWS and leaves them: the deals bench's branch "
        "BENCH, users bench_* and products, a warehouse keeper bench_warehouse, finance bench_finance "
        "and a warehouse BENCH-W stocked for the run, and per order the deal's documents, a requisition, "
        "a delivery note, an outbound, a confirmation with its stored scan, an invoice request, an "
        "invoice, a receipt, stock moves, audit events and notifications. Run it on a database made for "
        "it, not on production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--orders", type=_positive, default=1000, metavar="N", help="how many orders to run (default %(default)s)"
        )

    def handle(self, *args, **options):
        wanted = options["orders"]
        verbosity = options["verbosity"]
        step = max(1, wanted // 10)

        def progress(done: int) -> None:
            if verbosity >= 1 and wanted >= 50 and done % step == 0 and done < wanted:
                self.stderr.write(f"  {done}/{wanted} orders…")

        try:
            result = run_full_o2c(wanted, progress=progress)
        except BenchFailed as exc:
            raise CommandError(f"bench stopped: {exc}") from exc
        self.stdout.write(full_o2c_report(result), ending="")
