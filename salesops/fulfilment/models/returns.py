"""Returns and exchanges (退换货, W8): the return request, checked by the salesperson, verified
by the technical department and confirmed in red by the manager; the red sales outbound note
(红字销售出库单) the sales office issues from it, which the warehouse receives back into stock.

A return takes from what was delivered: each return line claims its quantity from the outbound
line (``claimed <= quantity``) while it is in flight, and the red note's receipt writes it back as
returned. An exchange is the red note plus a new delivery note, both from the one request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.models import Document

from .delivery import DELIVERY_ROLES, OutboundLine
from .orders import ZERO, counters_ordered, qty_field
from .states import RedNoteState, ReturnKind, ReturnState


class ReturnRequest(Document):
    NUMBER_PREFIX = "TH"
    SEE_ALL_ROLES = frozenset({Role.BACK_OFFICE, Role.TECHNICAL, Role.WAREHOUSE})

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReturnKind.choices)
    reason = models.TextField(_("reason"))
    confirmation = models.ForeignKey(
        "fulfilment.Confirmation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        verbose_name=_("from the customer confirmation"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("verified by"),
    )
    verification = models.TextField(_("verification notes"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=ReturnState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:return-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.get_kind_display()} · {self.customer.name} · {self.reason}"[:200]


class ReturnLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return"))
    outbound_line = models.ForeignKey(
        OutboundLine, on_delete=models.PROTECT, related_name="return_lines", verbose_name=_("delivered line")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity"))
    # The salesperson's check (W8.2): name, specification and quantity as delivered.
    name_ok = models.BooleanField(_("name matches"), null=True, editable=False)
    spec_ok = models.BooleanField(_("specification matches"), null=True, editable=False)
    quantity_ok = models.BooleanField(_("quantity matches"), null=True, editable=False)
    # An exchange: how much of it new delivery notes carry.
    noted = qty_field(_("on exchange notes"), default=ZERO)

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fulfilment_returnline_positive"),
            *counters_ordered("fulfilment_returnline", ("noted", "quantity")),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class RedNote(Document):
    """The red sales outbound note (红字销售出库单): the delivery note's family, in red, each line
    naming the delivered line it takes back; the warehouse receives it into stock."""

    NUMBER_PREFIX = "HZ"
    SEE_ALL_ROLES = DELIVERY_ROLES

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.PROTECT, related_name="red_notes", verbose_name=_("return request")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.PROTECT, related_name="+", verbose_name=_("receive into")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=RedNoteState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("red sales outbound note")
        verbose_name_plural = _("red sales outbound notes")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("fulfilment:rednote-detail", args=[self.pk])

    def task_summary(self) -> str:
        return f"{self.customer.name} · {self.return_request.number}"[:200]


class RedNoteLine(models.Model):
    red_note = models.ForeignKey(RedNote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("red note"))
    return_line = models.ForeignKey(
        ReturnLine, on_delete=models.PROTECT, related_name="red_lines", verbose_name=_("return line")
    )
    outbound_line = models.ForeignKey(
        OutboundLine, on_delete=models.PROTECT, related_name="red_lines", verbose_name=_("original delivered line")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = qty_field(_("quantity returned"))

    class Meta:
        verbose_name = _("red note line")
        verbose_name_plural = _("red note lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="fulfilment_redline_positive")]

    def __str__(self) -> str:
        return f"{self.product} × -{self.quantity}"
