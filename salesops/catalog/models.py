"""Products with model, specification, parameters, standard and floor prices; warehouses."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.pinyin import SearchKeyField, SearchKeyMixin


class Product(SearchKeyMixin, models.Model):
    """Product (产品): code, model (型号), specification (规格), prices and tax rate; ``search_key``
    finds it by its name or model in Chinese, full pinyin or initials."""

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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.floor_price is not None and self.standard_price is not None and self.floor_price > self.standard_price:
            raise ValidationError({"floor_price": _("The floor price cannot be above the standard price.")})


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
