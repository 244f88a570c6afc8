from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("tokens/", views.ApiTokenListView.as_view(), name="api-token-list"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
]
