"""The states and choices of the delivery documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequisitionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved, to issue")
    REJECTED = "rejected", _("Returned")
    ARCHIVED = "archived", _("Approved and archived")
    CANCELLED = "cancelled", _("Cancelled")


class NoteState(models.TextChoices):
    ISSUED = "issued", _("Issued, to ship")
    PARTLY = "partly", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    CLOSED = "closed", _("Closed short")
    VOIDED = "voided", _("Voided")


class OutboundState(models.TextChoices):
    SHIPPED = "shipped", _("Shipped, awaiting the customer's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the customer")


class ConfirmationState(models.TextChoices):
    RECORDED = "recorded", _("Recorded, to archive")
    ARCHIVED = "archived", _("Archived")


class ReturnKind(models.TextChoices):
    RETURN = "return", _("Return")
    EXCHANGE = "exchange", _("Exchange")


class ReturnState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for the manager")
    CONFIRMED = "confirmed", _("Confirmed, to check")
    REJECTED = "rejected", _("Returned")
    CHECKED = "checked", _("Checked, to verify")
    VERIFIED = "verified", _("Verified, to the manager in red")
    FAILED = "failed", _("Failed verification")
    RED_CONFIRMED = "red_confirmed", _("Red detail confirmed, to issue")
    RED_ISSUED = "red_issued", _("Red note issued")
    DONE = "done", _("Goods back in stock")
    CANCELLED = "cancelled", _("Cancelled")


class RedNoteState(models.TextChoices):
    ISSUED = "issued", _("Issued, to receive")
    RECEIVED = "received", _("Received into stock")
    VOIDED = "voided", _("Voided")


class DelayState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for the manager")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class DelayReason(models.TextChoices):
    """R7: the reasons a contract may ship later than the working day after signing."""

    PAYMENT_FIRST = "payment_first", _("Payment before shipment")
    CUSTOMER_ASKED = "customer_asked", _("Customer asked to postpone")
    OUT_OF_STOCK = "out_of_stock", _("Out of stock, awaiting production")
    TRANSPORT = "transport", _("Transport arrangement")
    OTHER = "other", _("Other")


class ShippingMethod(models.TextChoices):
    EXPRESS = "express", _("Express courier")
    FREIGHT = "freight", _("Freight carrier")
    COMPANY_VEHICLE = "company_vehicle", _("Company vehicle")
    PICKUP = "pickup", _("Customer pickup")
    DOOR = "door", _("Door delivery")


class FreightPayer(models.TextChoices):
    COMPANY = "company", _("We pay")
    CUSTOMER = "customer", _("The customer pays")


class SignKind(models.TextChoices):
    STAMP = "stamp", _("Company stamp")
    SIGNATURE = "signature", _("Signature only")
    BOTH = "both", _("Stamp and signature")
