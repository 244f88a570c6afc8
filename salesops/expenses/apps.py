from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "salesops.expenses"
    label = "expenses"
    verbose_name = _("Expenses")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source

        from .selectors import payment_tasks

        register_task_source(payment_tasks)
