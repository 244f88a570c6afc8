from decimal import Decimal

import pytest

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from salesops.customers import services
from salesops.customers.models import Customer

pytestmark = pytest.mark.django_db


def snapshot(customer):
    return Customer.objects.filter(pk=customer.pk).values().get()


@pytest.mark.parametrize("actor", ["sales_a", "manager1", "admin"])
def test_owner_their_manager_and_admin_may_edit(staff, customer_a, actor):
    # when the owner, their sales manager or the admin edits the profile
    updated = services.customer_update(
        customer=customer_a, actor=getattr(staff, actor), version=1, industry="农业", potential_grade="A"
    )
    # then the change is saved and the version moves on
    assert (updated.industry, updated.potential_grade, updated.version) == ("农业", "A", 2)


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        ("sales_b", NotFound),  # same department, not theirs: invisible
        ("manager2", NotFound),  # another department
        ("branch_mgr", Forbidden),  # a read-only role (and another branch)
        ("boss", Forbidden),  # leadership reads only
        ("finance", Forbidden),
        ("back_office", Forbidden),
        ("warehouse", Forbidden),
        ("technical", Forbidden),
        ("purchasing", Forbidden),
    ],
)
def test_everyone_else_is_refused_and_nothing_changes(staff, customer_a, actor, error):
    before = snapshot(customer_a)
    with pytest.raises(error):
        services.customer_update(customer=customer_a, actor=getattr(staff, actor), version=1, name="改名")
    assert snapshot(customer_a) == before


def test_branch_manager_reads_the_branch_but_may_not_write(staff, customer_c):
    before = snapshot(customer_c)
    with pytest.raises(Forbidden):
        services.customer_update(customer=customer_c, actor=staff.branch_mgr, version=1, name="改名")
    assert snapshot(customer_c) == before


def test_a_stale_version_is_refused_with_409_and_nothing_changes(staff, customer_a):
    # given somebody saved the customer (version 2)
    services.customer_update(customer=customer_a, actor=staff.sales_a, version=1, phone="0531-1")
    before = snapshot(customer_a)
    # when an editor who read version 1 saves
    with pytest.raises(StaleEdit) as caught:
        services.customer_update(customer=customer_a, actor=staff.manager1, version=1, phone="0531-2")
    # then 409 and the first save stands
    assert caught.value.status == 409
    assert snapshot(customer_a) == before


def test_invalid_money_is_refused_on_the_field(staff, customer_a):
    before = snapshot(customer_a)
    with pytest.raises(InvalidInput) as caught:
        services.customer_update(
            customer=customer_a, actor=staff.sales_a, version=1, credit_limit_amount=Decimal("1.234")
        )
    assert "credit_limit_amount" in caught.value.extra["fields"]
    assert snapshot(customer_a) == before


def test_owner_cannot_be_changed_by_an_edit(staff, customer_a):
    before = snapshot(customer_a)
    with pytest.raises(InvalidInput) as caught:
        services.customer_update(customer=customer_a, actor=staff.manager1, version=1, owner_id=staff.sales_b.pk)
    assert "owner_id" in caught.value.extra["fields"]
    assert snapshot(customer_a) == before
