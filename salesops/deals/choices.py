"""States and choices of the deals documents (W2, W3, R4, R15)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    TENDER = "tender", _("Tender")


class InquirySource(models.TextChoices):
    VISIT = "visit", _("Customer visit")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online inquiry")
    GOVERNMENT = "government", _("Government centralised procurement")
    OTHER = "other", _("Other")


class InquiryState(models.TextChoices):
    REPORTED = "reported", _("Reported, waiting for the bid decision")
    DECIDING = "deciding", _("Bid decided, waiting for leadership")
    DECLINE_PROPOSED = "decline_proposed", _("Declining proposed, waiting for leadership")
    BIDDING = "bidding", _("Bidding")
    DECLINED = "declined", _("Declined")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class SupportKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical: models and parameters")
    PURCHASING = "purchasing", _("Purchasing: raw-material prices and lead times")


class SupportState(models.TextChoices):
    OPEN = "open", _("Waiting for the answer")
    ANSWERED = "answered", _("Answered")
    WAIVED = "waived", _("Waived")


class QuotationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Under review")
    APPROVED = "approved", _("Approved, ready to issue")
    REJECTED = "rejected", _("Returned")
    ISSUED = "issued", _("Issued")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded by a revision")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentTerms(models.TextChoices):
    """The company's standard payment terms; anything else is a non-standard term (R4)."""

    PREPAID = "prepaid", _("Payment before delivery")
    ON_DELIVERY = "on_delivery", _("Payment on delivery")
    NET_30 = "net_30", _("Within 30 days of delivery")
    OTHER = "other", _("Other (non-standard)")


class ContractState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for re-confirmation")
    CONFIRMED = "confirmed", _("Confirmed, ready to sign")
    REJECTED = "rejected", _("Returned")
    SIGNED = "signed", _("Signed")
    ARCHIVED = "archived", _("Signed and archived")
    VOIDED = "voided", _("Voided")


class OrderChannel(models.TextChoices):
    PHONE = "phone", _("Phone order")
    FAX = "fax", _("Fax order")


class PhoneOrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed, may be executed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class RegisterState(models.TextChoices):
    """The monthly contract register's states (R15): compiled any number of times, submitted once."""

    DRAFT = "draft", _("Not compiled yet")
    COMPILED = "compiled", _("Compiled")
    SUBMITTED = "submitted", _("Submitted")
