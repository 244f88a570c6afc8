from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "salesops.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from salesops.core import pdf

        from .printing import company_context

        pdf.set_letterhead(company_context)
