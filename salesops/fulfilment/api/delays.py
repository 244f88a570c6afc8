"""Shipment delays (R7): why a signed contract ships later than the working day after signing,
sent to the manager, who accepts the reason or not."""

import datetime
from typing import Any

from django.db import transaction
from ninja import Field, Schema

from salesops.core.api import Router
from salesops.workflow.docapi import DocumentApi, DocumentOut
from salesops.workflow.registry import act_on

from .. import selectors, services
from ..models import DelayReason, DelayState, ShipmentDelay
from ..permissions import CONFIRMERS
from ..workflows import DELAY_FLOW
from .schemas import READERS, TEXT, DocumentFilters, Id

router = Router()


class DelayOut(DocumentOut):
    contract_id: int
    contract_number: str
    customer_id: int
    customer_name: str
    reason: str
    reason_label: str
    detail: str
    ship_on: datetime.date = Field(..., description="When it is expected to ship.")

    @staticmethod
    def resolve_contract_number(obj: Any) -> str:
        return obj.contract.number

    @staticmethod
    def resolve_customer_id(obj: Any) -> int:
        return obj.contract.customer_id

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return obj.contract.customer.name

    @staticmethod
    def resolve_reason_label(obj: Any) -> str:
        return str(obj.get_reason_display())


class DelayIn(Schema):
    contract_id: Id = Field(..., description="A signed contract of the caller's.")
    reason: DelayReason
    ship_on: datetime.date
    detail: str = Field("", max_length=TEXT, description="Required for ``other``.")


class DelayFilters(DocumentFilters):
    state: DelayState | None = None


@transaction.atomic
def _raise(*, actor, **fields: Any) -> ShipmentDelay:
    """Record the delay and send it to the manager at once: a delay is of use only once accepted."""
    delay = services.delay_create(actor=actor, **fields)
    return act_on(delay, "submit", actor=actor)


DELAY_API = DocumentApi(
    name="delay",
    path="/delays",
    flow=DELAY_FLOW,
    get_for=selectors.delay_get_for,
    rows=selectors.delay_list,
    listing=lambda user: selectors.delay_listing(user=user),
    readers=READERS,
    writers=CONFIRMERS,
    out=DelayOut,
    filters=DelayFilters,
    create_in=DelayIn,
    create=_raise,
    docs={
        "list": "Shipment delays (R7) in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Give the reason a contract ships late, from the regulation's list (R7), and send it to the "
        "manager. Honours ``Idempotency-Key``.",
        "transition": "The manager accepts the reason or not (``comment`` says why not).",
    },
)
DELAY_API.mount(router)
