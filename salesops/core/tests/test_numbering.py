"""Gapless monthly numbers (ARCHITECTURE.md numbering; R15 needs them gapless)."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from salesops.core.models import NumberSequence
from salesops.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_are_prefix_month_and_four_digits_in_sequence():
    # given an empty counter; when three numbers are drawn in one month
    with transaction.atomic():
        drawn = [next_number("TS", on=datetime.date(2026, 11, 3)) for _ in range(3)]
    # then they follow each other
    assert drawn == ["TS2026110001", "TS2026110002", "TS2026110003"]


@pytest.mark.django_db
def test_each_month_starts_again_at_one():
    with transaction.atomic():
        november = next_number("TS", on=datetime.date(2026, 11, 30))
        december = next_number("TS", on=datetime.date(2026, 12, 1))
    assert (november, december) == ("TS2026110001", "TS2026120001")


@pytest.mark.django_db
def test_rolled_back_creation_burns_no_number():
    # given one number drawn and kept
    with transaction.atomic():
        next_number("RB", on=datetime.date(2026, 11, 1))
    # when a creation fails after drawing its number
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("RB", on=datetime.date(2026, 11, 1))
        raise RuntimeError("the document could not be saved")
    # then the next creation gets the number the failed one had
    with transaction.atomic():
        assert next_number("RB", on=datetime.date(2026, 11, 1)) == "RB2026110002"


@pytest.mark.django_db(transaction=True)
def test_drawing_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number("XX")
    assert not NumberSequence.objects.filter(prefix="XX").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_creators_get_fifty_consecutive_numbers():
    # given 50 threads, each with its own connection, released together;
    # every fifth one fails after drawing its number (a rolled-back creation)
    creators = 50
    barrier = threading.Barrier(creators)
    kept: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def create(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                with transaction.atomic():
                    number = next_number("CC", on=datetime.date(2026, 11, 26))
                    if index % 5 == 0:
                        raise ValueError("rolled back after the number was assigned")
                with lock:
                    kept.append(number)
            except ValueError:
                pass
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(creators)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then the 40 committed creators hold 40 distinct numbers 1..40: no gap, no duplicate
    assert errors == []
    assert sorted(kept) == [f"CC202611{n:04d}" for n in range(1, 41)]
