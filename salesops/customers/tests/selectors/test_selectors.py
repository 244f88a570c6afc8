import pytest

from salesops.core.errors import NotFound
from salesops.customers import selectors
from salesops.customers.tests.factories import MarketIntelFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ["warehouse", "technical", "purchasing"])
def test_roles_without_customers_see_an_empty_list_and_404(staff, customer_a, actor):
    user = getattr(staff, actor)
    assert not selectors.customer_list(user=user).exists()
    with pytest.raises(NotFound):
        selectors.customer_get_for(user=user, pk=customer_a.pk)
    with pytest.raises(NotFound):
        selectors.contact_list(user=user, customer_id=customer_a.pk)


@pytest.mark.parametrize(
    ("actor", "codes"),
    [
        ("sales_a", {"CA0001"}),
        ("sales_b", set()),
        ("manager1", {"CA0001"}),
        ("manager2", {"CC0001"}),
        ("branch_mgr", {"CC0001"}),
        ("boss", {"CA0001", "CC0001"}),
        ("finance", {"CA0001", "CC0001"}),
        ("back_office", {"CA0001", "CC0001"}),
        ("admin", {"CA0001", "CC0001"}),
    ],
)
def test_customer_list_is_scoped(staff, customer_a, customer_c, actor, codes):
    assert set(selectors.customer_list(user=getattr(staff, actor)).values_list("code", flat=True)) == codes


def test_assignable_owners(staff):
    names = lambda user: {u.username for u in selectors.assignable_owners(user=user)}  # noqa: E731
    assert names(staff.sales_a) == {"sales_a"}
    assert names(staff.manager1) == {"manager1", "sales_a", "sales_b"}
    assert names(staff.manager2) == {"manager2", "sales_c"}
    assert names(staff.admin) == {"manager1", "manager2", "sales_a", "sales_b", "sales_c"}


def test_intel_is_scoped_like_customers_but_not_open_to_finance(staff):
    MarketIntelFactory(owner=staff.sales_a, region=staff.region)
    MarketIntelFactory(owner=staff.sales_c, region=staff.region)
    count = lambda user: selectors.intel_list(user=user).count()  # noqa: E731
    assert (count(staff.sales_a), count(staff.sales_b), count(staff.manager1), count(staff.branch_mgr)) == (1, 0, 1, 1)
    assert (count(staff.boss), count(staff.finance), count(staff.back_office)) == (2, 0, 0)


def test_competitors_are_for_the_sales_roles(staff):
    from salesops.customers.tests.factories import CompetitorFactory

    CompetitorFactory()
    assert selectors.competitor_list(user=staff.sales_a).count() == 1
    assert selectors.competitor_list(user=staff.finance).count() == 0
