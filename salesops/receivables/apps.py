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
        from .models import Invoice, InvoiceRequest, PaymentRequest, Receipt
        from .policies import ensure_defaults

        register_document(
            InvoiceRequest, flow=workflows.INVOICE_REQUEST_FLOW, services=services.INVOICE_REQUEST_SERVICES
        )
        register_document(Invoice, flow=workflows.INVOICE_FLOW, services=services.INVOICE_SERVICES)
        register_document(Receipt, flow=workflows.RECEIPT_FLOW, services=services.RECEIPT_SERVICES)
        register_document(
            PaymentRequest, flow=workflows.PAYMENT_REQUEST_FLOW, services=services.PAYMENT_REQUEST_SERVICES
        )
        register_defaults(ensure_defaults)
        # The instruments register (R9, R12): the document type, its rule, finance's tasks.
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.rules import register_rule

        from .models.instruments import Instrument
        from .rules_instruments import R12
        from .selectors.instruments import instrument_tasks
        from .workflows_instruments import INSTRUMENT_FLOW

        register_document(Instrument, flow=INSTRUMENT_FLOW, services=services.INSTRUMENT_SERVICES)
        register_rule(R12)
        register_task_source(instrument_tasks)
        post_migrate.connect(_seed, sender=self)


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
