import pytest

from .factories import ensure_default_policies


@pytest.fixture
def staff(staff):
    """The root ``staff``, plus the default expense policies (a transactional test may have flushed them)."""
    ensure_default_policies()
    return staff


@pytest.fixture
def cust_a(staff):
    """A customer of sales_a."""
    from .factories import customer

    return customer(staff, staff.sales_a)
