from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "salesops.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from salesops.core import fieldvisibility

        from .models import Product
        from .permissions import PRODUCT_FIELDS

        fieldvisibility.register(Product, PRODUCT_FIELDS)
