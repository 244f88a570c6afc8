"""Sales expense requests (R3), customer special fees (R5, R6) and dealer collection permits (R2)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .permissions import SEE_ALL_EXPENSES, SEE_ALL_PERMITS


class ExpenseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    ENTERTAINMENT = "entertainment", _("Business entertainment")
    GIFTS = "gifts", _("Gifts and samples")
    TRANSPORT = "transport", _("Transport")
    EXHIBITION = "exhibition", _("Exhibition and promotion")
    OTHER = "other", _("Other")


class ExpenseRequest(Document):
    """Sales expense request (销售费用申请), R3: agreed with the manager before it is incurred.

    One recorded as already incurred (``incurred_before_approval``) is accepted
    but carries the R3 breach on the document; so does one submitted when its
    planned date has already passed (R3 cannot be dodged by a past date).
    """

    NUMBER_PREFIX = "FY"
    SEE_ALL_ROLES = frozenset(SEE_ALL_EXPENSES)

    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    planned_on = models.DateField(_("planned date"))
    purpose = models.TextField(_("purpose"))
    incurred_before_approval = models.BooleanField(_("incurred before approval (R3 breach)"), default=False)
    incurred_on = models.DateField(_("incurred on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=ExpenseState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("expense request")
        verbose_name_plural = _("expense requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("expenses:expense-detail", args=[self.pk])

    def approval_amount(self) -> Decimal:
        return self.amount

    @property
    def breaches_r3(self) -> bool:
        return self.incurred_before_approval

    @property
    def r3_breach_reason(self) -> str:
        """Why the request breaches R3, for the approver: spent on a date before approval, or submitted
        only after its planned date had passed (so it could not be agreed beforehand)."""
        if not self.incurred_before_approval:
            return ""
        if self.incurred_on is not None:
            return str(
                _("Incurred on %(day)s, before the manager agreed to it (R3).") % {"day": self.incurred_on.isoformat()}
            )
        return str(
            _("Submitted after its planned date %(day)s had passed: not agreed with the manager beforehand (R3).")
            % {"day": self.planned_on.isoformat()}
        )

    def task_summary(self) -> str:
        """One line for My tasks: amount, category, purpose, and the R3 breach with its reason."""
        text = f"¥{self.amount:,.2f} · {self.get_category_display()} · {self.purpose[:60]}"
        if self.incurred_before_approval:
            text += " · " + self.r3_breach_reason
        return text


class SpecialFeeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for consent and instruction")
    APPROVED = "approved", _("Instructed, to be paid")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class SpecialFeeKind(models.TextChoices):
    MARKETING = "marketing", _("Marketing fee")
    TEMP_WORKERS = "temp_workers", _("Temporary workers")
    OTHER = "other", _("Other special fee")


class SpecialFee(Document):
    """Customer special fee (客户特殊费用): manager's consent (R5), then leadership's instruction
    before payment (R6); finance records the payment.
    """

    NUMBER_PREFIX = "TS"
    SEE_ALL_ROLES = frozenset(SEE_ALL_EXPENSES)

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    kind = models.CharField(_("fee kind"), max_length=20, choices=SpecialFeeKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.TextField(_("reason"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("paid by"),
    )
    state = models.CharField(_("state"), max_length=24, choices=SpecialFeeState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("special fee")
        verbose_name_plural = _("special fees")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="specialfee_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | models.Q(paid_on__isnull=False), name="specialfee_paid_has_date"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("expenses:specialfee-detail", args=[self.pk])

    def approval_amount(self) -> Decimal:
        return self.amount

    def task_summary(self) -> str:
        """One line for My tasks (no related rows: the inbox loads documents without joins)."""
        return f"¥{self.amount:,.2f} · {self.get_kind_display()} · {self.reason[:60]}"


class PermitState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class CollectionMethod(models.TextChoices):
    """How the salesperson takes the dealer's money (R12 names cheques, acceptance bills and drafts)."""

    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    BANK_DRAFT = "bank_draft", _("Bank draft")
    ACCEPTANCE_BILL = "acceptance_bill", _("Bank acceptance bill")
    PERSONAL_TRANSFER = "personal_transfer", _("Transfer to the salesperson's own account")


class CollectionSettings(models.Model):
    """The company's settings of dealer collection permits (one row), R2: within how many working
    days money a salesperson collected is remitted to the company, and how long a permit may run."""

    remit_working_days = models.PositiveSmallIntegerField(
        _("remit collected money within (working days)"),
        default=1,
        validators=[MaxValueValidator(30)],
        help_text=_(
            "R2: money a salesperson collects from a dealer is remitted to the company within this many "
            "working days of its collection (0: the same day)."
        ),
    )
    max_validity_days = models.PositiveSmallIntegerField(
        _("longest permit (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("A dealer collection permit is valid for at most this many days, both ends counted."),
    )

    class Meta:
        verbose_name = _("collection permit settings")
        verbose_name_plural = _("collection permit settings")

    def __str__(self) -> str:
        return str(_("collection permit settings"))

    @classmethod
    def current(cls) -> "CollectionSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class CollectionPermit(Document):
    """Dealer collection permit (经销商收款许可), R2: "未经允许，销售人员不能收取经销商的款项。特殊情况下
    必须收取的，应及时汇回公司".

    The salesperson (the owner) asks the sales manager's leave to collect up to ``limit_amount``
    from one dealer between ``valid_from`` and ``valid_until``, in one way, for a stated reason.
    An approved permit covers collections from its approval (``approved_at``) to its end, or until
    it is closed (``closed_at``); each sum collected under it is remitted within
    ``remit_working_days`` working days (the company's setting, copied when the permit is raised and
    again when it is submitted, so the manager approves the terms it carries).
    """

    NUMBER_PREFIX = "SQ"
    SEE_ALL_ROLES = frozenset(SEE_ALL_PERMITS)

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("dealer")
    )
    limit_amount = models.DecimalField(
        _("amount limit"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    method = models.CharField(_("collected as"), max_length=20, choices=CollectionMethod.choices)
    reason = models.TextField(_("why the salesperson must collect"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    remit_working_days = models.PositiveSmallIntegerField(_("remit within (working days)"), default=1, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=PermitState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("dealer collection permit")
        verbose_name_plural = _("dealer collection permits")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(limit_amount__gt=0), name="permit_limit_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="permit_until_after_from"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False), name="permit_closed_has_time"
            ),
        ]
        indexes = [models.Index(fields=["owner", "customer", "valid_until"], name="permit_covering")]

    def get_absolute_url(self) -> str:
        return reverse("expenses:permit-detail", args=[self.pk])

    def approval_amount(self) -> Decimal:
        return self.limit_amount

    @property
    def is_expired(self) -> bool:
        """Approved, and past its last valid day: it no longer covers a collection (no job needed)."""
        return self.state == PermitState.APPROVED and timezone.localdate() > self.valid_until

    def is_usable(self, on: datetime.date | None = None) -> bool:
        """Whether the owner may collect under it on ``on`` (today): approved, not closed, and valid then."""
        day = on or timezone.localdate()
        return self.state == PermitState.APPROVED and self.valid_from <= day <= self.valid_until

    def covers(self, on: datetime.date) -> bool:
        """``selectors._covering`` for one permit in memory (a rule checks many receipts at once)."""
        from django.utils import timezone

        approved = self.approved_at is not None and timezone.localtime(self.approved_at).date() <= on
        open_then = self.state == PermitState.APPROVED or (
            self.state == PermitState.CLOSED
            and self.closed_at is not None
            and timezone.localtime(self.closed_at).date() >= on
        )
        return self.valid_from <= on <= self.valid_until and approved and open_then

    def remit_due_on(self, collected_on: datetime.date) -> datetime.date:
        """The last day money collected on ``collected_on`` may reach the company (R2 "及时汇回")."""
        from salesops.org.calendar import add_working_days

        return add_working_days(collected_on, self.remit_working_days)

    def task_summary(self) -> str:
        """One line for My tasks (no related rows: the inbox loads documents without joins)."""
        return (
            f"¥{self.limit_amount:,.2f} · {self.get_method_display()} · "
            f"{self.valid_from.isoformat()}–{self.valid_until.isoformat()} · {self.reason[:60]}"
        )
