from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "salesops.receivables"
    label = "receivables"
    verbose_name = _("Receivables")

    def ready(self) -> None:
        from salesops.workflow.registry import register_defaults, register_document

        from . import services, workflows
        from .models import Invoice, InvoiceRequest, PaymentRequest, Receipt, RedInvoiceForm, Statement, StatementState
        from .policies import ensure_defaults

        register_document(
            InvoiceRequest, flow=workflows.INVOICE_REQUEST_FLOW, services=services.INVOICE_REQUEST_SERVICES
        )
        register_document(Invoice, flow=workflows.INVOICE_FLOW, services=services.INVOICE_SERVICES)
        register_document(Receipt, flow=workflows.RECEIPT_FLOW, services=services.RECEIPT_SERVICES)
        register_document(
            PaymentRequest, flow=workflows.PAYMENT_REQUEST_FLOW, services=services.PAYMENT_REQUEST_SERVICES
        )
        register_document(RedInvoiceForm, flow=workflows.RED_FORM_FLOW, services=services.RED_FORM_SERVICES)
        register_document(
            Statement,
            flow=workflows.STATEMENT_FLOW,
            print_template="receivables/print/statement.html",
            print_states=StatementState.values,
        )
        register_defaults(ensure_defaults)
        from salesops.workflow.inbox import register_task_source

        from . import tasks_statements  # noqa: F401  (its Huey tasks: the worker imports only tasks.py modules)
        from .selectors.statements import unanswered_tasks

        register_task_source(unanswered_tasks)
        from salesops.workflow.rules import register_rule, register_rule_part

        from .rules import RULE_PARTS, RULES

        for check in RULES:
            register_rule(check)
        for part in RULE_PARTS:
            register_rule_part(part)
        post_migrate.connect(_seed, sender=self)


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
