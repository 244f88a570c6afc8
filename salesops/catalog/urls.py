from django.urls import path

from . import views, views_warehouses

app_name = "catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("new/", views.ProductFormView.as_view(), name="product-create"),
    path("export.xlsx", views.ProductExportView.as_view(), name="product-export"),
    path("import/", views.ProductImportView.as_view(), name="product-import"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("<int:pk>/edit/", views.ProductFormView.as_view(), name="product-update"),
    path("warehouses/", views_warehouses.WarehouseListView.as_view(), name="warehouse-list"),
    path("warehouses/new/", views_warehouses.WarehouseFormView.as_view(), name="warehouse-create"),
    path("warehouses/<int:pk>/", views_warehouses.WarehouseDetailView.as_view(), name="warehouse-detail"),
    path("warehouses/<int:pk>/edit/", views_warehouses.WarehouseFormView.as_view(), name="warehouse-update"),
]
