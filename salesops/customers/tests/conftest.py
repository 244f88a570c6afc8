import pytest

from salesops.customers.tests.factories import CustomerFactory


@pytest.fixture
def customer_of(staff):
    """``customer_of(user, **fields)``: a customer owned by that user."""

    def make(owner, **fields):
        return CustomerFactory(owner=owner, region=staff.region, **fields)

    return make


@pytest.fixture
def customer_a(staff, customer_of):
    """sales_a's customer (head office, manager1's department)."""
    return customer_of(staff.sales_a, code="CA0001", name="甲客户")


@pytest.fixture
def customer_c(staff, customer_of):
    """sales_c's customer (Qingdao branch, manager2's department, branch manager branchmgr)."""
    return customer_of(staff.sales_c, code="CC0001", name="丙客户")
