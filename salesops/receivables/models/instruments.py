"""The instruments register (票据登记簿), R9 and R12: cheques, bank and commercial acceptance bills
and bank drafts the sales staff receive from customers, signed for by finance the same day (R12),
then endorsed on, discounted, collected or dishonoured.

An electronic bill (新一代票据) is a package (票据包, 30-digit number) of sub-bills (子票区间, one fen
each, see ``billranges``); a part of it endorsed on splits the register's row into two children, the
part endorsed and the part kept, whose ranges are disjoint and add up to the parent's. The parent
keeps its row, in state ``split``, and is never acted on again. A paper instrument carries its own
number and amount and is never split.

Range "0–0" is the platform's mark of a package that cannot be split (不可分包): stored as
``range_start = range_end = 0``, its amount entered as printed; it moves only whole.
"""

import calendar
import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .. import billranges
from .invoices import MONEY_OFFICE, money_field

# The longest term of an acceptance bill, from issue to due date (票据管理办法 Art. 25, from 2023).
MAX_TERM_MONTHS = 6
# The first digit of a package number names the bill's type (5 bank, 6 commercial; 7 supply-chain
# commercial, 8 supply-chain bank).
PACKAGE_TYPE_DIGITS = {"bank_acceptance": "58", "commercial_acceptance": "67"}
SUPPLY_CHAIN_DIGITS = "78"


class InstrumentKind(models.TextChoices):
    CHEQUE = "cheque", _("Cheque")
    BANK_ACCEPTANCE = "bank_acceptance", _("Bank acceptance bill")
    COMMERCIAL_ACCEPTANCE = "commercial_acceptance", _("Commercial acceptance bill")
    BANK_DRAFT = "bank_draft", _("Bank draft")


# The acceptance bills: a due date within the legal term, a package number when electronic.
BILL_KINDS = (InstrumentKind.BANK_ACCEPTANCE, InstrumentKind.COMMERCIAL_ACCEPTANCE)


class InstrumentMedium(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class InstrumentState(models.TextChoices):
    PENDING_SIGN = "pending_sign", _("Waiting for finance to sign")
    SIGNED = "signed", _("Signed for by finance")
    SPLIT = "split", _("Split into parts")
    ENDORSED = "endorsed", _("Endorsed on")
    DISCOUNTED = "discounted", _("Discounted")
    COLLECTED = "collected", _("Collected")
    DISHONOURED = "dishonoured", _("Dishonoured")
    VOIDED = "voided", _("Voided")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Instrument(Document):
    """An instrument received (票据), R9/R12: its owner is the salesperson who received it (who sees
    it); finance signs for it (签收) and disposes of it. ``parent`` is the instrument it was split
    from; ``receipt`` the receipt finance recorded for the payment it made."""

    NUMBER_PREFIX = "PJ"
    SEE_ALL_ROLES = MONEY_OFFICE

    kind = models.CharField(_("instrument kind"), max_length=24, choices=InstrumentKind.choices)
    medium = models.CharField(_("medium"), max_length=12, choices=InstrumentMedium.choices)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("received from (customer)")
    )
    package_number = models.CharField(
        _("bill package number"),
        max_length=30,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^\d{30}$", _("30 digits."))],
    )
    range_start = models.BigIntegerField(_("sub-bill range from"), null=True, blank=True)
    range_end = models.BigIntegerField(_("sub-bill range to"), null=True, blank=True)
    instrument_number = models.CharField(_("instrument number"), max_length=40, blank=True, db_index=True)
    amount = money_field(_("amount"))
    issuer = models.CharField(_("drawer"), max_length=200)
    acceptor = models.CharField(_("acceptor or paying bank"), max_length=200)
    payee = models.CharField(_("payee"), max_length=200, blank=True)
    previous_holder = models.CharField(_("previous holder"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    is_transferable = models.BooleanField(_("transferable"), default=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("signed for by"),
    )
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        editable=False,
        verbose_name=_("split from"),
    )
    receipt = models.ForeignKey(
        "receivables.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        editable=False,
        verbose_name=_("receipt"),
    )
    # How it left the company's hands: endorsed, discounted, collected or dishonoured on that day,
    # to or through whom (the endorsee, the discounting or collecting bank).
    settled_on = models.DateField(_("settled on"), null=True, blank=True, editable=False)
    counterparty = models.CharField(_("endorsee or bank"), max_length=200, blank=True, editable=False)
    proceeds_amount = money_field(_("discount proceeds"), null=True, blank=True, editable=False)
    dishonour_reason = models.CharField(_("reason for dishonour"), max_length=300, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=InstrumentState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_instrument_positive"),
            models.CheckConstraint(
                condition=(
                    Q(medium="electronic", kind__in=list(BILL_KINDS), instrument_number="")
                    & ~Q(package_number="")
                    & Q(range_start__isnull=False, range_end__isnull=False)
                )
                | (
                    Q(medium="paper", package_number="", range_start__isnull=True, range_end__isnull=True)
                    & ~Q(instrument_number="")
                ),
                name="receivables_instrument_medium",
            ),
            models.CheckConstraint(
                condition=Q(range_start__isnull=True)
                | Q(range_start=0, range_end=0)
                | Q(range_start__gte=1, range_end__gte=F("range_start"), range_end__lte=billranges.MAX_END),
                name="receivables_instrument_range",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("issued_on")),
                name="receivables_instrument_due_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=list(BILL_KINDS)) | Q(due_on__isnull=False),
                name="receivables_instrument_bill_due",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="receivables_instrument_signed",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("receivables:instrument-detail", args=[self.pk])

    @property
    def is_electronic(self) -> bool:
        return self.medium == InstrumentMedium.ELECTRONIC

    @property
    def is_bill(self) -> bool:
        return self.kind in BILL_KINDS

    @property
    def bill_range(self) -> billranges.Range | None:
        if self.range_start is None or self.range_end is None:
            return None
        return billranges.Range(self.range_start, self.range_end)

    @property
    def is_splittable(self) -> bool:
        found = self.bill_range
        return found is not None and found.is_splittable

    @property
    def is_supply_chain(self) -> bool:
        return bool(self.package_number) and self.package_number[0] in SUPPLY_CHAIN_DIGITS

    @property
    def identifier(self) -> str:
        """What the bank knows it by: the package number and range, or the paper number."""
        if self.is_electronic:
            return f"{self.package_number} [{self.bill_range}]"
        return self.instrument_number

    @property
    def term_too_long(self) -> bool:
        """A bill due more than six months after issue: recorded with a warning, never refused (a
        bill issued before 2023 or an error in the dates; finance checks it)."""
        return bool(self.is_bill and self.due_on and self.due_on > add_months(self.issued_on, MAX_TERM_MONTHS))

    @property
    def received_on(self) -> datetime.date:
        return timezone.localtime(self.received_at).date()

    def task_summary(self) -> str:
        due = f" · {_('due')} {self.due_on}" if self.due_on else ""
        return f"{self.customer.name} · {self.get_kind_display()} · ¥{self.amount:,.2f}{due}"[:200]


def package_number_problem(number: str, kind: str) -> str | None:
    """Why ``number`` is not the package number of a ``kind`` bill (None when it may be)."""
    if len(number) != 30 or not number.isdigit():
        return str(_("A bill package number has 30 digits."))
    expected = PACKAGE_TYPE_DIGITS.get(kind)
    if expected is not None and number[0] not in expected:
        return str(
            _("A package number starting with %(digit)s is not a %(kind)s (5 or 8: bank, 6 or 7: commercial).")
            % {"digit": number[0], "kind": InstrumentKind(kind).label}
        )
    return None


class InstrumentSettings(models.Model):
    """The company's instrument settings (one row)."""

    reminder_working_days = models.PositiveSmallIntegerField(
        _("remind finance of maturities within (working days)"),
        default=5,
        help_text=_("Signed bills falling due within this many working days appear in finance's My tasks."),
    )

    class Meta:
        verbose_name = _("instrument settings")
        verbose_name_plural = _("instrument settings")

    def __str__(self) -> str:
        return str(_("instrument settings"))

    @classmethod
    def reminder_days(cls) -> int:
        """The configured working days (the default while no row exists; nothing is written)."""
        days = cls.objects.order_by("pk").values_list("reminder_working_days", flat=True).first()
        return 5 if days is None else days
