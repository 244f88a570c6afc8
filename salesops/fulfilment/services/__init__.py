"""Every change fulfilment makes: stock, requisitions, delivery notes, outbounds, confirmations,
returns and red notes, shipment delays. One module per family; this package names them all."""

from .delays import delay_create
from .notes import NOTE_SERVICES, note_close, note_issue, note_reissue, note_void
from .picking import Pick
from .requisitions import (
    REQUISITION_SERVICES,
    requisition_approve,
    requisition_archive,
    requisition_cancel,
    requisition_create,
    requisition_submit,
)
from .returns import (
    RED_NOTE_SERVICES,
    RETURN_SERVICES,
    red_note_issue,
    red_note_receive,
    red_note_void,
    return_cancel,
    return_check,
    return_confirm_red,
    return_create,
    return_submit,
    return_verify,
)
from .shipping import (
    CONFIRMATION_SERVICES,
    Discrepancy,
    Shipment,
    confirmation_archive,
    confirmation_record,
    confirmation_resolve,
    outbound_book,
)
from .stock import StockLine, checked_quantity, scale_of, stock_adjust, stock_put, stock_receive, stock_take

__all__ = [
    "CONFIRMATION_SERVICES",
    "NOTE_SERVICES",
    "RED_NOTE_SERVICES",
    "REQUISITION_SERVICES",
    "RETURN_SERVICES",
    "Discrepancy",
    "Pick",
    "Shipment",
    "StockLine",
    "checked_quantity",
    "confirmation_archive",
    "confirmation_record",
    "confirmation_resolve",
    "delay_create",
    "note_close",
    "note_issue",
    "note_reissue",
    "note_void",
    "outbound_book",
    "red_note_issue",
    "red_note_receive",
    "red_note_void",
    "requisition_approve",
    "requisition_archive",
    "requisition_cancel",
    "requisition_create",
    "requisition_submit",
    "return_cancel",
    "return_check",
    "return_confirm_red",
    "return_create",
    "return_submit",
    "return_verify",
    "scale_of",
    "stock_adjust",
    "stock_put",
    "stock_receive",
    "stock_take",
]
