"""Many delivery documents at once, for the tests of lists past their first page: written straight
into the tables (a few statements), each document complete enough for its page and its API row,
owned by the given salesperson and numbered in a month no real document reaches."""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.utils import timezone

from salesops.catalog.models import Warehouse
from salesops.catalog.tests.factories import WarehouseFactory
from salesops.deals.models import Contract
from salesops.deals.tests import contract_factories as cf
from salesops.fulfilment.models import (
    Confirmation,
    DeliveryNote,
    Outbound,
    RedNote,
    Requisition,
    ReturnRequest,
    ShipmentDelay,
)

PERIOD = "209901"


def _head(model: Any, n: int, owner, state: str) -> dict[str, Any]:
    return {
        "number": f"{model.NUMBER_PREFIX}{PERIOD}{n:04d}",
        "state": state,
        "owner": owner,
        "branch_id": owner.branch_id,
        "department_id": owner.department_id,
    }


def _make(model: Any, count: int, owner, state: str, **fields: Any) -> list[Any]:
    return model.objects.bulk_create(model(**_head(model, n, owner, state), **fields) for n in range(1, count + 1))


def _contract(staff, owner) -> Contract:
    return cf.signed_contract(staff, cf.Deal(staff, owner or staff.sales_a))


def requisitions(staff, count: int, owner=None) -> list[Requisition]:
    contract = _contract(staff, owner)
    return _make(
        Requisition,
        count,
        contract.owner,
        "draft",
        contract=contract,
        customer_id=contract.customer_id,
        warehouse=cast(Warehouse, WarehouseFactory(branch=staff.head_office)),
        address="山东省潍坊市奎文区胜利东街 88 号",
        consignee="王经理",
        consignee_phone="13800000000",
    )


def notes(staff, count: int, owner=None) -> list[DeliveryNote]:
    requisition = requisitions(staff, 1, owner)[0]
    return _make(
        DeliveryNote,
        count,
        requisition.owner,
        "issued",
        requisition=requisition,
        customer_id=requisition.customer_id,
        warehouse_id=requisition.warehouse_id,
        address=requisition.address,
        consignee=requisition.consignee,
        consignee_phone=requisition.consignee_phone,
        issued_by=staff.back_office,
    )


def outbounds(staff, count: int, owner=None) -> list[Outbound]:
    note = notes(staff, 1, owner)[0]
    return _make(
        Outbound,
        count,
        note.owner,
        "shipped",
        note=note,
        customer_id=note.customer_id,
        warehouse_id=note.warehouse_id,
        shipped_on=timezone.localdate(),
        method="express",
        carrier="顺丰速运",
        tracking_numbers=["SF1234567890123"],
        consignee_phone=note.consignee_phone,
        freight_payer="company",
        booked_by=staff.warehouse,
    )


def confirmations(staff, count: int, owner=None) -> list[Confirmation]:
    shipped = outbounds(staff, count, owner)
    first = shipped[0]
    return Confirmation.objects.bulk_create(
        Confirmation(
            **_head(Confirmation, n, first.owner, "recorded"),
            outbound=outbound,
            customer_id=outbound.customer_id,
            signed_by="王经理",
            signed_on=timezone.localdate(),
            sign_kind="stamp",
        )
        for n, outbound in enumerate(shipped, start=1)
    )


def returns(staff, count: int, owner=None, state: str = "draft") -> list[ReturnRequest]:
    note = notes(staff, 1, owner)[0]
    return _make(ReturnRequest, count, note.owner, state, customer_id=note.customer_id, kind="return", reason="划伤")


def red_notes(staff, count: int, owner=None) -> list[RedNote]:
    request = returns(staff, 1, owner, state="red_issued")[0]
    return _make(
        RedNote,
        count,
        request.owner,
        "issued",
        return_request=request,
        customer_id=request.customer_id,
        warehouse_id=DeliveryNote.objects.get(customer_id=request.customer_id).warehouse_id,
        issued_by=staff.back_office,
    )


def delays(staff, count: int, owner=None) -> list[ShipmentDelay]:
    contract = _contract(staff, owner)
    return _make(
        ShipmentDelay,
        count,
        contract.owner,
        "pending",
        contract=contract,
        reason="transport",
        ship_on=timezone.localdate() + datetime.timedelta(days=2),
    )


# list name -> how to make ``count`` documents of ``owner``'s (default: sales_a)
MAKERS: dict[str, Callable[..., list[Any]]] = {
    "requisition": requisitions,
    "note": notes,
    "outbound": outbounds,
    "confirmation": confirmations,
    "return": returns,
    "rednote": red_notes,
    "delay": delays,
}
