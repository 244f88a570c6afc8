"""The invoice dispatch register (R9): every invoice sent, how, when and to whom, scoped by the
invoices the reader sees (finance and the sales office all; a salesperson their customers')."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter, Listing

from ..models import Invoice, InvoiceDispatch, SendMethod


def dispatch_list(*, user) -> QuerySet[InvoiceDispatch]:
    return InvoiceDispatch.objects.filter(invoice__in=Invoice.objects.visible_to(user)).select_related(
        "invoice", "invoice__customer", "recorded_by"
    )


def dispatch_listing(*, user=None) -> Listing:
    return Listing(
        search_fields=("invoice__invoice_number", "invoice__number", "invoice__customer__name", "sent_to", "signed_by"),
        orderings={"sent": "sent_at", "customer": "invoice__customer__name"},
        default_ordering="-sent",
        filters=(Filter("method", "method", gettext_lazy("Sent by"), list(SendMethod.choices)),),
    )
