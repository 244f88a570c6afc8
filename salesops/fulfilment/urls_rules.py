"""Routes of the delivery lists the rules watch (R7 due today and overdue, unconfirmed deliveries)."""

from django.urls import path

from .views import due

urlpatterns: list = [
    path("shipping-due/", due.ShippingDueView.as_view(), name="shipping-due"),
    path("unconfirmed/", due.UnconfirmedView.as_view(), name="unconfirmed"),
]
