"""The sales delivery note (销售发货单, W4.4), the warehouse's outbound (出库, W4.5) and the
customer's signed confirmation (客户确认书 / 签收单, W4.6).

Each line links to the line it comes from, and each source line counts what was taken from it
(``noted``, ``shipped``, ``closed``, ``returned``) within CHECKs, so nothing ships twice. The
documents carry quantities and customers, never prices: the warehouse reads them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.models import Document

from .orders import ZERO, RequisitionLine, counters_ordered, qty_field
from .states import ConfirmationState, FreightPayer, NoteState, OutboundState, ShippingMethod, SignKind

DELIVERY_ROLES = frozenset({Role.BACK_OFFICE, Role.WAREHOUSE})


class DeliveryNote(Document):
    """Issued by the sales office from an approved requisition (or an exchange's return); copy 2
    goes to the warehouse. An issued note is never edited: a correction voids it (its number kept,
    with the reason) and reissues a new one that names it (R8)."""

    NUMBER_PREFIX = "FH"
    SEE_ALL_ROLES = DELIVERY_ROLES

    requisition = models.ForeignKey(
        "fulfilment.Requisition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("goods requisition"),
    )
    return_request = models.ForeignKey(
        "fulfilment.ReturnRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_notes",
        verbose_name=_("exchange for"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("ship from")
    )
    address = models.CharField(_("delivery address"), max_length=300)
    consignee = models.CharField(_("consignee"), max_length=60)
    consignee_phone = models.CharField(_("consignee phone"), max_length=30)
    ship_by = models.DateField(_("ship by (R7)"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        editable=False,
        verbose_name=_("reissue of"),
    )
    close_reason = models.TextField(_("why the rest is not shipped"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=NoteState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("sales delivery note")
        verbose_name_plural = _("sales delivery notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requisition__isnull=False, return_request__isnull=True)
                | Q(requisition__isnull=True, return_request__isnull=False),
                name="fulfilment_note_one_source",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:note-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.consignee} {self.address}"[:200]


class DeliveryNoteLine(models.Model):
    note = models.ForeignKey(DeliveryNote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("note"))
    requisition_line = models.ForeignKey(
        RequisitionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="note_lines",
        verbose_name=_("requisition line"),
    )
    return_line = models.ForeignKey(
        "fulfilment.ReturnLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_lines",
        verbose_name=_("exchanged line"),
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity"))
    shipped = qty_field(_("shipped"), default=ZERO)
    closed = qty_field(_("closed short"), default=ZERO)

    class Meta:
        verbose_name = _("delivery note line")
        verbose_name_plural = _("delivery note lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fulfilment_noteline_positive"),
            models.CheckConstraint(
                condition=Q(shipped__gte=0, closed__gte=0) & Q(shipped__lte=F("quantity") - F("closed")),
                name="fulfilment_noteline_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def open_quantity(self):
        return self.quantity - self.shipped - self.closed


class Outbound(Document):
    """The warehouse's outbound (出库) against a delivery note: what actually left, how and with
    whom. Shipping less than the note leaves the rest open, with the reason."""

    NUMBER_PREFIX = "CK"
    SEE_ALL_ROLES = DELIVERY_ROLES

    note = models.ForeignKey(
        DeliveryNote, on_delete=models.PROTECT, related_name="outbounds", verbose_name=_("sales delivery note")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("ship from")
    )
    shipped_on = models.DateField(_("shipped on"))
    method = models.CharField(_("shipping method"), max_length=20, choices=ShippingMethod.choices)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_numbers = models.JSONField(_("tracking numbers"), default=list, blank=True)
    consignee_phone = models.CharField(_("consignee phone"), max_length=30)
    vehicle = models.CharField(_("vehicle"), max_length=20, blank=True)
    driver = models.CharField(_("driver"), max_length=60, blank=True)
    freight_payer = models.CharField(_("freight paid by"), max_length=10, choices=FreightPayer.choices)
    packages = models.PositiveIntegerField(_("packages"), default=1)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=2, null=True, blank=True)
    short_reason = models.TextField(_("why less than the note"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("booked by"),
    )
    state = models.CharField(_("state"), max_length=24, choices=OutboundState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("outbound")
        verbose_name_plural = _("outbounds")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:outbound-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.get_method_display()} {self.carrier} {' '.join(self.tracking_numbers)}"[
            :200
        ]


class OutboundLine(models.Model):
    outbound = models.ForeignKey(Outbound, on_delete=models.CASCADE, related_name="lines", verbose_name=_("outbound"))
    note_line = models.ForeignKey(
        DeliveryNoteLine, on_delete=models.PROTECT, related_name="outbound_lines", verbose_name=_("delivery note line")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity shipped"))
    # Claimed by return requests in flight, and brought back by red notes received.
    claimed = qty_field(_("claimed for return"), default=ZERO)
    returned = qty_field(_("returned"), default=ZERO)

    class Meta:
        verbose_name = _("outbound line")
        verbose_name_plural = _("outbound lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fulfilment_outline_positive"),
            *counters_ordered("fulfilment_outline", ("claimed", "quantity"), ("returned", "claimed")),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class Confirmation(Document):
    """The customer's signed confirmation of one outbound (客户确认书 / 签收单): who signed, when,
    stamp or signature, the signed scan (an attachment, required), and any discrepancy per line.
    A discrepancy opens a follow-up for the salesperson; the sales office archives it (W4.6)."""

    NUMBER_PREFIX = "QS"
    SEE_ALL_ROLES = DELIVERY_ROLES

    outbound = models.OneToOneField(
        Outbound, on_delete=models.PROTECT, related_name="confirmation", verbose_name=_("outbound")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    signed_by = models.CharField(_("signed by"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    sign_kind = models.CharField(_("signed with"), max_length=10, choices=SignKind.choices)
    has_discrepancies = models.BooleanField(_("with discrepancies"), default=False, editable=False)
    follow_up_open = models.BooleanField(_("follow-up open"), default=False, editable=False)
    follow_up = models.TextField(_("follow-up"), blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=24, choices=ConfirmationState.choices, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("customer confirmation")
        verbose_name_plural = _("customer confirmations")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:confirmation-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.signed_by} {self.signed_on}"[:200]


class ConfirmationLine(models.Model):
    """A discrepancy the customer noted on one shipped line: short, damaged."""

    confirmation = models.ForeignKey(
        Confirmation, on_delete=models.CASCADE, related_name="lines", verbose_name=_("customer confirmation")
    )
    outbound_line = models.ForeignKey(
        OutboundLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("outbound line")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    short = qty_field(_("short"), default=ZERO)
    damaged = qty_field(_("damaged"), default=ZERO)
    remark = models.CharField(_("remark"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(short__gte=0, damaged__gte=0) & (Q(short__gt=0) | Q(damaged__gt=0)),
                name="fulfilment_discrepancy_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} -{self.short} ×{self.damaged}"
