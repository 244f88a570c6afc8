from django.urls import path

from . import urls_delivery, urls_returns, urls_rules, views

app_name = "fulfilment"


def document_routes(prefix: str, name: str, list_view, detail_view) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
    ]


urlpatterns = [
    path("stock/", views.StockListView.as_view(), name="stock-list"),
    path("stock/moves/", views.StockMoveListView.as_view(), name="stock-move-list"),
    path("stock/receipts/new/", views.ReceiptView.as_view(), name="stock-receipt"),
    path("stock/adjustments/new/", views.AdjustmentView.as_view(), name="stock-adjustment"),
    *document_routes("requisitions", "requisition", views.RequisitionListView, views.RequisitionDetailView),
    *document_routes("notes", "note", views.NoteListView, views.NoteDetailView),
    *document_routes("outbounds", "outbound", views.OutboundListView, views.OutboundDetailView),
    *document_routes("confirmations", "confirmation", views.ConfirmationListView, views.ConfirmationDetailView),
    *document_routes("returns", "return", views.ReturnListView, views.ReturnDetailView),
    *document_routes("red-notes", "rednote", views.RedNoteListView, views.RedNoteDetailView),
    *document_routes("delays", "delay", views.DelayListView, views.DelayDetailView),
    *urls_delivery.urlpatterns,
    *urls_returns.urlpatterns,
    *urls_rules.urlpatterns,
]
