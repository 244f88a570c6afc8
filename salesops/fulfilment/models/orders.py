"""What was sold and is still to deliver, and the goods requisition (货物需求申请表, W4.1-4.3).

``OrderLine`` is fulfilment's own record of one contract or phone-order line: its quantity and how
much of it requisitions have asked for, shipments delivered and returns brought back. Every
delivery-side document takes from it with one conditional UPDATE (``requested + n <= quantity``),
and CHECK constraints hold the order of the counters, so no document takes more than is open.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.models import Document

from .states import DelayReason, DelayState, RequisitionState

ZERO = Decimal("0")


def qty_field(label: Any, **extra: Any) -> models.DecimalField:
    """A quantity column: up to 3 decimals (the unit's scale is checked by the services)."""
    return models.DecimalField(label, max_digits=14, decimal_places=3, **extra)


def counters_ordered(prefix: str, *pairs: tuple[str, str]) -> list[models.CheckConstraint]:
    """CHECKs that each counter is not negative and stays within the one it counts against."""
    checks = []
    for used, within in pairs:
        checks.append(
            models.CheckConstraint(
                condition=Q(**{f"{used}__gte": 0}) & Q(**{f"{used}__lte": F(within)}), name=f"{prefix}_{used}_within"
            )
        )
    return checks


class OrderLine(models.Model):
    """One sold line (a contract's or a confirmed phone order's), as delivery counts it."""

    contract = models.ForeignKey(
        "deals.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contract")
    )
    phone_order = models.ForeignKey(
        "deals.PhoneOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phone or fax order"),
    )
    source_line_id = models.PositiveBigIntegerField(_("source line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity sold"))
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    requested = qty_field(_("requested"), default=ZERO)
    delivered = qty_field(_("delivered"), default=ZERO)
    returned = qty_field(_("returned"), default=ZERO)
    # Asked for on invoice requests (receivables): within what was delivered and not returned, or,
    # for an advance invoice (预开票) the manager approved, within the quantity sold.
    invoiced = qty_field(_("invoiced"), default=ZERO)

    class Meta:
        verbose_name = _("sold line")
        verbose_name_plural = _("sold lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=False, phone_order__isnull=True)
                | Q(contract__isnull=True, phone_order__isnull=False),
                name="fulfilment_orderline_one_source",
            ),
            models.UniqueConstraint(fields=["contract", "source_line_id"], name="fulfilment_orderline_contract_once"),
            models.UniqueConstraint(fields=["phone_order", "source_line_id"], name="fulfilment_orderline_order_once"),
            *counters_ordered(
                "fulfilment_orderline", ("requested", "quantity"), ("delivered", "requested"), ("returned", "delivered")
            ),
            *counters_ordered("fulfilment_orderline", ("invoiced", "quantity")),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def kept(self) -> Decimal:
        """Delivered and not returned: what the customer has and owes for."""
        return self.delivered - self.returned

    @property
    def invoiceable(self) -> Decimal:
        return max(self.kept - self.invoiced, ZERO)

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.requested


class Requisition(Document):
    """Goods requisition (货物需求申请表), W4.1-4.3: raised from a signed contract or a confirmed phone
    order, whole or in part; a branch's goes to its branch manager first, then the sales manager
    reviews contract and requisition together. The sales office archives it (R10)."""

    NUMBER_PREFIX = "XQ"
    SEE_ALL_ROLES = frozenset({Role.BACK_OFFICE})

    contract = models.ForeignKey(
        "deals.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contract")
    )
    phone_order = models.ForeignKey(
        "deals.PhoneOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phone or fax order"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("ship from")
    )
    from_branch = models.BooleanField(_("raised by a branch"), default=False, editable=False)
    wanted_on = models.DateField(_("wanted on"), null=True, blank=True)
    address = models.CharField(_("delivery address"), max_length=300)
    consignee = models.CharField(_("consignee"), max_length=60)
    consignee_phone = models.CharField(_("consignee phone"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    ship_by = models.DateField(_("ship by (R7)"), null=True, blank=True, editable=False)
    ship_by_provisional = models.BooleanField(_("ship-by date provisional"), default=False, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("archived by"),
    )
    state = models.CharField(_("state"), max_length=24, choices=RequisitionState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("goods requisition")
        verbose_name_plural = _("goods requisitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=False, phone_order__isnull=True)
                | Q(contract__isnull=True, phone_order__isnull=False),
                name="fulfilment_requisition_one_source",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:requisition-detail", args=[self.pk])

    def approval_flags(self) -> set[str]:
        """W4.2: a branch's requisition is approved by its branch manager first."""
        return {"branch"} if self.from_branch else set()

    @property
    def source(self):
        return self.contract or self.phone_order

    def task_summary(self) -> str:
        source = self.contract_id and _("contract") or _("phone order")
        return f"{self.customer.name} · {source} · {self.consignee} {self.address}"[:200]


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="lines", verbose_name=_("goods requisition")
    )
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("sold line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity"))
    noted = qty_field(_("on delivery notes"), default=ZERO)

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fulfilment_reqline_positive"),
            *counters_ordered("fulfilment_reqline", ("noted", "quantity")),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class ShipmentDelay(Document):
    """R7: why a contract ships later than the working day after signing, from the regulation's
    list; the manager accepts it (or not). An accepted delay to a date excuses the contract until then."""

    NUMBER_PREFIX = "YC"
    SEE_ALL_ROLES = frozenset({Role.BACK_OFFICE})

    contract = models.ForeignKey(
        "deals.Contract", on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DelayReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    ship_on = models.DateField(_("expected to ship on"))
    state = models.CharField(_("state"), max_length=24, choices=DelayState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("shipment delay")
        verbose_name_plural = _("shipment delays")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(detail=""), name="fulfilment_delay_other_says")
        ]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:delay-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.contract.number} · {self.get_reason_display()} · {self.ship_on} {self.detail}"[:200]


class FulfilmentSettings(models.Model):
    """The company's delivery settings (one row)."""

    archive_working_days = models.PositiveSmallIntegerField(
        _("archive requisitions within (working days)"),
        default=1,
        help_text=_("R10: an approved requisition not archived within this many working days is a violation."),
    )
    confirmation_working_days = models.PositiveSmallIntegerField(
        _("expect the customer's confirmation within (working days)"),
        default=5,
        help_text=_("Deliveries still without a signed confirmation after this many working days are listed."),
    )

    class Meta:
        verbose_name = _("delivery settings")
        verbose_name_plural = _("delivery settings")

    def __str__(self) -> str:
        return str(_("delivery settings"))

    @classmethod
    def current(cls) -> "FulfilmentSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()
