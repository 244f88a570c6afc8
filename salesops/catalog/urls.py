from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("new/", views.ProductFormView.as_view(), name="product-create"),
    path("export.xlsx", views.ProductExportView.as_view(), name="product-export"),
    path("import/", views.ProductImportView.as_view(), name="product-import"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("<int:pk>/edit/", views.ProductFormView.as_view(), name="product-update"),
]
