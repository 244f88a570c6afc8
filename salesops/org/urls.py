from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("tokens/", views.ApiTokenListView.as_view(), name="api-token-list"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path("calendar/", views.CalendarYearListView.as_view(), name="calendar-years"),
    path("calendar/<int:year>/enter/", views.CalendarYearEnterView.as_view(), name="calendar-year-enter"),
]
