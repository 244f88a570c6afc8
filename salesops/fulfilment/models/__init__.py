"""Fulfilment's tables: stock and its ledger; what each sold line still has open; the delivery
documents (requisition, delivery note, outbound, customer confirmation); returns and exchanges
(return request, red outbound note); shipment delays (R7) and the app's settings."""

from .delivery import (
    Confirmation,
    ConfirmationLine,
    DeliveryNote,
    DeliveryNoteLine,
    Outbound,
    OutboundLine,
)
from .orders import FulfilmentSettings, OrderLine, Requisition, RequisitionLine, ShipmentDelay
from .returns import RedNote, RedNoteLine, ReturnLine, ReturnRequest
from .states import (
    ConfirmationState,
    DelayReason,
    DelayState,
    FreightPayer,
    NoteState,
    OutboundState,
    RedNoteState,
    RequisitionState,
    ReturnKind,
    ReturnState,
    ShippingMethod,
    SignKind,
)
from .stock import MoveKind, StockLevel, StockMove

__all__ = [
    "Confirmation",
    "ConfirmationLine",
    "ConfirmationState",
    "DelayReason",
    "DelayState",
    "DeliveryNote",
    "DeliveryNoteLine",
    "FreightPayer",
    "FulfilmentSettings",
    "MoveKind",
    "NoteState",
    "OrderLine",
    "Outbound",
    "OutboundLine",
    "OutboundState",
    "RedNote",
    "RedNoteLine",
    "RedNoteState",
    "Requisition",
    "RequisitionLine",
    "RequisitionState",
    "ReturnKind",
    "ReturnLine",
    "ReturnRequest",
    "ReturnState",
    "ShipmentDelay",
    "ShippingMethod",
    "SignKind",
    "StockLevel",
    "StockMove",
]
