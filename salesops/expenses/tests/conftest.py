import pytest


@pytest.fixture
def cust_a(staff):
    """A customer of sales_a."""
    from .factories import customer

    return customer(staff, staff.sales_a)
