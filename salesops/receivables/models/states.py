"""The states and choices of the receivables documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# 数电发票: the special VAT invoice needs the buyer's 统一社会信用代码 (the customer's default kind).
from salesops.customers.models import InvoiceKind

__all__ = ["InvoiceKind"]


class InvoiceRequestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for sales review")
    APPROVED = "approved", _("Reviewed, to invoice")
    REJECTED = "rejected", _("Returned")
    INVOICED = "invoiced", _("Invoiced, to archive")
    ARCHIVED = "archived", _("Invoiced and archived")
    CANCELLED = "cancelled", _("Cancelled")


class InvoiceState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    RED = "red", _("Red invoice")
    REVERSED = "reversed", _("Fully reversed by red invoices")


class ReceiptMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    BANK_BILL = "bank_bill", _("Bank acceptance bill")
    COMMERCIAL_BILL = "commercial_bill", _("Commercial acceptance bill")
    DRAFT = "draft", _("Bank draft")


class ReceiptState(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    VOIDED = "voided", _("Voided")


class PaymentRequestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for confirmation")
    APPROVED = "approved", _("Confirmed, to send")
    REJECTED = "rejected", _("Returned")
    SENT = "sent", _("Sent to the customer")
    CANCELLED = "cancelled", _("Cancelled")


class SendMethod(models.TextChoices):
    TAX_ACCOUNT = "tax_account", _("To the buyer's tax digital account")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat")
    FAX = "fax", _("Fax")
    POST = "post", _("Post or courier")
    HAND = "hand", _("By hand")


class RedReason(models.TextChoices):
    """The platform's reasons for a red invoice (红字发票信息确认单)."""

    MISTAKE = "mistake", _("Invoiced in error (开票有误)")
    RETURN = "return", _("Goods returned (销货退回)")
    SERVICE_STOPPED = "service_stopped", _("Service stopped (服务中止)")
    DISCOUNT = "discount", _("Sales discount (销售折让)")


# A partial red invoice (part of the lines or amounts) only for these reasons, and only after the
# buyer confirmed the invoice's use; otherwise the whole invoice is reversed and what the customer
# keeps is invoiced again.
PARTIAL_REASONS = frozenset({RedReason.RETURN, RedReason.DISCOUNT})


class RedInitiator(models.TextChoices):
    SELLER = "seller", _("We (the seller)")
    BUYER = "buyer", _("The buyer")


class RedFormState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_BUYER = "awaiting_buyer", _("Waiting for the buyer's confirmation")
    AWAITING_US = "awaiting_us", _("Raised by the buyer, to confirm")
    CONFIRMED = "confirmed", _("Confirmed, red invoice to issue")
    REFUSED = "refused", _("Refused")
    ISSUED = "issued", _("Red invoice issued")
    CANCELLED = "cancelled", _("Cancelled")


class DailyCheckState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Checked and closed")


class StatementState(models.TextChoices):
    ISSUED = "issued", _("Prepared, to send")
    SENT = "sent", _("Sent, awaiting the customer's reply")
    AGREED = "agreed", _("Agreed by the customer (相符)")
    DISAGREED = "disagreed", _("Disagreed by the customer (不符)")
