"""``salesops bench compliance`` / ``salesops manage bench_compliance``: a full sweep over N documents
per rule (see ``salesops.compliance.bench``)."""

from django.core.management.base import BaseCommand, CommandError

from salesops.compliance.bench import BenchTaken, compliance_report, run_compliance_bench
from salesops.deals.management.commands.bench_deals import _positive


class Command(BaseCommand):
    help = (
        "Benchmark the compliance sweep: fill N documents per wired rule (one in a hundred breaking it) "
        "in May-June 2025, then sweep each rule twice and report seconds and SQL statements. It ADDS ITS "
        "OWN ROWS and leaves them; run it on a database made for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=_positive, default=10000, metavar="N", help="default %(default)s")
        parser.add_argument("--rule", action="append", dest="codes", help="only this rule (repeatable)")

    def handle(self, *args, **options):
        count = options["documents"]
        try:
            timings = run_compliance_bench(count, options["codes"])
        except BenchTaken as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(compliance_report(count, timings), ending="")
