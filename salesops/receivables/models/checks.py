"""The daily collection check (R11): each working day the sales office and finance confirm the
day's receipts list together; differences are recorded and resolved; once both confirmed and
nothing is left open, the day is closed. A receipt dated in a closed day needs the day reopened
first (finance, with a reason: audited)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import SEE_EVERYTHING, Role
from salesops.workflow.models import FlowRecord

from .invoices import ZERO, money_field
from .states import DailyCheckState

CHECKERS = frozenset({Role.BACK_OFFICE, Role.FINANCE})


class DailyCheckQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DailyCheckQuerySet":
        """The office, finance, leadership and admin: those who check or oversee the day's money."""
        if not (user and user.is_authenticated and user.is_active) or not (user.roles & (CHECKERS | SEE_EVERYTHING)):
            return self.none()
        return self


class DailyCheck(FlowRecord):
    day = models.DateField(_("day"), unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DailyCheckState.choices, default=DailyCheckState.OPEN, editable=False
    )
    office_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by the sales office"),
    )
    office_confirmed_at = models.DateTimeField(_("sales office confirmed at"), null=True, blank=True)
    finance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by finance"),
    )
    finance_confirmed_at = models.DateTimeField(_("finance confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the day was first closed: a later reopening (a late receipt) does not make it late (R11).
    first_closed_at = models.DateTimeField(_("first closed at"), null=True, blank=True)
    receipt_count = models.PositiveIntegerField(_("receipts"), default=0)
    receipt_total = money_field(_("received"), default=ZERO)

    objects = DailyCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily collection check")
        verbose_name_plural = _("daily collection checks")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)

    @property
    def code(self) -> str:
        """Names the check in the audit trail."""
        return f"R11-{self.day:%Y%m%d}"

    def get_absolute_url(self) -> str:
        return reverse("receivables:daily-check", args=[self.day.isoformat()])


class CheckDifference(models.Model):
    """A difference found in the day's check (a receipt missing, an amount wrong), until resolved."""

    check_day = models.ForeignKey(
        DailyCheck, on_delete=models.PROTECT, related_name="differences", verbose_name=_("daily collection check")
    )
    text = models.CharField(_("difference"), max_length=300)
    amount = money_field(_("amount"), null=True, blank=True)
    receipt = models.ForeignKey(
        "receivables.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check difference")
        verbose_name_plural = _("check differences")
        ordering = ["raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | ~models.Q(resolution=""),
                name="receivables_difference_resolution",
            ),
        ]

    def __str__(self) -> str:
        return self.text
