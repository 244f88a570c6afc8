from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "salesops.workflow"
    label = "workflow"
    verbose_name = _("Documents and approvals")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check of the audit role)
        from .overdue import D7
        from .rules import register_rule

        register_rule(D7)
