import pytest

from salesops.core.errors import Forbidden, InvalidInput
from salesops.customers import services
from salesops.customers.models import Competitor
from salesops.customers.tests.factories import CompetitorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ["sales_a", "manager1", "branch_mgr", "admin"])
def test_sales_roles_record_competitors(staff, actor):
    competitor = services.competitor_create(actor=getattr(staff, actor), name="某机械厂", products="收割机")
    assert Competitor.objects.get() == competitor


@pytest.mark.parametrize("actor", ["boss", "finance", "back_office", "warehouse", "technical", "purchasing"])
def test_other_roles_cannot(staff, actor):
    with pytest.raises(Forbidden):
        services.competitor_create(actor=getattr(staff, actor), name="某机械厂")
    assert not Competitor.objects.exists()


def test_update_and_duplicate_name(staff):
    first = CompetitorFactory(name="甲厂")
    CompetitorFactory(name="乙厂")
    updated = services.competitor_update(competitor=first, actor=staff.sales_a, strengths="价格低")
    assert updated.strengths == "价格低"
    with pytest.raises(InvalidInput) as caught:
        services.competitor_update(competitor=first, actor=staff.sales_a, name="乙厂")
    assert "name" in caught.value.extra["fields"]
    first.refresh_from_db()
    assert first.name == "甲厂"
