"""Pages of fulfilment: stock, and the list and page of each delivery document."""

from .documents import (
    ConfirmationDetailView,
    ConfirmationListView,
    DelayDetailView,
    DelayListView,
    NoteDetailView,
    NoteListView,
    OutboundDetailView,
    OutboundListView,
    RedNoteDetailView,
    RedNoteListView,
    RequisitionDetailView,
    RequisitionListView,
    ReturnDetailView,
    ReturnListView,
)
from .due import ShippingDueView, UnconfirmedView
from .stock import AdjustmentView, ReceiptView, StockListView, StockMoveListView

__all__ = [
    "AdjustmentView",
    "ConfirmationDetailView",
    "ConfirmationListView",
    "DelayDetailView",
    "DelayListView",
    "NoteDetailView",
    "NoteListView",
    "OutboundDetailView",
    "OutboundListView",
    "RedNoteDetailView",
    "RedNoteListView",
    "ReceiptView",
    "RequisitionDetailView",
    "RequisitionListView",
    "ReturnDetailView",
    "ReturnListView",
    "ShippingDueView",
    "StockListView",
    "StockMoveListView",
    "UnconfirmedView",
]
