"""Pages of fulfilment: stock, and the list and page of each delivery document."""

from .delivery_forms import (
    ConfirmationRecordView,
    ConfirmationResolveView,
    NoteIssueView,
    NoteReissueView,
    OutboundBookView,
    RequisitionCreateView,
)
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
from .stock import AdjustmentView, ReceiptView, StockListView, StockMoveListView

__all__ = [
    "AdjustmentView",
    "ConfirmationDetailView",
    "ConfirmationListView",
    "ConfirmationRecordView",
    "ConfirmationResolveView",
    "DelayDetailView",
    "DelayListView",
    "NoteDetailView",
    "NoteIssueView",
    "NoteListView",
    "NoteReissueView",
    "OutboundDetailView",
    "OutboundBookView",
    "OutboundListView",
    "RedNoteDetailView",
    "RedNoteListView",
    "ReceiptView",
    "RequisitionCreateView",
    "RequisitionDetailView",
    "RequisitionListView",
    "ReturnDetailView",
    "ReturnListView",
    "StockListView",
    "StockMoveListView",
]
