"""Sales expense requests (R3) and customer special fees (R5, R6)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .permissions import SEE_ALL_EXPENSES


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
