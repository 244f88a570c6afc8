"""Products with model, specification, parameters, standard and floor prices; warehouses."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.pinyin import SearchKeyField, SearchKeyMixin

TAX_CODE_LENGTH = 19
# The delimiter of the classification in a 数电 invoice's item name (``*电线电缆*铜芯电缆``).
TAX_NAME_MARK = "*"


class Product(SearchKeyMixin, models.Model):
    """Product (产品): code, model (型号), specification (规格), prices and tax rate; ``search_key``
    finds it by its name or model in Chinese, full pinyin or initials.

    A 数电 invoice (W6) names each line by its tax classification (税收分类编码, 19 digits of the
    national goods and services table, and its short name, 简称) and prints name, 规格型号 and unit
    as the invoice wants them, which may differ from how the catalogue names the product; the
    ``invoice_*`` fields hold those differences, empty meaning "as in the catalogue".
    """

    code = models.CharField(_("product code"), max_length=30, unique=True)
    name = models.CharField(_("product name"), max_length=200, db_index=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    technical_parameters = models.TextField(_("technical parameters"), blank=True)
    standard_price = models.DecimalField(
        _("standard price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    floor_price = models.DecimalField(
        _("floor price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    tax_rate = models.DecimalField(
        _("tax rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.13"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    # 数电 invoicing (W6): blank until the sales office has classified the product.
    tax_code = models.CharField(
        _("tax classification code"),
        max_length=TAX_CODE_LENGTH,
        blank=True,
        validators=[
            RegexValidator(
                r"\A[0-9]{19}\Z", message=_("A tax classification code is exactly 19 digits."), code="tax_code"
            )
        ],
        help_text=_("19 digits from the goods and services tax classification table."),
    )
    tax_short_name = models.CharField(
        _("tax classification short name"),
        max_length=40,
        blank=True,
        help_text=_("Printed between asterisks before the item name, e.g. 电线电缆."),
    )
    invoice_name = models.CharField(
        _("invoice item name"), max_length=200, blank=True, help_text=_("Leave empty to print the product name.")
    )
    invoice_specification = models.CharField(
        _("invoice specification"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to print the model and specification."),
    )
    invoice_unit = models.CharField(
        _("invoice unit"), max_length=20, blank=True, help_text=_("Leave empty to print the unit.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_key = SearchKeyField(_("search key"), sources=["name", "model"])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(standard_price__gte=0), name="product_price_nonneg"),
            models.CheckConstraint(
                condition=models.Q(floor_price__gte=0) & models.Q(floor_price__lte=models.F("standard_price")),
                name="product_floor_le_standard",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0) & models.Q(tax_rate__lte=1), name="product_tax_rate_range"
            ),
            # A classified product has the short name its invoice lines print (``clean`` names the field first).
            models.CheckConstraint(
                condition=models.Q(tax_code="") | ~models.Q(tax_short_name=""), name="product_tax_code_has_short_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.floor_price is not None and self.standard_price is not None and self.floor_price > self.standard_price:
            errors["floor_price"] = _("The floor price cannot be above the standard price.")
        short_name = (self.tax_short_name or "").strip()
        if self.tax_code and not short_name:
            errors["tax_short_name"] = _("Give the short name of the tax classification (e.g. 电线电缆).")
        elif TAX_NAME_MARK in short_name:
            errors["tax_short_name"] = _("Without asterisks: the invoice adds them.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_tax_classification(self) -> bool:
        """Whether the product can go on a 数电 invoice: its tax classification code and short name are set."""
        return bool(self.tax_code and self.tax_short_name)

    def invoice_line_name(self) -> str:
        """The item name (项目名称) a 数电 invoice prints: ``*简称*名称``, e.g. ``*电线电缆*铜芯电缆``, the
        name being the invoice name or else the product name. Without a short name it is the bare
        name; such a product is not ready for a 数电 invoice (``has_tax_classification``)."""
        name = self.invoice_name or self.name
        if not self.tax_short_name:
            return name
        return f"{TAX_NAME_MARK}{self.tax_short_name}{TAX_NAME_MARK}{name}"

    def invoice_line_specification(self) -> str:
        """规格型号 on the invoice: the invoice specification, else model and specification as the
        delivery documents print them (one of them once when both are the same)."""
        if self.invoice_specification:
            return self.invoice_specification
        return " ".join(dict.fromkeys(part for part in (self.model, self.specification) if part))

    def invoice_line_unit(self) -> str:
        """单位 on the invoice: the invoice unit, else the unit."""
        return self.invoice_unit or self.unit


class Warehouse(models.Model):
    """Warehouse (仓库)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    branch = models.ForeignKey(
        "org.Branch", on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("branch")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    keeper = models.ForeignKey(
        "org.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("warehouse keeper"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
