from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "salesops.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from salesops.workflow.registry import register_defaults

        from .policies import ensure_default_policies

        register_defaults(ensure_default_policies)
