"""The collection rate's settings and targets (收款率, D2).

``ReceivablesSettings`` (one row) says when a bill (bank or commercial acceptance bill) counts as
collected: when the company signs for it (签收), or at its maturity. ``CollectionTarget`` is the
rate a salesperson or a branch is to reach in a month, quarter or year, set by the sales manager
or the admin and shown against the actual rate.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .invoices import rate_field


class BillCounting(models.TextChoices):
    RECEIVED = "received", _("When received (signed for)")
    MATURITY = "maturity", _("At maturity")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ReceivablesSettings(models.Model):
    """The company's receivables settings (one row)."""

    bills_count = models.CharField(
        _("bills count as collected"),
        max_length=10,
        choices=BillCounting.choices,
        default=BillCounting.RECEIVED,
        help_text=_(
            "Bank and commercial acceptance bills: counted when the company signs for them, or only "
            "at maturity (once the instruments register gives each bill's maturity)."
        ),
    )

    class Meta:
        verbose_name = _("receivables settings")
        verbose_name_plural = _("receivables settings")

    def __str__(self) -> str:
        return str(_("receivables settings"))

    @classmethod
    def current(cls) -> "ReceivablesSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class CollectionTarget(models.Model):
    """The collection rate (收款率) a salesperson or a branch is to reach in one period (D2)."""

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("salesperson"),
    )
    branch = models.ForeignKey(
        "org.Branch", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period starts on"))
    target_rate = rate_field(_("target collection rate"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("collection target")
        verbose_name_plural = _("collection targets")
        ordering = ["-period_start", "period_kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(salesperson__isnull=False, branch__isnull=True)
                | Q(salesperson__isnull=True, branch__isnull=False),
                name="receivables_target_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(target_rate__gte=0) & Q(target_rate__lte=1), name="receivables_target_rate_within"
            ),
            models.UniqueConstraint(
                fields=["salesperson", "period_kind", "period_start"],
                condition=Q(salesperson__isnull=False),
                name="receivables_target_person_once",
            ),
            models.UniqueConstraint(
                fields=["branch", "period_kind", "period_start"],
                condition=Q(branch__isnull=False),
                name="receivables_target_branch_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.salesperson or self.branch} {self.period_kind} {self.period_start}: {self.target_rate}"

    @property
    def number(self) -> str:
        """What the audit trail names the target by."""
        return f"CT-{self.period_start:%Y%m}-{self.pk}"
