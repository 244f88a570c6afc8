from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "salesops.receivables"
    label = "receivables"
    verbose_name = _("Receivables")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document
        from salesops.workflow.rules import register_rule, register_rule_part

        from . import (
            services,
            tasks_statements,  # noqa: F401  (its Huey tasks: the worker imports only tasks.py modules)
            workflows,
        )
        from .models import (
            Instrument,
            Invoice,
            InvoiceRequest,
            PaymentRequest,
            Receipt,
            RedInvoiceForm,
            Statement,
            StatementState,
        )
        from .models import InvoiceRequestState as Q
        from .models import PaymentRequestState as P
        from .policies import ensure_defaults
        from .rules import RULE_PARTS, RULES
        from .rules_instruments import R12
        from .selectors.instruments import instrument_tasks
        from .selectors.redtasks import red_invoice_tasks
        from .selectors.statements import unanswered_tasks
        from .selectors.tasks import TASK_SOURCES
        from .views.sections import register as register_sections
        from .workflows_instruments import INSTRUMENT_FLOW

        register_document(
            InvoiceRequest,
            flow=workflows.INVOICE_REQUEST_FLOW,
            services=services.INVOICE_REQUEST_SERVICES,
            print_template="receivables/print/invoicerequest.html",
            print_states=(Q.APPROVED, Q.INVOICED, Q.ARCHIVED),
        )
        register_document(Invoice, flow=workflows.INVOICE_FLOW, services=services.INVOICE_SERVICES)
        register_document(Receipt, flow=workflows.RECEIPT_FLOW, services=services.RECEIPT_SERVICES)
        register_document(
            PaymentRequest,
            flow=workflows.PAYMENT_REQUEST_FLOW,
            services=services.PAYMENT_REQUEST_SERVICES,
            print_template="receivables/print/paymentrequest.html",
            print_states=(P.APPROVED, P.SENT),
        )
        register_document(RedInvoiceForm, flow=workflows.RED_FORM_FLOW, services=services.RED_FORM_SERVICES)
        register_document(
            Statement,
            flow=workflows.STATEMENT_FLOW,
            print_template="receivables/print/statement.html",
            print_states=StatementState.values,
        )
        # The instruments register (R9, R12).
        register_document(Instrument, flow=INSTRUMENT_FLOW, services=services.INSTRUMENT_SERVICES)
        register_defaults(ensure_defaults)
        for source in (*TASK_SOURCES, red_invoice_tasks, instrument_tasks, unanswered_tasks):
            register_task_source(source)
        for check in (*RULES, R12):
            register_rule(check)
        for part in RULE_PARTS:
            register_rule_part(part)
        register_sections()
        post_migrate.connect(_seed, sender=self)


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
