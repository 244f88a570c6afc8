from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesops.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesops.core.services import register_importer

        from . import services
        from .permissions import CUSTOMER_ASSIGNERS

        register_importer(
            "customers",
            services.customer_import,
            roles=CUSTOMER_ASSIGNERS,
            done_message=_("%(count)d customers imported."),
            list_url_name="customers:customer-list",
        )
