from django.urls import path

from salesops.core.policy import AUTHENTICATED, policy

app_name = "catalog"


@policy(AUTHENTICATED)
def placeholder(request, pk=None):  # replaced by the catalog views
    from django.http import HttpResponse

    return HttpResponse("")


urlpatterns = [
    path("", placeholder, name="product-list"),
    path("<int:pk>/", placeholder, name="product-detail"),
]
