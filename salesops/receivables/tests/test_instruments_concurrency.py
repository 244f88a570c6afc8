"""Splitting under the parent's lock, on PostgreSQL: finance endorsing parts of one bill from
several sessions at once splits it exactly once; the others are refused (it is split: act on its
parts), and the parts still add up to the bill."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from salesops.core.errors import TransitionNotAllowed
from salesops.receivables import billranges
from salesops.receivables.models.instruments import Instrument, InstrumentState
from salesops.receivables.services import instruments as services

from .samples_instruments import bill

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 8
ROUNDS = 5


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait()
            call()
            result = "done"
        except TransitionNotAllowed:
            result = "refused"
        except Exception as exc:  # anything else fails the test
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_parts_endorsed_at_once_split_the_bill_exactly_once(staff):
    for _round in range(ROUNDS):
        held = services.instrument_sign(instrument=bill(staff, worth="100.00"), actor=staff.finance)
        calls = [
            lambda n=n, pk=held.pk: services.instrument_endorse(
                instrument=pk,
                actor=staff.finance,
                endorsee=f"供应商{n}",
                endorsed_on=timezone.localdate(),
                amount=f"{n + 1}.00",
            )
            for n in range(PARALLEL)
        ]

        outcomes = _race(calls)

        assert sorted(outcomes) == ["done"] + ["refused"] * (PARALLEL - 1), outcomes
        parent = Instrument.objects.get(pk=held.pk)
        children = list(parent.children.order_by("pk"))
        assert parent.state == InstrumentState.SPLIT and len(children) == 2
        assert [c.state for c in children] == [InstrumentState.ENDORSED, InstrumentState.SIGNED]
        assert billranges.covers_exactly([c.bill_range for c in children], parent.bill_range)


def test_two_signatures_at_once_sign_it_once(staff):
    found = bill(staff)
    outcomes = _race([lambda: services.instrument_sign(instrument=found, actor=staff.finance)] * 2)
    assert sorted(outcomes) == ["done", "refused"], outcomes
