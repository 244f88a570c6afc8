import datetime

import pytest
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput
from salesops.customers import services
from salesops.customers.models import MarketIntel
from salesops.customers.tests.factories import CompetitorFactory

pytestmark = pytest.mark.django_db


def test_salesperson_records_intel_about_their_customer(staff, customer_a):
    # when sales_a records what a dealer... here an end user, sells (R1)
    entry = services.intel_create(
        actor=staff.sales_a, subject="end_user", customer_id=customer_a.pk, sales_info="年采购 20 台"
    )
    # then the author, branch and department are the actor's, and the territory the customer's
    assert (entry.owner, entry.branch, entry.department) == (staff.sales_a, staff.head_office, staff.hq_sales)
    assert entry.region == customer_a.region
    assert entry.reported_on == timezone.localdate()


def test_intel_about_a_competitor(staff):
    competitor = CompetitorFactory()
    entry = services.intel_create(
        actor=staff.sales_c,
        subject="competitor",
        competitor_id=competitor.pk,
        region_id=staff.region.pk,
        product_structure="主推小型机",
    )
    assert entry.branch == staff.branch


def test_someone_elses_customer_is_refused(staff, customer_a):
    with pytest.raises(InvalidInput) as caught:
        services.intel_create(actor=staff.sales_b, subject="end_user", customer_id=customer_a.pk, sales_info="x")
    assert "customer" in caught.value.extra["fields"]
    assert not MarketIntel.objects.exists()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"subject": "competitor", "region_id": None, "market_facts": "x"}, "competitor"),
        ({"subject": "dealer", "market_facts": "x"}, "customer"),
        ({"subject": "market"}, "market_facts"),
        ({"subject": "market", "market_facts": "x"}, "region"),
        ({"subject": "market", "market_facts": "x", "reported_on": datetime.date(2999, 1, 1)}, "reported_on"),
    ],
)
def test_incomplete_entries_name_the_field(staff, fields, named):
    with pytest.raises(InvalidInput) as caught:
        services.intel_create(actor=staff.sales_a, **fields)
    assert named in caught.value.extra["fields"]
    assert not MarketIntel.objects.exists()


def test_customer_kind_must_match(staff, customer_a):
    with pytest.raises(InvalidInput):
        services.intel_create(actor=staff.sales_a, subject="dealer", customer_id=customer_a.pk, sales_info="x")


@pytest.mark.parametrize("actor", ["finance", "back_office", "warehouse", "boss"])
def test_roles_outside_sales_cannot_record(staff, actor):
    with pytest.raises(Forbidden):
        services.intel_create(
            actor=getattr(staff, actor), subject="market", region_id=staff.region.pk, market_facts="x"
        )
    assert not MarketIntel.objects.exists()
