import pytest

from salesops.catalog import services
from salesops.catalog.models import Warehouse
from salesops.catalog.tests.factories import WarehouseFactory
from salesops.core.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_admin_adds_a_warehouse_with_a_keeper(staff):
    warehouse = services.warehouse_create(
        actor=staff.admin, code="W1", name="济南成品库", branch_id=staff.head_office.pk, keeper_id=staff.warehouse.pk
    )
    assert warehouse.keeper == staff.warehouse


def test_the_keeper_must_be_a_warehouse_keeper(staff):
    with pytest.raises(InvalidInput) as caught:
        services.warehouse_create(
            actor=staff.admin, code="W1", name="库", branch_id=staff.head_office.pk, keeper_id=staff.sales_a.pk
        )
    assert "keeper" in caught.value.extra["fields"]
    assert not Warehouse.objects.exists()


@pytest.mark.parametrize("actor", ["back_office", "warehouse", "boss"])
def test_only_admin_keeps_warehouses(staff, actor):
    with pytest.raises(Forbidden):
        services.warehouse_create(actor=getattr(staff, actor), code="W1", name="库", branch_id=staff.head_office.pk)
    warehouse = WarehouseFactory(branch=staff.head_office, name="原库")
    with pytest.raises(Forbidden):
        services.warehouse_update(warehouse=warehouse, actor=getattr(staff, actor), name="新库")
    warehouse.refresh_from_db()
    assert warehouse.name == "原库"


def test_admin_updates_a_warehouse(staff):
    warehouse = WarehouseFactory(branch=staff.head_office)
    assert services.warehouse_update(warehouse=warehouse, actor=staff.admin, is_active=False).is_active is False
