"""Receipts finance records (W5.5) and how each is allocated to invoices or orders.

An allocation is never deleted: a wrong one is reversed with a reason (``reversed_at``), which gives
its amount back to the receipt and to what it paid. The counters live on ``ReceiptBalance`` and
``OrderAccount`` (and ``InvoiceBalance``), moved by one conditional UPDATE each.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .invoices import MONEY_OFFICE, ZERO, Invoice, money_field
from .states import ReceiptMethod, ReceiptState


class Receipt(Document):
    """Money received from a customer, as finance recorded it. Its owner is the customer's
    salesperson (who sees it); ``recorded_by`` is finance."""

    NUMBER_PREFIX = "SK"
    SEE_ALL_ROLES = MONEY_OFFICE

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    received_on = models.DateField(_("date received"), db_index=True)
    method = models.CharField(_("method"), max_length=16, choices=ReceiptMethod.choices)
    amount = money_field(_("amount"))
    payer = models.CharField(_("payer"), max_length=200, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # R2: money a salesperson took from a dealer, remitted to the company on ``received_on``.
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collected by (salesperson)"),
    )
    collected_on = models.DateField(_("collected on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    state = models.CharField(_("state"), max_length=24, choices=ReceiptState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("money receipt")
        verbose_name_plural = _("money receipts")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_receipt_positive"),
            models.CheckConstraint(
                condition=Q(collected_by__isnull=True, collected_on__isnull=True)
                | Q(collected_by__isnull=False, collected_on__isnull=False, collected_on__lte=F("received_on")),
                name="receivables_receipt_collected",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("receivables:receipt-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.get_method_display()} · ¥{self.amount:,.2f} · {self.received_on}"[:200]


class ReceiptBalance(models.Model):
    receipt = models.OneToOneField(
        Receipt, on_delete=models.CASCADE, primary_key=True, related_name="balance", verbose_name=_("receipt")
    )
    amount = money_field(_("amount"))
    allocated = money_field(_("allocated"), default=ZERO)

    class Meta:
        verbose_name = _("receipt balance")
        verbose_name_plural = _("receipt balances")
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")), name="receivables_rcptbalance_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.unallocated}"

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated


class OrderAccount(models.Model):
    """What receipts paid on a contract or phone order before it was invoiced (a prepayment), never
    more than its total."""

    # ``money_account`` on the contract or order: read along with it when an invoice is recorded.
    contract = models.OneToOneField(
        "deals.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="money_account",
        verbose_name=_("contract"),
    )
    phone_order = models.OneToOneField(
        "deals.PhoneOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="money_account",
        verbose_name=_("phone or fax order"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    total = money_field(_("total"))
    prepaid = money_field(_("prepaid"), default=ZERO)

    class Meta:
        verbose_name = _("order account")
        verbose_name_plural = _("order accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=False, phone_order__isnull=True)
                | Q(contract__isnull=True, phone_order__isnull=False),
                name="receivables_orderaccount_one_source",
            ),
            models.CheckConstraint(
                condition=Q(prepaid__gte=0) & Q(prepaid__lte=F("total")), name="receivables_orderaccount_within"
            ),
        ]

    def __str__(self) -> str:
        return str(self.contract or self.phone_order)

    @property
    def source(self):
        return self.contract or self.phone_order


class AllocationQuerySet(models.QuerySet):
    def active(self) -> "AllocationQuerySet":
        return self.filter(reversed_at__isnull=True)


class Allocation(models.Model):
    """Part of a receipt applied to one invoice or one order (a prepayment)."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("receipt")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations", verbose_name=_("invoice")
    )
    order = models.ForeignKey(
        OrderAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("order"),
    )
    amount = money_field(_("amount"))
    allocated_at = models.DateTimeField(_("allocated at"), default=timezone.now)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("allocated by")
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reverse_reason = models.CharField(_("reason for reversing"), max_length=300, blank=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["allocated_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_allocation_positive"),
            models.CheckConstraint(
                condition=Q(invoice__isnull=False, order__isnull=True) | Q(invoice__isnull=True, order__isnull=False),
                name="receivables_allocation_one_target",
            ),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True) | ~Q(reverse_reason=""), name="receivables_allocation_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} → {self.invoice_id or self.order_id}: {self.amount}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
