"""Customers (end users and dealers), contacts, competitors, market intelligence (R1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.pinyin import SearchKeyField, SearchKeyMixin
from salesops.org.scoping import scope_q

from .permissions import SEE_ALL_CUSTOMERS
from .uscc import USCCField


class CustomerKind(models.TextChoices):
    END_USER = "end_user", _("End user")
    DEALER = "dealer", _("Dealer")


class PotentialGrade(models.TextChoices):
    A = "A", _("A (high)")
    B = "B", _("B (medium)")
    C = "C", _("C (low)")


class InvoiceKind(models.TextChoices):
    """The two kinds of 数电 invoice (全面数字化的电子发票) a customer may be given: the special VAT
    invoice (数电专票), whose input tax the buyer deducts, or the ordinary one (数电普票). W6(3)."""

    SPECIAL = "special", _("Digital special VAT invoice")
    ORDINARY = "ordinary", _("Digital ordinary invoice")


class CustomerQuerySet(models.QuerySet):
    SEE_ALL_ROLES = frozenset(SEE_ALL_CUSTOMERS)

    def visible_to(self, user) -> "CustomerQuerySet":
        return self.filter(scope_q(user, see_all=self.SEE_ALL_ROLES))


class Customer(SearchKeyMixin, models.Model):
    """Customer (客户): an end user (终端用户) or a dealer (经销商), owned by one salesperson.

    The profile fields are those of the target customer basic information table
    (目标客户基本信息统计表, RP12). ``search_key`` (the name in Chinese, full pinyin and
    initials) lets lists and pickers find "北京重工" by "bj", "beijing" or "北京".
    """

    code = models.CharField(_("customer code"), max_length=30, unique=True)
    name = models.CharField(_("customer name"), max_length=200, db_index=True)
    kind = models.CharField(_("customer kind"), max_length=10, choices=CustomerKind.choices)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="customers", verbose_name=_("region")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="customers", verbose_name=_("salesperson")
    )
    branch = models.ForeignKey("org.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    credit_days = models.PositiveIntegerField(_("credit days"), default=0)
    credit_limit_amount = models.DecimalField(
        _("credit limit"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # RP12 profile
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    scale = models.CharField(_("scale"), max_length=100, blank=True)
    decision_maker = models.CharField(_("decision maker"), max_length=100, blank=True)
    demanded_products = models.TextField(_("demanded products"), blank=True)
    yearly_volume = models.CharField(_("yearly volume"), max_length=100, blank=True)
    current_supplier = models.CharField(_("current supplier"), max_length=200, blank=True)
    competitor_products = models.TextField(_("competitor products in use"), blank=True)
    potential_grade = models.CharField(
        _("potential grade"), max_length=1, choices=PotentialGrade.choices, default=PotentialGrade.B
    )
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    # Invoicing (开票信息, W6): the buyer as a 数电 invoice names it.
    invoice_title = models.CharField(
        _("invoice title"),
        max_length=200,
        blank=True,
        help_text=_("The exact registered name; leave empty to use the customer name."),
    )
    tax_number = USCCField(
        _("unified social credit code"), blank=True, help_text=_("18 characters, as on the business licence.")
    )
    invoice_email = models.EmailField(_("invoice e-mail"), blank=True)
    invoice_phone = models.CharField(_("invoice phone"), max_length=50, blank=True)
    invoice_address_phone = models.CharField(_("address and phone on invoices"), max_length=300, blank=True)
    invoice_bank_account = models.CharField(_("bank and account on invoices"), max_length=200, blank=True)
    default_invoice_kind = models.CharField(
        _("default invoice kind"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.ORDINARY
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_key = SearchKeyField(_("search key"), sources=["name"])
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credit_limit_amount__gte=0), name="customer_credit_nonneg"),
            # A 数电专票 names the buyer's code (``clean`` says so on the field first).
            models.CheckConstraint(
                condition=~models.Q(default_invoice_kind=InvoiceKind.SPECIAL) | ~models.Q(tax_number=""),
                name="customer_special_invoice_has_tax_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:customer-detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        # A 数电专票 names the buyer's code; an invalid one is already refused by the field itself.
        if self.default_invoice_kind == InvoiceKind.SPECIAL and not self.tax_number:
            raise ValidationError(
                {
                    "tax_number": _(
                        "A special VAT invoice needs the customer's unified social credit code: enter it, "
                        "or choose the ordinary invoice."
                    )
                }
            )

    @property
    def invoice_buyer_name(self) -> str:
        """The buyer's name (购买方名称) a 数电 invoice prints: the invoice title, else the customer name."""
        return self.invoice_title or self.name


class Contact(models.Model):
    """Contact person (联系人) at a customer."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "name"]

    def __str__(self) -> str:
        return self.name


class Competitor(models.Model):
    """Competitor (竞争对手) and what it sells."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    products = models.TextField(_("products"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntelSubject(models.TextChoices):
    DEALER = "dealer", _("Dealer")
    END_USER = "end_user", _("End user")
    COMPETITOR = "competitor", _("Competitor")
    MARKET = "market", _("Local market")


class MarketIntelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MarketIntelQuerySet":
        return self.filter(scope_q(user))


class MarketIntel(models.Model):
    """Market intelligence entry (市场信息), R1: product structure, sales, local market facts."""

    subject = models.CharField(_("about"), max_length=12, choices=IntelSubject.choices)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="intel", verbose_name=_("customer")
    )
    competitor = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intel",
        verbose_name=_("competitor"),
    )
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("territory"))
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    product_structure = models.TextField(_("product structure"), blank=True)
    sales_info = models.TextField(_("sales"), blank=True)
    market_facts = models.TextField(_("market facts"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    branch = models.ForeignKey("org.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = MarketIntelQuerySet.as_manager()

    class Meta:
        verbose_name = _("market intelligence")
        verbose_name_plural = _("market intelligence")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        target = self.customer or self.competitor or self.get_subject_display()
        return f"{self.reported_on} {target}"
