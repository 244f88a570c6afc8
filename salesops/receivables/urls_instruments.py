"""Routes of the instruments register (names under the ``receivables:`` namespace); the receivables
URLconf includes ``urlpatterns``."""

from django.urls import path

from . import views_instruments as views

urlpatterns = [
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/new/", views.InstrumentCreateView.as_view(), name="instrument-create"),
    path("instruments/<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    path("instruments/<int:pk>/endorse/", views.InstrumentEndorseView.as_view(), name="instrument-endorse"),
    path("instruments/<int:pk>/discount/", views.InstrumentDiscountView.as_view(), name="instrument-discount"),
    path("instruments/<int:pk>/collect/", views.InstrumentCollectView.as_view(), name="instrument-collect"),
    path(
        "instruments/<int:pk>/link-receipt/",
        views.InstrumentLinkReceiptView.as_view(),
        name="instrument-link-receipt",
    ),
]
