from django.urls import path

from salesops.core.policy import AUTHENTICATED, policy

app_name = "expenses"


@policy(AUTHENTICATED)
def placeholder(request, pk=None):  # replaced by the expenses views
    from django.http import HttpResponse

    return HttpResponse("")


urlpatterns = [
    path("", placeholder, name="expense-list"),
    path("<int:pk>/", placeholder, name="expense-detail"),
    path("fees/", placeholder, name="specialfee-list"),
    path("fees/<int:pk>/", placeholder, name="specialfee-detail"),
]
