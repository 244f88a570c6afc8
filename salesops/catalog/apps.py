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

        from salesops.core.services import register_importer

        from . import services
        from .permissions import PRODUCT_WRITERS

        register_importer(
            "products",
            services.product_import,
            roles=PRODUCT_WRITERS,
            done_message=_("%(count)d products imported."),
            list_url_name="catalog:product-list",
        )
