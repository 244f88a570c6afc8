"""The ``salesops`` command.

- ``salesops demo``: migrate the embedded SQLite database, load the demo company, serve on PORT (8000).
- ``salesops serve``: production server (gunicorn); needs SECRET_KEY and usually DATABASE_URL.
- ``salesops worker``: the job consumer (Huey), periodic jobs included.
- ``salesops manage ...``: any Django management command.
- ``salesops bench register [--contracts N]``: the monthly contract register at N numbers (page, PDF).
- ``salesops bench compliance [--documents N]``: a full compliance sweep over N documents per rule.
- ``salesops bench deals [--contracts N] [--database-url URL]``: the deals benchmark; it adds its own
  rows to the database (see ``salesops manage bench_deals --help``).
- ``salesops bench o2c [--orders N] [--database-url URL]``: the order-to-cash benchmark, inquiry to the
  customer's payment allocated to its invoice; it adds its own rows (see ``salesops manage bench_o2c --help``).
- ``salesops bench export [--rows N] [--database-url URL]``: the customer list of N rows exported by its
  background job: time and queries (adds plain customers to the demo company up to N).

A configuration error stops start-up with one sentence, not a traceback.
"""

import os
import sys

DEMO_PASSWORD = "salesops-demo"  # nosec B105  # the demo users' published password (README)
# `salesops serve` in a container listens on every interface; HOST narrows it.
ALL_INTERFACES = "0.0.0.0"  # nosec B104


def _setup(demo: bool = False) -> None:
    if demo:
        os.environ.setdefault("SALESOPS_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"salesops: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _manage(*args: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["salesops", *args])


def demo(argv: list[str]) -> None:
    _setup(demo=True)
    from django.db import OperationalError

    try:
        _manage("migrate", "--no-input", "-v", "0")
    except OperationalError as exc:
        print(f"salesops: cannot reach the database: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from salesops.org.models import User

    if not User.objects.filter(username="admin").exists():
        print("Loading the demo company (first start takes a little while)…")
        _manage("load_demo")
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    print(
        f"\nsalesops demo: http://{host}:{port}/\n"
        f"Demo logins (password {DEMO_PASSWORD}): admin, boss, manager1, manager2, branchmgr1, "
        "sales1..sales6, office1, warehouse1, finance1, tech1, purchase1\n"
    )
    if "--no-serve" in argv:
        return
    _manage("runserver", f"{host}:{port}", "--noreload", "--insecure")


def _check_database() -> None:
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as exc:  # any driver error: say it in one sentence
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"salesops: cannot reach the database ({reason}).", file=sys.stderr)
        raise SystemExit(2) from None


def serve(argv: list[str]) -> None:
    _setup()
    _check_database()
    if "--check-config" in argv:
        print("salesops: configuration is valid.")
        return
    _manage("collectstatic", "--no-input", "-v", "0")
    from gunicorn.app.wsgiapp import run

    bind = f"{os.environ.get('HOST', ALL_INTERFACES)}:{os.environ.get('PORT', '8000')}"
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    sys.argv = ["gunicorn", "salesops.wsgi:application", "--bind", bind, "--workers", workers, *argv]
    run()


def worker(argv: list[str]) -> None:
    _setup(demo=os.environ.get("SALESOPS_DEMO") == "1")
    _manage("run_huey", *argv)


BENCHES = {
    "compliance": "bench_compliance",
    "deals": "bench_deals",
    "export": "bench_export",
    "o2c": "bench_o2c",
    "register": "bench_register",
}


def bench(argv: list[str]) -> None:
    """``salesops bench deals|o2c|register|export|compliance ... [--database-url URL]`` → ``bench_<name>``."""
    if not argv or argv[0] not in BENCHES:
        usage = (
            "salesops bench deals|register [--contracts N] | o2c [--orders N] | export [--rows N] | "
            "compliance [--documents N] [--database-url URL]"
        )
        print(f"salesops: usage: {usage}", file=sys.stderr)
        raise SystemExit(2)
    rest: list[str] = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--database-url":
            url = next(args, None)
            if not url:
                print("salesops: --database-url needs a URL", file=sys.stderr)
                raise SystemExit(2)
            os.environ["DATABASE_URL"] = url
        elif arg.startswith("--database-url="):
            os.environ["DATABASE_URL"] = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    _setup(demo=os.environ.get("SALESOPS_DEMO") == "1")
    _check_database()
    _manage(BENCHES[argv[0]], *rest)


def main() -> None:
    argv = sys.argv[1:]
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "demo":
        demo(rest)
    elif command == "serve":
        serve(rest)
    elif command == "worker":
        worker(rest)
    elif command == "bench":
        bench(rest)
    elif command == "manage":
        _setup(demo=os.environ.get("SALESOPS_DEMO") == "1")
        _manage(*rest)
    else:
        print(f"salesops: unknown command {command!r}; try 'salesops --help'", file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    main()
