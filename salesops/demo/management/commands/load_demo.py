"""``salesops manage load_demo``: load the demo company into a migrated, empty database."""

from django.core.management.base import BaseCommand, CommandError

from salesops.demo.company import DEFAULT_SEED, DemoAlreadyLoaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo company: staff by role (password salesops-demo), customers, products and "
        "expense documents in every state. Refuses, changing nothing, when demo users already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")

    def handle(self, *args, **options):
        try:
            summary = load_demo(seed=options["seed"])
        except DemoAlreadyLoaded as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(summary.line()))
