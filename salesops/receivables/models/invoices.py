"""Invoice requests (发票申请表, W6.1-6.2) and the 数电 invoices finance records (W6.3).

salesops prepares and records invoices; it does not issue them. An SME issues on the tax bureau's
e-invoice service platform itself; the invoice recorded here carries the platform's 20-digit number
and the snapshots of buyer and seller as printed. An issued 数电 invoice is never voided: a red
invoice (negative amounts, ``red_of`` its blue one) reverses it in full or in part.

Money counters live beside the documents, on ``InvoiceBalance`` (one row per blue invoice): a
document's own row is written only through the kernel, while allocations and red invoices move
the counters with one conditional UPDATE each, held in order by CHECK constraints.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.models import Document

from .states import InvoiceKind, InvoiceRequestState, InvoiceState, SendMethod

ZERO = Decimal("0")
# Who sees every document of the money side (besides leadership and admin).
MONEY_OFFICE = frozenset({Role.FINANCE, Role.BACK_OFFICE})


def money_field(label: Any, **extra: Any) -> models.DecimalField:
    """CNY to the fen."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, **extra)


def quantity_field(label: Any, **extra: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=3, **extra)


def rate_field(label: Any, **extra: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=4, **extra)


class BuyerFields(models.Model):
    """The buyer as the invoice names them (发票抬头 and 统一社会信用代码), copied from the customer
    when the request is raised and kept as asked."""

    buyer_title = models.CharField(_("invoice title"), max_length=200)
    buyer_tax_id = models.CharField(_("buyer's taxpayer ID"), max_length=20, blank=True)
    buyer_address_phone = models.CharField(_("buyer's address and phone"), max_length=300, blank=True)
    buyer_bank_account = models.CharField(_("buyer's bank and account"), max_length=300, blank=True)
    buyer_email = models.EmailField(_("invoice e-mail"), blank=True)
    buyer_phone = models.CharField(_("invoice phone"), max_length=30, blank=True)

    class Meta:
        abstract = True


class InvoiceRequest(Document, BuyerFields):
    """Invoice request (发票申请表), W6.1-6.2: the salesperson asks for an invoice of delivered lines
    (or, before delivery, an advance invoice 预开票 the manager approves); sales reviews it; finance
    issues it on the platform and records it. The sales office archives it (R10)."""

    NUMBER_PREFIX = "KP"
    SEE_ALL_ROLES = MONEY_OFFICE

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    contract = models.ForeignKey(
        "deals.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contract")
    )
    phone_order = models.ForeignKey(
        "deals.PhoneOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phone or fax order"),
    )
    kind = models.CharField(_("invoice kind"), max_length=10, choices=InvoiceKind.choices)
    advance = models.BooleanField(_("advance invoice (before delivery)"), default=False)
    remark = models.CharField(_("remark on the invoice"), max_length=200, blank=True)
    total_amount = money_field(_("total incl. tax"), default=ZERO, editable=False)
    # R10 counts the archiving deadline from the invoice's recording.
    invoiced_at = models.DateTimeField(_("invoiced at"), null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("archived by"),
    )
    state = models.CharField(
        _("state"), max_length=24, choices=InvoiceRequestState.choices, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=False, phone_order__isnull=True)
                | Q(contract__isnull=True, phone_order__isnull=False),
                name="receivables_invreq_one_source",
            ),
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="receivables_invreq_total_nonneg"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("receivables:invoicerequest-detail", args=[self.pk])

    def approval_amount(self) -> Decimal | None:
        return self.total_amount

    def approval_flags(self) -> set[str]:
        """An advance invoice (before delivery) needs the manager's approval (a flagged step)."""
        return {"advance"} if self.advance else set()

    @property
    def source(self) -> Any:
        return self.contract or self.phone_order

    def task_summary(self) -> str:
        advance = f" · {_('advance invoice')}" if self.advance else ""
        return f"{self.customer.name} · {self.get_kind_display()} · ¥{self.total_amount:,.2f}{advance}"[:200]


class InvoiceRequestLine(models.Model):
    """One sold line billed: quantity, the tax-inclusive unit price of the sale, and its tax rate."""

    request = models.ForeignKey(
        InvoiceRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice request")
    )
    order_line = models.ForeignKey(
        "fulfilment.OrderLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("sold line")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price incl. tax"))
    amount = money_field(_("amount incl. tax"))
    tax_rate = rate_field(_("tax rate"))

    class Meta:
        verbose_name = _("invoice request line")
        verbose_name_plural = _("invoice request lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receivables_invreqline_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="receivables_invreqline_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class Invoice(Document, BuyerFields):
    """A 数电 invoice as issued on the platform (W6.3), or a red invoice reversing one (negative
    amounts, ``red_of``). Recorded by finance by hand or imported from the platform's file; never
    edited, never voided."""

    NUMBER_PREFIX = "FP"
    SEE_ALL_ROLES = MONEY_OFFICE

    request = models.ForeignKey(
        InvoiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("invoice request"),
    )
    red_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reds", verbose_name=_("red invoice of")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    contract = models.ForeignKey(
        "deals.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contract")
    )
    phone_order = models.ForeignKey(
        "deals.PhoneOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phone or fax order"),
    )
    kind = models.CharField(_("invoice kind"), max_length=10, choices=InvoiceKind.choices)
    invoice_number = models.CharField(_("invoice number (20 digits)"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"), db_index=True)
    seller_title = models.CharField(_("seller"), max_length=200)
    seller_tax_id = models.CharField(_("seller's taxpayer ID"), max_length=20, blank=True)
    remark = models.CharField(_("remark on the invoice"), max_length=200, blank=True)
    total_net = money_field(_("amount excl. tax"))
    total_tax = money_field(_("tax"))
    total_amount = money_field(_("total incl. tax"))
    # The buyer confirmed the invoice's use in their tax account (用途确认): a partial red invoice
    # is possible only after it (and only for returns and discounts).
    use_confirmed = models.BooleanField(_("use confirmed by the buyer"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    state = models.CharField(_("state"), max_length=24, choices=InvoiceState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(red_of__isnull=True, total_amount__gte=0, total_net__gte=0)
                | Q(red_of__isnull=False, total_amount__lt=0, total_net__lte=0),
                name="receivables_invoice_sign",
            ),
            models.CheckConstraint(
                condition=Q(total_amount=F("total_net") + F("total_tax")), name="receivables_invoice_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.invoice_number})"

    def get_absolute_url(self) -> str:
        return reverse("receivables:invoice-detail", args=[self.pk])

    @property
    def is_red(self) -> bool:
        return self.red_of_id is not None

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.invoice_number} · ¥{self.total_amount:,.2f}"[:200]


class InvoiceLine(models.Model):
    """One line as printed: ``*简称*名称``, the 19-digit tax classification code, quantity, unit price
    and amount excluding tax, the rate and the tax; each within the bureau's tolerances."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    request_line = models.ForeignKey(
        InvoiceRequestLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice request line"),
    )
    order_line = models.ForeignKey(
        "fulfilment.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sold line"),
    )
    blue_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("blue line")
    )
    name = models.CharField(_("item name"), max_length=200)
    tax_code = models.CharField(_("tax classification code"), max_length=19, blank=True)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    quantity = quantity_field(_("quantity"), null=True, blank=True)
    unit_price = models.DecimalField(_("unit price excl. tax"), max_digits=24, decimal_places=8, null=True, blank=True)
    amount = money_field(_("amount excl. tax"))
    tax_rate = rate_field(_("tax rate"))
    tax = money_field(_("tax"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_with_tax(self) -> Decimal:
        return self.amount + self.tax


class InvoiceBalance(models.Model):
    """A blue invoice's money: its total, what red invoices reversed and what receipts paid.
    Open = total − reversed − allocated, never below zero (a CHECK)."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.CASCADE, primary_key=True, related_name="balance", verbose_name=_("invoice")
    )
    total = money_field(_("total incl. tax"))
    reversed = money_field(_("red-invoiced"), default=ZERO)
    allocated = money_field(_("paid"), default=ZERO)

    class Meta:
        verbose_name = _("invoice balance")
        verbose_name_plural = _("invoice balances")
        constraints = [
            models.CheckConstraint(
                condition=Q(reversed__gte=0) & Q(allocated__gte=0) & Q(total__gte=F("reversed") + F("allocated")),
                name="receivables_invbalance_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.open_amount}"

    @property
    def open_amount(self) -> Decimal:
        return self.total - self.reversed - self.allocated


class InvoiceDispatch(models.Model):
    """The invoice dispatch register (R9): how, when and to whom an invoice went; a signature only
    when a paper copy is handed over."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("invoice"))
    method = models.CharField(_("sent by"), max_length=12, choices=SendMethod.choices)
    sent_to = models.CharField(_("sent to"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"))
    signed_by = models.CharField(_("signed for by"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("invoice dispatch")
        verbose_name_plural = _("invoice dispatches")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(method="hand") | ~Q(signed_by=""), name="receivables_dispatch_signed"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} → {self.sent_to}"
