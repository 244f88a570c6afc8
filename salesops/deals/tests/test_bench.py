"""The deals benchmark command: it runs whole deals through the services and reports its figures."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesops import cli
from salesops.deals.bench import STEP_NAMES, percentile
from salesops.deals.choices import ContractState
from salesops.deals.models import Contract
from salesops.org.models import User
from salesops.workflow.registry import ensure_defaults

pytestmark = pytest.mark.django_db


def _bench(n: int) -> str:
    out = io.StringIO()
    call_command("bench_deals", "--contracts", str(n), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _figure(output: str, label: str) -> float:
    found = re.search(rf"^{re.escape(label)}\s+([0-9.]+)", output, re.MULTILINE)
    assert found, f"{label!r} missing from:\n{output}"
    return float(found.group(1))


def test_bench_runs_deals_to_archived_contracts_and_reports_the_figures():
    ensure_defaults()  # a transactional test before this one may have flushed the seeded policies

    output = _bench(3)

    for step in STEP_NAMES:
        assert re.search(rf"^{re.escape(step)}\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+$", output, re.MULTILINE), step
    assert _figure(output, "contracts per second") > 0
    assert _figure(output, "SQL statements / contract") > 0
    assert "3 contracts" in output
    assert "database: " in output
    archived = Contract.objects.filter(state=ContractState.ARCHIVED, owner__username__startswith="bench_")
    assert archived.count() == 3
    assert all(c.signed_on and c.archived_at for c in archived)


def test_bench_reuses_its_staff_on_a_second_run():
    ensure_defaults()
    _bench(1)
    users = set(User.objects.filter(username__startswith="bench_").values_list("pk", flat=True))

    output = _bench(1)

    assert "reused" in output
    assert set(User.objects.filter(username__startswith="bench_").values_list("pk", flat=True)) == users
    assert Contract.objects.filter(state=ContractState.ARCHIVED).count() == 2


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0


def test_cli_forwards_bench_deals(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_setup", lambda demo=False: None)
    monkeypatch.setattr(cli, "_check_database", lambda: None)
    monkeypatch.setattr(cli, "_manage", lambda *args: calls.append(args))
    monkeypatch.delenv("DATABASE_URL", raising=False)

    cli.bench(["deals", "--contracts", "5", "--database-url", "sqlite:////tmp/x.sqlite3"])

    assert calls == [("bench_deals", "--contracts", "5")]
    assert cli.os.environ["DATABASE_URL"] == "sqlite:////tmp/x.sqlite3"
    with pytest.raises(SystemExit):
        cli.bench(["nothing"])


def test_bench_register_fills_a_month_and_times_the_page_the_month_and_the_pdf():
    # given a database without the bench month: the command fills it with 25 numbers (one missing)
    out = io.StringIO()
    call_command("bench_register", "--contracts", "25", stdout=out)
    output = out.getvalue()
    # then the month holds the numbers, every tenth voided, and each reading is timed and counted
    held = Contract.objects.filter(number__startswith="HT200001")
    assert held.count() == 24 and held.filter(state=ContractState.VOIDED).count() == 2
    for what in ("page (summary + 100 rows)", "whole month", "PDF"):
        assert re.search(rf"^{re.escape(what)}\s+[0-9.]+\s+\d+", output, re.MULTILINE), what
    assert re.search(r"PDF\s+[0-9.]+\s+\d+\s+\d+ KB", output)
    # and another size on the same database is refused, the month left as it was
    with pytest.raises(CommandError, match="holds 25 numbers"):
        call_command("bench_register", "--contracts", "30", stdout=io.StringIO())
    assert held.count() == 24
