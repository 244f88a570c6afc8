"""Two sweeps at once on PostgreSQL record each breach once (the rule's SweepLock row)."""

import datetime
import threading

import pytest
from django.db import connection

from salesops.compliance import services
from salesops.compliance.models import Violation
from salesops.core.models import NumberSequence

from .helpers import acknowledge_everyone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_sweeps_at_once_make_no_duplicate(staff):
    acknowledge_everyone()
    NumberSequence.objects.create(prefix="HT", period="202610", last=2)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            services.sweep(today=datetime.date(2026, 11, 6), codes=["R15"])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert Violation.objects.filter(rule_code="R15").count() == 1
