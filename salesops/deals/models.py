"""Inquiries and tenders (W2), support requests, quotations (R4), negotiation notes, contracts (W3),
phone and fax orders (W3.6) and the monthly contract register (R15).

Line amounts are computed once by ``pricing.line_amounts`` and stored; each document's totals are
the sum of its lines, stored too (``pricing.refresh_totals``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.models import Document, FlowRecord

from .choices import (
    ContractState,
    InquiryKind,
    InquirySource,
    InquiryState,
    OrderChannel,
    PaymentTerms,
    PhoneOrderState,
    QuotationState,
    RegisterState,
    SupportKind,
    SupportState,
)
from .permissions import REGISTER_READERS

MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 14, "decimal_places": 3}
# Every stored amount and quantity stays below these (its column's integer digits): ``lines`` refuses
# a quantity, price, line amount or total at or above them, naming the field.
MONEY_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
QUANTITY_LIMIT = Decimal(10) ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"])
SEPARATOR = " · "


def _money_text(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _summary(*parts: str) -> str:
    return SEPARATOR.join(str(part) for part in parts if part)


class Inquiry(Document):
    """Inquiry or tender (询价 / 招标), W2(1): reported to the manager at once, who decides whether
    to bid; a major one needs leadership's instruction before the decision takes effect."""

    NUMBER_PREFIX = "XJ"

    kind = models.CharField(_("kind"), max_length=10, choices=InquiryKind.choices, default=InquiryKind.INQUIRY)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    source = models.CharField(_("source"), max_length=12, choices=InquirySource.choices)
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what the customer asks for"), blank=True)
    deadline_on = models.DateField(_("reply deadline"), null=True, blank=True)
    # When the customer's inquiry reached the salesperson: reported the next working day at the
    # latest (W2.1, checked by the compliance engine). Set once, at recording.
    received_on = models.DateField(_("received on"), default=timezone.localdate, editable=False)
    estimated_amount = models.DecimalField(
        _("estimated amount"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    is_flagged_major = models.BooleanField(_("major (flagged)"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=InquiryState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_amount__gte=0), name="inquiry_amount_nonneg"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("deals:inquiry-detail", args=[self.pk])

    def approval_amount(self) -> Decimal:
        return self.estimated_amount

    def approval_flags(self) -> set[str]:
        return {"major"} if self.is_flagged_major else set()

    def task_summary(self) -> str:
        """Customer, estimated amount, subject, and whether it was flagged major (at most one query:
        the customer, none when it is selected with the inquiry)."""
        return _summary(
            self.customer.name,
            _money_text(self.estimated_amount),
            self.title,
            str(_("major")) if self.is_flagged_major else "",
        )


class InquiryLine(models.Model):
    """A product and quantity the customer asks for."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="lines", verbose_name=_("inquiry"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("inquiry line")
        verbose_name_plural = _("inquiry lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="inquiryline_qty_positive")]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class SupportRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SupportRequestQuerySet":
        """Technical and purchasing see the requests addressed to them; sales see them through
        the inquiry (same scope as the inquiry)."""
        from django.db.models import Q

        from salesops.org.roles import SEE_EVERYTHING
        from salesops.org.scoping import scope_q

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.roles & SEE_EVERYTHING:
            return self
        q = scope_q(
            user,
            owner="inquiry__owner",
            branch="inquiry__branch",
            department="inquiry__department",
        )
        if Role.TECHNICAL in user.roles:
            q |= Q(kind=SupportKind.TECHNICAL)
        if Role.PURCHASING in user.roles:
            q |= Q(kind=SupportKind.PURCHASING)
        return self.filter(q)


class SupportRequest(FlowRecord):
    """Request to technical (W2.3) or purchasing (W2.4) for a difficult inquiry, with a due date
    and a written answer; an open one blocks the quotation's review unless the manager waives it.
    Not a numbered document: its state moves through ``SUPPORT_FLOW`` (``workflows.py``)."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="support_requests", verbose_name=_("inquiry")
    )
    kind = models.CharField(_("addressed to"), max_length=12, choices=SupportKind.choices)
    question = models.TextField(_("question"))
    due_on = models.DateField(_("answer due"))
    state = models.CharField(
        _("state"), max_length=10, choices=SupportState.choices, default=SupportState.OPEN, editable=False
    )
    answer = models.TextField(_("answer"), blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    waive_reason = models.TextField(_("reason for waiving"), blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.inquiry.number} {self.get_kind_display()}"

    @property
    def code(self) -> str:
        """Names the request in the audit trail: its inquiry's number and its own id."""
        return f"{self.inquiry.number}/{self.pk}"


class PricedDocument(Document):
    """A document with priced lines and commercial terms (quotation, contract, phone order); a
    contract is compared with its quotation on these terms and on its lines (W3.3)."""

    payment_terms = models.CharField(
        _("payment terms"), max_length=12, choices=PaymentTerms.choices, default=PaymentTerms.ON_DELIVERY
    )
    payment_terms_note = models.CharField(_("payment terms details"), max_length=300, blank=True)
    delivery_time = models.CharField(_("delivery time"), max_length=200, blank=True)
    delivery_place = models.CharField(_("delivery place"), max_length=200, blank=True)
    warranty = models.CharField(_("warranty"), max_length=200, blank=True)
    other_terms = models.TextField(_("other terms"), blank=True)
    total_amount = models.DecimalField(_("total amount"), **MONEY, default=Decimal("0"), editable=False)
    tax_amount = models.DecimalField(_("tax included"), **MONEY, default=Decimal("0"), editable=False)

    TERM_FIELDS = ("payment_terms", "payment_terms_note", "delivery_time", "delivery_place", "warranty", "other_terms")

    class Meta:
        abstract = True

    def approval_amount(self) -> Decimal:
        return self.total_amount


class PricedLine(models.Model):
    """A priced line: quantity × tax-inclusive unit price; amounts computed once and stored."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price (tax incl.)"), **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("amount (tax incl.)"), **MONEY, editable=False)
    tax_amount = models.DecimalField(_("tax"), **MONEY, editable=False)

    LINE_FIELDS = ("product_id", "quantity", "unit_price", "tax_rate")

    class Meta:
        abstract = True
        ordering = ["pk"]
        # One declaration for every line table; "%(class)s" names them per table.
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="%(class)s_qty_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="%(class)s_price_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity} @ {self.unit_price}"


class Quotation(PricedDocument):
    """Quotation or tender document (报价单 / 标书), W2(5)-(6). Reviewed by the manager before it is
    printed (leadership too when major); a price under the floor, a discount beyond the company's
    limit or a non-standard term makes it non-standard (R4). A revision is a new quotation that
    supersedes the previous one, which stays readable."""

    NUMBER_PREFIX = "BJ"

    inquiry = models.ForeignKey(
        Inquiry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotations",
        verbose_name=_("inquiry"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
        editable=False,
        verbose_name=_("previous revision"),
    )
    valid_until = models.DateField(_("valid until"))
    is_non_standard = models.BooleanField(_("non-standard (R4)"), default=False, editable=False)
    non_standard_reasons = models.JSONField(_("why non-standard"), default=list, blank=True, editable=False)
    # Major because its inquiry was (flagged or at the threshold): leadership reviews it too (W2.5).
    is_flagged_major = models.BooleanField(_("major (flagged)"), default=False, editable=False)
    # Whoever wrote its prices (drafted it, or edited its lines) never approves them (R4).
    priced_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, editable=False, verbose_name=_("prices written by")
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    lost_to = models.ForeignKey(
        "customers.Competitor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("lost to"),
    )
    lost_price = models.DecimalField(_("winning price"), **MONEY, null=True, blank=True, editable=False)
    outcome_note = models.TextField(_("outcome note"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=QuotationState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="quotation_total_nonneg"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("deals:quotation-detail", args=[self.pk])

    def approval_flags(self) -> set[str]:
        flags = {"non_standard"} if self.is_non_standard else set()
        if self.is_flagged_major:
            flags.add("major")  # a major inquiry makes its quotations major (W2.1, W2.5)
        return flags

    def excluded_approver_ids(self) -> set[int]:
        """The owner and everyone who wrote the prices (one query, none when prefetched)."""
        if "priced_by" in getattr(self, "_prefetched_objects_cache", {}):
            writers = {user.pk for user in self.priced_by.all()}
        else:
            writers = set(
                Quotation.priced_by.through.objects.filter(quotation_id=self.pk).values_list("user_id", flat=True)
            )
        return {self.owner_id, *writers}

    @classmethod
    def load_approval_context(cls, docs: list) -> None:
        """The price writers of many quotations in one query (My tasks)."""
        prefetch_related_objects(docs, "priced_by")

    def task_summary(self) -> str:
        """Customer, total, and why it needs approval: the R4 reasons (how many, and the first), major.
        Stored fields only: at most one query (the customer)."""
        reasons = self.non_standard_reasons or []
        why = ""
        if reasons:
            why = _("Non-standard (%(count)s): %(first)s") % {"count": len(reasons), "first": reasons[0]}
        return _summary(
            self.customer.name,
            _money_text(self.total_amount),
            why,
            str(_("major")) if self.is_flagged_major else "",
        )


class QuotationLine(PricedLine):
    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quotation")
    )

    class Meta(PricedLine.Meta):
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")


class NegotiationNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NegotiationNoteQuerySet":
        from salesops.org.scoping import scope_q

        return self.filter(
            scope_q(user, owner="quotation__owner", branch="quotation__branch", department="quotation__department")
        )


class NegotiationNote(models.Model):
    """A dated note of one negotiation round (商务谈判), W3(1)-(2): the manager is kept informed;
    on a major deal leadership is asked for instruction."""

    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="negotiation_notes", verbose_name=_("quotation")
    )
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("what was negotiated"))
    asks_instruction = models.BooleanField(_("asks leadership for instruction"), default=False, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = NegotiationNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("negotiation note")
        verbose_name_plural = _("negotiation notes")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.quotation.number} {self.happened_on}"


class Contract(PricedDocument):
    """Sales contract (销售合同), W3(3)-(5): drafted from an issued quotation; any deviation from it
    needs re-confirmation (the manager; leadership when major) before signing; the sales office
    archives the signed contract the same day."""

    NUMBER_PREFIX = "HT"
    SEE_ALL_ROLES = frozenset({Role.BACK_OFFICE})

    quotation = models.ForeignKey(
        Quotation, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("quotation")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    deviations = models.JSONField(_("deviations from the quotation"), default=list, blank=True, editable=False)
    # Major because its quotation was (W3.2 "重大合同"): leadership re-confirms it.
    is_flagged_major = models.BooleanField(_("major (flagged)"), default=False, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
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
    state = models.CharField(_("state"), max_length=24, choices=ContractState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("sales contract")
        verbose_name_plural = _("sales contracts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="contract_total_nonneg"),
            models.CheckConstraint(
                condition=~models.Q(state__in=["signed", "archived"]) | models.Q(signed_on__isnull=False),
                name="contract_signed_has_date",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("deals:contract-detail", args=[self.pk])

    def approval_flags(self) -> set[str]:
        flags = {"deviation"} if self.deviations else set()
        if self.is_flagged_major:
            flags.add("major")
        return flags

    def task_summary(self) -> str:
        """Customer, total, and why it needs re-confirmation: the deviations (how many, and the first),
        major. Stored fields only: at most one query (the customer)."""
        from .deviations import deviation_text

        why = ""
        if self.deviations:
            why = _("Deviates from the quotation (%(count)s): %(first)s") % {
                "count": len(self.deviations),
                "first": deviation_text(self.deviations[0]),
            }
        return _summary(
            self.customer.name,
            _money_text(self.total_amount),
            why,
            str(_("major")) if self.is_flagged_major else "",
        )

    @property
    def archived_late(self) -> bool:
        """W3(5): archived later than the day it was signed (local time)."""
        if self.signed_on is None or self.archived_at is None:
            return False
        return timezone.localtime(self.archived_at).date() > self.signed_on


class ContractLine(PricedLine):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines", verbose_name=_("contract"))

    class Meta(PricedLine.Meta):
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")


class PhoneOrder(PricedDocument):
    """Phone or fax order (电话/传真订单) without a formal contract, W3(6): executed only after the
    manager confirms it (leadership when major)."""

    NUMBER_PREFIX = "DD"
    SEE_ALL_ROLES = frozenset({Role.BACK_OFFICE})

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    channel = models.CharField(_("channel"), max_length=6, choices=OrderChannel.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    reason_without_contract = models.TextField(_("why without a formal contract"))
    state = models.CharField(_("state"), max_length=24, choices=PhoneOrderState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("phone or fax order")
        verbose_name_plural = _("phone and fax orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="phoneorder_total_nonneg"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("deals:phoneorder-detail", args=[self.pk])

    def task_summary(self) -> str:
        """Customer, total, channel and why there is no formal contract (W3.6); at most one query."""
        reason = self.reason_without_contract.strip()
        if len(reason) > 60:
            reason = reason[:59] + "…"
        return _summary(self.customer.name, _money_text(self.total_amount), self.get_channel_display(), reason)


class PhoneOrderLine(PricedLine):
    order = models.ForeignKey(PhoneOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))

    class Meta(PricedLine.Meta):
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")


class StandardTermsQuerySet(models.QuerySet):
    def current(self) -> "StandardTerms":
        """The company's one row of standard terms (created empty, i.e. no standard, when missing)."""
        found = self.order_by("pk").first()
        return found if found is not None else self.create()


class StandardTerms(models.Model):
    """The company's standard commercial terms (标准商务条款), R4: a quotation whose warranty, delivery
    time or other terms differ from these is non-standard. An empty term sets no standard (not
    checked). Payment terms are standard when they are one of ``PaymentTerms`` other than "other"."""

    warranty = models.CharField(_("warranty"), max_length=200, blank=True)
    delivery_time = models.CharField(_("delivery time"), max_length=200, blank=True)
    other_terms = models.TextField(_("other terms"), blank=True)

    objects = StandardTermsQuerySet.as_manager()

    CHECKED_FIELDS = ("warranty", "delivery_time", "other_terms")

    class Meta:
        verbose_name = _("standard terms")
        verbose_name_plural = _("standard terms")

    def __str__(self) -> str:
        return str(_("standard terms"))

    @property
    def code(self) -> str:
        """Names the row in the audit trail."""
        return "R4-terms"


class ContractRegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContractRegisterQuerySet":
        """The register covers every contract: only those who see every contract read it (R15)."""
        if not (user and user.is_authenticated and user.is_active) or not user.has_role(*REGISTER_READERS):
            return self.none()
        return self


class ContractRegister(FlowRecord):
    """Monthly contract register (合同编号登记), R15: the sales office compiles all contract numbers
    of the previous month, in order, voids explained, and submits it before the 5th. Not a numbered
    document: its state moves through ``REGISTER_FLOW`` (``workflows.py``)."""

    period = models.CharField(_("month"), max_length=6, unique=True, help_text=_("YYYYMM"))
    state = models.CharField(
        _("state"), max_length=10, choices=RegisterState.choices, default=RegisterState.DRAFT, editable=False
    )
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    contract_count = models.PositiveIntegerField(_("contracts"), default=0)
    voided_count = models.PositiveIntegerField(_("voided"), default=0)
    note = models.TextField(_("note"), blank=True)

    objects = ContractRegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract register")
        verbose_name_plural = _("contract registers")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period

    def get_absolute_url(self) -> str:
        return reverse("deals:register-detail", args=[self.period])

    @property
    def code(self) -> str:
        """Names the register in the audit trail."""
        return f"R15-{self.period}"
