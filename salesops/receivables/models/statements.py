"""Statements of account (对账单, R13): at the end of June and of December each customer gets one
statement of what passed between us, on two bases side by side — by delivery and by invoice —
whose difference is what was delivered and not invoiced. The statement is frozen when prepared
(its entries are kept as they were), goes to the customer, and comes back agreed (相符, with the
stamped scan) or disagreed (不符, with the differences); the manager and finance are told."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import Document

from .invoices import MONEY_OFFICE, ZERO, money_field
from .states import SendMethod, StatementState


class StatementRun(models.Model):
    """One reconciliation campaign: the cut-off, how long customers have to reply, the progress."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("cut-off"), unique=True)
    reply_working_days = models.PositiveSmallIntegerField(_("reply expected within (working days)"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    prepared = models.PositiveIntegerField(_("prepared"), default=0)

    class Meta:
        verbose_name = _("statement campaign")
        verbose_name_plural = _("statement campaigns")
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="receivables_run_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("receivables:statement-run", args=[self.pk])


class Statement(Document):
    NUMBER_PREFIX = "DZ"
    SEE_ALL_ROLES = MONEY_OFFICE

    run = models.ForeignKey(
        StatementRun, on_delete=models.PROTECT, related_name="statements", verbose_name=_("campaign")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("cut-off"))
    opening_by_delivery = money_field(_("opening balance by delivery"), default=ZERO)
    closing_by_delivery = money_field(_("closing balance by delivery"), default=ZERO)
    opening_by_invoice = money_field(_("opening balance by invoice"), default=ZERO)
    closing_by_invoice = money_field(_("closing balance by invoice"), default=ZERO)
    # The entries as they were when prepared: [{"day", "kind", "number", "delivery", "invoice", "note"}].
    entries = models.JSONField(_("entries"), default=list, editable=False)
    reply_due = models.DateField(_("reply expected by"), null=True, blank=True, editable=False)
    sent_by = models.CharField(_("sent by"), max_length=12, choices=SendMethod.choices, blank=True, editable=False)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    replied_on = models.DateField(_("replied on"), null=True, blank=True, editable=False)
    signatory = models.CharField(_("signed by"), max_length=60, blank=True, editable=False)
    # Disagreed: [{"item", "ours", "theirs", "note"}].
    differences = models.JSONField(_("differences"), default=list, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=StatementState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("statement of account")
        verbose_name_plural = _("statements of account")
        ordering = ["-period_end", "customer__name", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="receivables_statement_once_per_run"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("receivables:statement-detail", args=[self.pk])

    @property
    def delivered_not_invoiced(self):
        """Delivered (net of returns) and not invoiced at the cut-off; negative: invoiced ahead."""
        return self.closing_by_delivery - self.closing_by_invoice

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.period_end} · ¥{self.closing_by_invoice:,.2f}"[:200]
