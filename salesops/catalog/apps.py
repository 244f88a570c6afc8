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

        from salesops.core.policy import AUTHENTICATED
        from salesops.core.services import list_url, listed_rows, register_exporter, register_importer

        from . import selectors, services
        from .permissions import PRODUCT_WRITERS
        from .spreadsheets import products_to_xlsx

        register_importer(
            "products",
            services.product_import,
            roles=PRODUCT_WRITERS,
            done_message=_("%(count)d products imported."),
            list_url_name="catalog:product-list",
        )
        register_exporter(
            "products",
            roles=(AUTHENTICATED,),
            rows=listed_rows(selectors.product_list, selectors.product_listing),
            write=lambda rows, *, user, params, progress: products_to_xlsx(rows, user=user, progress=progress),
            filename=lambda params: "products.xlsx",
            list_url=list_url("catalog:product-list"),
        )
