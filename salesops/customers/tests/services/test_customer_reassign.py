import pytest

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from salesops.customers import services
from salesops.customers.models import Customer

pytestmark = pytest.mark.django_db


def owner_of(customer):
    return Customer.objects.values_list("owner", "branch", "department", "version").get(pk=customer.pk)


def test_sales_manager_gives_a_customer_to_another_salesperson_of_the_team(staff, customer_a):
    customer = services.customer_reassign(customer=customer_a, actor=staff.manager1, owner_id=staff.sales_b.pk)
    assert customer.owner == staff.sales_b
    assert customer.version == 2


def test_admin_moves_a_customer_to_another_branch_with_its_department(staff, customer_a):
    customer = services.customer_reassign(customer=customer_a, actor=staff.admin, owner_id=staff.sales_c.pk)
    assert (customer.owner, customer.branch, customer.department) == (staff.sales_c, staff.branch, staff.branch_sales)


def test_manager_cannot_give_a_customer_outside_the_team(staff, customer_a):
    before = owner_of(customer_a)
    with pytest.raises(InvalidInput):
        services.customer_reassign(customer=customer_a, actor=staff.manager1, owner_id=staff.sales_c.pk)
    assert owner_of(customer_a) == before


@pytest.mark.parametrize(("actor", "error"), [("sales_a", Forbidden), ("manager2", NotFound), ("boss", Forbidden)])
def test_others_cannot_reassign(staff, customer_a, actor, error):
    before = owner_of(customer_a)
    with pytest.raises(error):
        services.customer_reassign(customer=customer_a, actor=getattr(staff, actor), owner_id=staff.sales_b.pk)
    assert owner_of(customer_a) == before


def test_stale_reassign_is_refused(staff, customer_a):
    services.customer_update(customer=customer_a, actor=staff.sales_a, version=1, phone="1")
    before = owner_of(customer_a)
    with pytest.raises(StaleEdit):
        services.customer_reassign(customer=customer_a, actor=staff.manager1, owner_id=staff.sales_b.pk, version=1)
    assert owner_of(customer_a) == before
