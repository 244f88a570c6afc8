from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesops.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesops.core.services import list_url, listed_rows, register_exporter, register_importer

        from . import selectors, services
        from .permissions import CUSTOMER_ASSIGNERS, CUSTOMER_READERS
        from .spreadsheets import customers_to_xlsx

        register_importer(
            "customers",
            services.customer_import,
            roles=CUSTOMER_ASSIGNERS,
            done_message=_("%(count)d customers imported."),
            list_url_name="customers:customer-list",
        )
        register_exporter(
            "customers",
            roles=CUSTOMER_READERS,
            rows=listed_rows(selectors.customer_list, selectors.customer_listing),
            write=lambda rows, *, user, params, progress: customers_to_xlsx(rows, progress=progress),
            filename=lambda params: "customers.xlsx",
            list_url=list_url("customers:customer-list"),
        )
