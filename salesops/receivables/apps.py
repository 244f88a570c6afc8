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
        from .models import InvoiceRequestState as Q
        from .models import PaymentRequestState as P
        from .policies import ensure_defaults

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
        register_defaults(ensure_defaults)
        register_task_sources()
        register_sections()
        post_migrate.connect(_seed, sender=self)


def register_task_sources() -> None:
    from salesops.workflow.inbox import register_task_source

    from .selectors.tasks import TASK_SOURCES

    for source in TASK_SOURCES:
        register_task_source(source)


def register_sections() -> None:
    from .views.sections import register

    register()


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
