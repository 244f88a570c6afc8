from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, InvalidInput
from salesops.customers import services
from salesops.customers.models import Customer

pytestmark = pytest.mark.django_db


def new_customer(staff, **overrides):
    fields = {"code": "N0001", "name": "新客户", "kind": "dealer", "region_id": staff.region.pk}
    return {**fields, **overrides}


def test_salesperson_creates_their_own_customer_in_their_branch_and_department(staff):
    # given a salesperson of the head office's first sales department
    # when they create a customer
    customer = services.customer_create(actor=staff.sales_a, **new_customer(staff))
    # then they own it, and branch and department are theirs
    assert customer.owner == staff.sales_a
    assert customer.branch == staff.head_office
    assert customer.department == staff.hq_sales
    assert customer.version == 1


def test_salesperson_cannot_give_the_new_customer_to_somebody_else(staff):
    # when sales_a names sales_b as owner
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.sales_a, owner_id=staff.sales_b.pk, **new_customer(staff))
    # then the owner field is named and nothing was created
    assert "owner" in caught.value.extra["fields"]
    assert not Customer.objects.exists()


def test_sales_manager_creates_a_customer_for_a_salesperson_of_the_team(staff):
    customer = services.customer_create(actor=staff.manager1, owner_id=staff.sales_b.pk, **new_customer(staff))
    assert customer.owner == staff.sales_b
    assert customer.department == staff.hq_sales


def test_sales_manager_cannot_give_a_customer_to_another_team(staff):
    # given sales_c reports to manager2, not manager1
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.manager1, owner_id=staff.sales_c.pk, **new_customer(staff))
    assert "owner" in caught.value.extra["fields"]
    assert not Customer.objects.exists()


def test_admin_creates_for_any_salesperson_and_takes_their_branch(staff):
    customer = services.customer_create(actor=staff.admin, owner_id=staff.sales_c.pk, **new_customer(staff))
    assert customer.branch == staff.branch
    assert customer.department == staff.branch_sales


def test_admin_must_name_the_salesperson(staff):
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.admin, **new_customer(staff))
    assert "owner" in caught.value.extra["fields"]


@pytest.mark.parametrize(
    "actor", ["boss", "finance", "back_office", "warehouse", "technical", "purchasing", "branch_mgr"]
)
def test_roles_that_only_read_or_have_no_access_cannot_create(staff, actor):
    with pytest.raises(Forbidden):
        services.customer_create(actor=getattr(staff, actor), **new_customer(staff))
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("credit_limit_amount", Decimal("10.005")),
        ("credit_limit_amount", Decimal("-1")),
        ("kind", "distributor"),
        ("region_id", 999999),
        ("name", ""),
    ],
)
def test_invalid_values_name_the_field_and_create_nothing(staff, field, value):
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.sales_a, **new_customer(staff, **{field: value}))
    assert field.removesuffix("_id") in caught.value.extra["fields"]
    assert not Customer.objects.exists()


def test_duplicate_code_is_refused_on_the_code_field(staff, customer_a):
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.sales_a, **new_customer(staff, code=customer_a.code))
    assert "code" in caught.value.extra["fields"]
    assert Customer.objects.count() == 1


def test_fields_set_by_the_system_cannot_be_sent(staff):
    # T14 mass assignment: branch, version and owner are set by the service
    with pytest.raises(InvalidInput) as caught:
        services.customer_create(actor=staff.sales_a, branch_id=staff.branch.pk, version=7, **new_customer(staff))
    assert set(caught.value.extra["fields"]) == {"branch_id", "version"}
    assert not Customer.objects.exists()
