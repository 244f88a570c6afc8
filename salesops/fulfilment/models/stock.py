"""Stock (库存): the on-hand quantity of each product in each warehouse, and the append-only stock
ledger every change of it writes (W4, W8; issue 9 item 1).

On-hand never goes below zero: a database CHECK, and every take is one conditional UPDATE
(``quantity = quantity - n WHERE quantity >= n``), never a read then a write. On-hand always
equals the sum of the ledger; the nightly check reports any drift (``selectors.stock_drift``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.workflow.models import AppendOnly


class StockLevel(models.Model):
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("product")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("warehouse")
    )
    quantity = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3, default=Decimal("0"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse", "product"]
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="fulfilment_stock_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="fulfilment_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.product} {self.quantity}"


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt")
    ADJUSTMENT = "adjustment", _("adjustment")
    OUTBOUND = "outbound", _("outbound")
    RETURN = "return", _("return")
    EXCHANGE = "exchange", _("exchange")


class StockMove(AppendOnly):
    """One line of the stock ledger (库存台账): a signed quantity into (+) or out of (-) a warehouse."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MoveKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    balance = models.DecimalField(_("on hand after"), max_digits=14, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    document_number = models.CharField(_("document"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["product", "warehouse"], name="fulfilment_move_stock")]
        constraints = [models.CheckConstraint(condition=~models.Q(quantity=0), name="fulfilment_move_not_zero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.product} {self.quantity:+}"
