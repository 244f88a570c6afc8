from django.urls import path

from . import views

app_name = "fulfilment"

urlpatterns = [
    path("stock/", views.StockListView.as_view(), name="stock-list"),
    path("stock/moves/", views.StockMoveListView.as_view(), name="stock-move-list"),
    path("stock/receipts/new/", views.ReceiptView.as_view(), name="stock-receipt"),
    path("stock/adjustments/new/", views.AdjustmentView.as_view(), name="stock-adjustment"),
]
