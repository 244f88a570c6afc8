"""Payment request (付款申请表), W5.2-5.4: the salesperson asks the customer to pay what is due; the
sales manager and finance confirm it; it is printed with the stamp and the amount in capitals
(大写) and sent to the customer."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .invoices import MONEY_OFFICE, ZERO, Invoice, money_field
from .receipts import OrderAccount
from .states import PaymentRequestState, SendMethod


class PaymentRequest(Document):
    NUMBER_PREFIX = "FK"
    SEE_ALL_ROLES = MONEY_OFFICE

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    pay_by = models.DateField(_("please pay by"))
    note = models.TextField(_("note"), blank=True)
    total_amount = money_field(_("amount requested"), default=ZERO, editable=False)
    sent_by = models.CharField(_("sent by"), max_length=12, choices=SendMethod.choices, blank=True, editable=False)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=24, choices=PaymentRequestState.choices, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="receivables_payreq_total_nonneg"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("receivables:paymentrequest-detail", args=[self.pk])

    def approval_amount(self) -> Decimal | None:
        return self.total_amount

    def task_summary(self) -> str:
        return f"{self.customer.name} · ¥{self.total_amount:,.2f} · {self.pay_by}"[:200]


class PaymentRequestLine(models.Model):
    """One amount asked for: an open invoice, or an order's prepayment."""

    request = models.ForeignKey(
        PaymentRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("payment request")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("invoice")
    )
    order = models.ForeignKey(
        OrderAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("order")
    )
    amount = money_field(_("amount"))
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment request line")
        verbose_name_plural = _("payment request lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_payreqline_positive"),
            models.CheckConstraint(
                condition=Q(invoice__isnull=False, order__isnull=True) | Q(invoice__isnull=True, order__isnull=False),
                name="receivables_payreqline_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id or self.order_id}: {self.amount}"
