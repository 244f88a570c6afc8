"""``salesops bench deals`` / ``salesops manage bench_deals``: the deals benchmark (see ``salesops.deals.bench``)."""

from django.core.management.base import BaseCommand, CommandError

from salesops.deals.bench import BenchFailed, report, run_bench


def _positive(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a positive whole number, not {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Benchmark the deals: run N deals from inquiry to a signed, archived contract through the "
        "services the UI calls, on the configured database (DATABASE_URL), and print contracts per "
        "second, SQL statements per contract and p50/p95 milliseconds per step. It ADDS ITS OWN ROWS "
        "and leaves them: a branch BENCH, users bench_* (no usable password), customers BENCH-C*, "
        "products BENCH-P*, and per deal an inquiry, a quotation, a contract with a stored PDF scan, "
        "their audit events, approval steps and notifications. Made once, reused on later runs. "
        "Run it on a database made for it, not on production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--contracts",
            type=_positive,
            default=1000,
            metavar="N",
            help="how many deals to run (default %(default)s)",
        )

    def handle(self, *args, **options):
        wanted = options["contracts"]
        verbosity = options["verbosity"]
        step = max(1, wanted // 10)

        def progress(done: int) -> None:
            if verbosity >= 1 and wanted >= 50 and done % step == 0 and done < wanted:
                self.stderr.write(f"  {done}/{wanted} deals…")

        try:
            result = run_bench(wanted, progress=progress)
        except BenchFailed as exc:
            raise CommandError(f"bench stopped: {exc}") from exc
        self.stdout.write(report(result), ending="")
