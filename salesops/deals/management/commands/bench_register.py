"""``salesops bench register`` / ``salesops manage bench_register``: the contract register at a month's size
(see ``salesops.deals.bench_register``)."""

from django.core.management.base import BaseCommand, CommandError

from salesops.deals.bench_register import MonthTaken, register_report, run_register_bench

from .bench_deals import _positive


class Command(BaseCommand):
    help = (
        "Benchmark the monthly contract register (R15): fill one past month (2000-01) with N contract "
        "numbers of the bench branch (every tenth voided, one gap), then time the register page's read, "
        "the whole month's read and the PDF, with their SQL statements. It ADDS ITS OWN ROWS and leaves "
        "them; run it on a database made for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=_positive, default=3000, metavar="N", help="default %(default)s")

    def handle(self, *args, **options):
        count = options["contracts"]
        try:
            timings = run_register_bench(count)
        except MonthTaken as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(register_report(count, timings), ending="")
