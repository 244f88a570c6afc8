from django.urls import path

from salesops.core.policy import AUTHENTICATED, policy

app_name = "customers"


@policy(AUTHENTICATED)
def placeholder(request, pk=None):  # replaced by the customers views
    from django.http import HttpResponse

    return HttpResponse("")


urlpatterns = [
    path("", placeholder, name="customer-list"),
    path("<int:pk>/", placeholder, name="customer-detail"),
    path("intel/", placeholder, name="intel-list"),
    path("competitors/", placeholder, name="competitor-list"),
]
