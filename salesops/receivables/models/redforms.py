"""Red-invoice forms (红字发票信息确认单): how an issued 数电 invoice is reversed.

An issued 数电 invoice is never voided. The seller (or the buyer) raises a form on the platform
against the blue invoice, with a reason; when the buyer had confirmed the invoice's use, the other
party has 72 hours to confirm it (else the platform drops it); without that confirmation none is
needed. A partial form (some lines, or part of their amounts) only when the buyer confirmed use and
the reason is a return or a discount; otherwise the form is full, and what the customer keeps is
invoiced again on a new blue request. Once confirmed, finance records the red invoice issued from it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .invoices import MONEY_OFFICE, ZERO, Invoice, InvoiceLine, money_field, quantity_field
from .states import RedFormState, RedInitiator, RedReason

CONFIRM_WITHIN = datetime.timedelta(hours=72)


class RedInvoiceForm(Document):
    NUMBER_PREFIX = "HQ"
    SEE_ALL_ROLES = MONEY_OFFICE

    blue = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="red_forms", verbose_name=_("blue invoice")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=RedReason.choices)
    initiator = models.CharField(_("raised by"), max_length=8, choices=RedInitiator.choices)
    full = models.BooleanField(_("full reversal"), default=True)
    return_request = models.ForeignKey(
        "fulfilment.ReturnRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return"),
    )
    platform_number = models.CharField(_("form number on the platform"), max_length=30, blank=True)
    raised_at = models.DateTimeField(_("raised at"), null=True, blank=True, editable=False)
    confirm_by = models.DateTimeField(_("to confirm by"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    total_amount = money_field(_("amount to reverse incl. tax"), default=ZERO, editable=False)
    red_invoice = models.OneToOneField(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_form",
        editable=False,
        verbose_name=_("red invoice"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    state = models.CharField(_("state"), max_length=24, choices=RedFormState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("red-invoice form")
        verbose_name_plural = _("red-invoice forms")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="receivables_redform_positive"),
            models.CheckConstraint(
                condition=Q(full=True) | Q(reason__in=["return", "discount"]), name="receivables_redform_partial_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("receivables:redform-detail", args=[self.pk])

    def task_summary(self) -> str:
        by = f" · {_('confirm by')} {self.confirm_by:%Y-%m-%d %H:%M}" if self.confirm_by else ""
        return f"{self.customer.name} · {self.get_reason_display()} · ¥{self.total_amount:,.2f}{by}"[:200]


class RedInvoiceFormLine(models.Model):
    """What one blue line gives back: a quantity (a return) and an amount including tax."""

    form = models.ForeignKey(
        RedInvoiceForm, on_delete=models.CASCADE, related_name="lines", verbose_name=_("red-invoice form")
    )
    blue_line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("blue line"))
    quantity = quantity_field(_("quantity"), null=True, blank=True)
    amount = money_field(_("amount incl. tax"))

    class Meta:
        verbose_name = _("red-invoice form line")
        verbose_name_plural = _("red-invoice form lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_redformline_positive"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="receivables_redformline_qty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blue_line} −{self.amount}"
