"""Routes of the return, red note and shipment delay forms."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("returns/new/", views.ReturnCreateView.as_view(), name="return-create"),
    path("returns/<int:pk>/check/", views.ReturnCheckView.as_view(), name="return-check"),
    path("returns/<int:pk>/verify/", views.ReturnVerifyView.as_view(), name="return-verify"),
    path("returns/<int:pk>/fail/", views.ReturnFailView.as_view(), name="return-fail"),
    path("returns/<int:pk>/red-note/", views.RedNoteIssueView.as_view(), name="return-issue-red"),
    path("returns/<int:pk>/exchange-note/", views.ExchangeNoteIssueView.as_view(), name="return-exchange-note"),
    path("delays/new/", views.DelayCreateView.as_view(), name="delay-create"),
]
